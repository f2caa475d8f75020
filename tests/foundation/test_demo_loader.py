"""load_flex_demo: the INTERFACE.md demo data, loaded twice with the same result."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "organisations",
            "applications",
            "catalogue",
            "contracts",
            "rollout",
            "auth",
        }
    }


def test_loading_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("load_flex_demo", stdout=None)
    first = row_counts()
    call_command("load_flex_demo")
    assert row_counts() == first
    assert first["organisations.Organisation"] == 6
    assert first["catalogue.Service"] == 7
    assert first["contracts.Contract"] == 4


def test_demo_matches_the_interface(demo):
    from accounts.models import User
    from applications.models import SignUpApplication
    from catalogue.models import Service
    from organisations.models import Organisation

    orgs = {o.slug: o for o in Organisation.objects.prefetch_related("predecessors")}
    assert orgs["cabinet-office"].desktops == 2500
    assert orgs["cabinet-office"].membership_status == "active"
    assert orgs["dius"].staff == 1000
    assert {p.slug for p in orgs["dius"].predecessors.all()} == {"dti", "dfes"}
    assert orgs["ons"].membership_status == "active"
    assert orgs["agency"].staff == 2000
    application = SignUpApplication.objects.get(organisation=orgs["agency"])
    assert application.status == "submitted" and application.decided_at is None

    services = {s.slug: s for s in Service.objects.all()}
    assert [s for s, v in services.items() if v.kind == "core"] == ["desktop"]
    assert {
        "wireless",
        "collaboration",
        "hr-systems",
        "email",
        "intranet",
        "staff-directory",
    } <= set(services)
    # 2,500 + 600 + 1,000 desktops; 5,300,000 / 4,100 + 850 = 2,142.68 (1,292.682… rounds down).
    assert services["desktop"].framework_seats == 4100
    assert services["desktop"].current_unit_price == Decimal("2142.68")

    users = {u.username: u for u in User.objects.select_related("organisation")}
    assert users["cio-dius"].organisation.slug == "dius"
    assert users["cio-ons"].organisation.slug == "ons"
    assert users["cio-agency"].organisation.slug == "agency"
    assert users["admin"].is_superuser
    assert users["approver"].check_password("flex-demo-password")


def test_refuses_demo_users_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-demo-users"):
        call_command("load_flex_demo")
    from accounts.models import User

    assert not User.objects.exists()
    call_command("load_flex_demo", "--allow-demo-users")
    assert User.objects.filter(username="cio-dius").exists()
