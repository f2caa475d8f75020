"""What each change tells whom, end to end: the services of applications, the lifecycle, the
repricing run and the contracts-ending task, with Celery eager and the fake Notify receiving
what the real client sends. Each message arrives once, only after its change commits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction

from applications import lifecycle, services
from applications.models import SignUpApplication
from catalogue.models import Service
from contracts.models import Contract
from contracts.tasks import notify_contracts_ending
from notifications.models import Notification, NotificationStatus
from organisations.models import Organisation
from tests import factories

from .conftest import TEMPLATE_IDS

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=LONDON)
TEMPLATES = {template_id: key for key, template_id in TEMPLATE_IDS.items()}


@pytest.fixture
def world(demo):
    with time_machine.travel(NOW, tick=False):
        # The demo's own messages (its application was submitted as it loaded) are not
        # these tests' business.
        Notification.objects.all().delete()
        users = get_user_model().objects
        yield {
            "agency_application": SignUpApplication.objects.get(reference="FLEX-2026-0001"),
            "approver": users.get(username="approver"),
            "cio_ons": users.get(username="cio-ons"),
        }


def _received(fake_notify) -> list[tuple[str, str]]:
    """(template key, recipient) of each email Notify accepted, sorted."""
    return sorted((TEMPLATES[e["template_id"]], e["email_address"]) for e in fake_notify.emails)


def _only(fake_notify, template: str) -> dict:
    (email,) = [e for e in fake_notify.emails if TEMPLATES[e["template_id"]] == template]
    return email["personalisation"]


def test_submitting_tells_the_applicant_and_the_approvers(
    world, fake_notify, django_capture_on_commit_callbacks
):
    organisation = factories.OrganisationFactory(
        slug="new-agency", name="New Agency", staff=3000, desktops=3000
    )
    cio = factories.CIOFactory(username="cio-new", organisation=organisation)
    second_approver = factories.ApproverFactory(username="approver-2")
    application = services.application_create(
        actor=cio,
        lines=[services.LineInput(service=Service.objects.get(slug="desktop"), seats=2500)],
        term_years=3,
        requested_start=dt.date(2027, 1, 4),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=cio)
        assert fake_notify.emails == []
    assert _received(fake_notify) == sorted(
        [
            ("application_received", "cio-new@example.gov.uk"),
            ("application_waiting", "approver@example.gov.uk"),
            ("application_waiting", second_approver.email),
        ]
    )
    received = _only(fake_notify, "application_received")
    assert received == {
        "organisation": "New Agency",
        "reference": application.reference,
        "submitted_on": "22 November 2026",
        "services": "* Standard desktop: 2,500 seats",
    }


def test_approving_tells_the_applicant_and_every_member_whose_price_moves(
    world, fake_notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            application=world["agency_application"], actor=world["approver"]
        )
        assert fake_notify.emails == []  # nothing before the commit
    # The agency is told the decision; the repricing that ran on commit lowered the prices
    # of DIUS and ONS (the demo's members with CIOs), each told once, in one message.
    assert _received(fake_notify) == [
        ("application_decision", "cio-agency@example.gov.uk"),
        ("price_changed", "cio-dius@example.gov.uk"),
        ("price_changed", "cio-ons@example.gov.uk"),
    ]
    decision = _only(fake_notify, "application_decision")
    assert decision["decision"] == "approved"
    assert decision["approved"] == "yes"
    assert decision["contract_reference"] == "CON-2026-0005"
    by_recipient = {e["email_address"]: e["personalisation"] for e in fake_notify.emails}
    # 1,000 x (60.00 - 48.00) + 1,000 x (2,142.68 - 1,718.85) = 12,000 + 423,830 = 435,830.
    assert by_recipient["cio-dius@example.gov.uk"] == {
        "organisation": Organisation.objects.get(slug="dius").name,
        "cause": "GSA joined",
        "changed_on": "22 November 2026",
        "prices": (
            "* Email integration (CON-2026-0003, 1,000 seats): £60.00 to £48.00 per seat per year"
            "\n* Standard desktop (CON-2026-0004, 1,000 seats): £2,142.68 to £1,718.85 per seat"
            " per year"
        ),
        "annual_change": "£435,830.00 a year less",
    }
    # 600 x 423.83 = 254,298.
    ons = by_recipient["cio-ons@example.gov.uk"]
    assert ons["prices"] == (
        "* Standard desktop (CON-2026-0002, 600 seats): £2,142.68 to £1,718.85 per seat per year"
    )
    assert ons["annual_change"] == "£254,298.00 a year less"
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_rejecting_tells_only_the_applicant(world, fake_notify, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=world["agency_application"], actor=world["approver"], reason="Too big."
        )
    assert _received(fake_notify) == [("application_decision", "cio-agency@example.gov.uk")]
    decision = _only(fake_notify, "application_decision")
    assert (decision["decision"], decision["approved"], decision["reason"]) == (
        "rejected",
        "no",
        "Too big.",
    )


def test_a_decision_rolled_back_tells_nobody(
    world, fake_notify, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.application_approve(
            application=world["agency_application"], actor=world["approver"]
        )
        raise RuntimeError("something after the approval failed")
    assert fake_notify.requests == []
    assert not Notification.objects.exists()


def test_leaving_tells_the_member_its_contract_ended_and_the_others_their_new_price(
    world, fake_notify, django_capture_on_commit_callbacks
):
    contract = Contract.objects.get(organisation__slug="ons", status="active")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.contract_leave(
            contract=contract, actor=world["cio_ons"], on=dt.date(2026, 11, 22)
        )
    assert _received(fake_notify) == [
        ("contract_ended", "cio-ons@example.gov.uk"),
        ("price_changed", "cio-dius@example.gov.uk"),
    ]
    ended = _only(fake_notify, "contract_ended")
    assert ended["contract_reference"] == contract.reference
    assert ended["ends_on"] == "22 November 2026"
    assert ended["cause"] == "ONS left"
    assert _only(fake_notify, "price_changed")["cause"] == "ONS left"


def test_contracts_ending_within_six_months_are_told_once(
    world, fake_notify, django_capture_on_commit_callbacks
):
    # ONS's contract: its term now ends on 1 May 2027, within six months of 22 November 2026;
    # every other demo contract ends later.
    contract = Contract.objects.get(organisation__slug="ons", status="active")
    Contract.objects.filter(pk=contract.pk).update(start_date=dt.date(2026, 5, 1), term_years=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_contracts_ending.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_contracts_ending.apply().get() == 0  # told already
    assert _received(fake_notify) == [("contract_ending", "cio-ons@example.gov.uk")]
    ending = _only(fake_notify, "contract_ending")
    assert (ending["contract_reference"], ending["ends_on"]) == (contract.reference, "1 May 2027")


def test_six_months_means_up_to_the_same_day_six_months_on(
    world, fake_notify, django_capture_on_commit_callbacks
):
    ons = Contract.objects.get(organisation__slug="ons", status="active")
    dius = Contract.objects.get(reference="CON-2026-0003")
    # Ends 22 May 2027, six months from 22 November 2026 to the day: told.
    Contract.objects.filter(pk=ons.pk).update(start_date=dt.date(2026, 5, 22), term_years=1)
    # Ends 23 May 2027, a day later: not yet.
    Contract.objects.filter(pk=dius.pk).update(start_date=dt.date(2026, 5, 23), term_years=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_contracts_ending.apply().get() == 1
    assert _received(fake_notify) == [("contract_ending", "cio-ons@example.gov.uk")]


def test_a_change_decision_tells_the_member_with_the_note(
    world, fake_notify, django_capture_on_commit_callbacks
):
    from applications import changes
    from applications.models import ChangeRequest

    request = ChangeRequest.objects.get(reference="CHG-2026-0001")  # the demo's, from ONS
    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(
            change_request=request, actor=world["approver"], note="Agreed with finance"
        )
    decision = _only(fake_notify, "change_decision")
    assert (decision["reference"], decision["decision"], decision["reason"]) == (
        "CHG-2026-0001",
        "approved",
        "Agreed with finance",
    )
    assert decision["changes"] == "* Real-time collaboration: 0 to 600 seats"
    assert ("change_decision", "cio-ons@example.gov.uk") in _received(fake_notify)
