"""Cabinet Office staff edit services and schemes in the admin: bad schemes are refused with a
clear message and change nothing; a scheme change snapshots the price and reprices contracts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import PriceSnapshot, Service
from contracts.models import ContractLine
from repricing.models import RepricingRequest
from tests import factories
from tests.catalogue.helpers import catalogue_state

pytestmark = pytest.mark.django_db


def change_url(service: Service) -> str:
    return reverse("admin:catalogue_service_change", args=[service.pk])


def form_data(service: Service, *, bands=None, **changes) -> dict:
    """The admin change form as a browser would post it, with `changes` applied. `bands` is a
    list of (up_to, price) replacing the service's bands (the old rows are deleted)."""
    data = {
        "name": service.name,
        "kind": service.kind,
        "category": service.category,
        "description": service.description,
        "included": service.included,
        "active": "on" if service.active else "",
        "pricing_scheme": service.pricing_scheme,
        "fixed_annual_cost": service.fixed_annual_cost or "",
        "marginal_cost": service.marginal_cost or "",
        "floor": service.floor or "",
        "unit_price": service.unit_price or "",
        "_save": "Save",
    }
    data.update({k: ("" if v is None else v) for k, v in changes.items()})
    existing = list(service.bands.all())
    rows = []
    for band in existing:
        rows.append(
            {
                "id": band.pk,
                "service": service.pk,
                "up_to": band.up_to or "",
                "unit_price": band.unit_price,
                "DELETE": "on" if bands is not None else "",
            }
        )
    for up_to, price in bands or []:
        rows.append({"id": "", "service": service.pk, "up_to": up_to or "", "unit_price": price})
    data.update(
        {
            "bands-TOTAL_FORMS": len(rows),
            "bands-INITIAL_FORMS": len(existing),
            "bands-MIN_NUM_FORMS": 0,
            "bands-MAX_NUM_FORMS": 1000,
        }
    )
    for i, row in enumerate(rows):
        data.update({f"bands-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def staff(client, demo_user):
    client.force_login(demo_user("approver"))
    return client


def test_cabinet_office_staff_see_the_catalogue_admin(staff):
    response = staff.get(reverse("admin:catalogue_service_changelist"))
    assert response.status_code == 200
    assert "Standard desktop" in response.content.decode()
    assert staff.get(change_url(Service.objects.get(slug="wireless"))).status_code == 200


def test_others_cannot_reach_the_admin(client, demo_user):
    client.force_login(demo_user("cio-dius"))
    response = client.get(reverse("admin:catalogue_service_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_changing_the_desktop_scheme_reprices_every_member(
    staff, django_capture_on_commit_callbacks
):
    desktop = Service.objects.get(slug="desktop")
    at_signing = list(
        ContractLine.objects.filter(service=desktop).values_list("unit_price_at_signing", flat=True)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            change_url(desktop), form_data(desktop, fixed_annual_cost="4100000.00")
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    desktop.refresh_from_db()
    # 4,100,000 / 4,100 = 1,000 + 850.
    assert desktop.fixed_annual_cost == Decimal("4100000.00")
    assert desktop.current_unit_price == Decimal("1850.00")
    snapshot = PriceSnapshot.objects.filter(service=desktop).latest()
    assert (snapshot.framework_seats, snapshot.unit_price, snapshot.reason) == (
        4100,
        Decimal("1850.00"),
        "Price scheme changed",
    )
    assert snapshot.caused_by is None
    lines = ContractLine.objects.filter(service=desktop)
    assert set(lines.values_list("current_unit_price", flat=True)) == {Decimal("1850.00")}
    assert list(lines.values_list("unit_price_at_signing", flat=True)) == at_signing
    assert not RepricingRequest.objects.filter(processed_at__isnull=True).exists()


def test_changing_volume_bands_reprices(staff, django_capture_on_commit_callbacks):
    wireless = Service.objects.get(slug="wireless")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            change_url(wireless),
            form_data(wireless, bands=[(1000, "110.00"), (2000, "90.00"), (None, "75.00")]),
        )
    assert response.status_code == 302
    assert list(wireless.bands.values_list("up_to", "unit_price")) == [
        (1000, Decimal("110.00")),
        (2000, Decimal("90.00")),
        (None, Decimal("75.00")),
    ]
    wireless.refresh_from_db()
    assert wireless.current_unit_price == Decimal("90.00")  # 1,500 seats: second band
    assert PriceSnapshot.objects.filter(service=wireless).latest().reason == "Price scheme changed"
    assert set(
        ContractLine.objects.filter(service=wireless).values_list("current_unit_price", flat=True)
    ) == {Decimal("90.00")}


def test_switching_from_volume_to_flat_drops_the_bands(staff, django_capture_on_commit_callbacks):
    wireless = Service.objects.get(slug="wireless")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            change_url(wireless), form_data(wireless, pricing_scheme="flat", unit_price="50.00")
        )
    assert response.status_code == 302
    wireless.refresh_from_db()
    assert (wireless.pricing_scheme, wireless.unit_price, wireless.current_unit_price) == (
        "flat",
        Decimal("50.00"),
        Decimal("50.00"),
    )
    assert not wireless.bands.exists()


def test_changing_only_the_description_does_not_reprice(staff, django_capture_on_commit_callbacks):
    desktop = Service.objects.get(slug="desktop")
    snapshots = PriceSnapshot.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            change_url(desktop), form_data(desktop, description="A better desktop.")
        )
    assert response.status_code == 302
    desktop.refresh_from_db()
    assert desktop.description == "A better desktop."
    assert PriceSnapshot.objects.count() == snapshots
    assert not RepricingRequest.objects.filter(reason="Price scheme changed").exists()


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (
            [(5000, "95.00"), (1000, "120.00"), (None, "70.00")],
            "Band bounds must rise from one band to the next.",
        ),
        (
            [(1000, "120.00"), (5000, "95.00")],
            "The last band must have no upper bound (leave &#x27;up to&#x27; empty).",
        ),
        (
            [(1000, "95.00"), (5000, "120.00"), (None, "70.00")],
            "A larger band cannot cost more per seat than a smaller one.",
        ),
        (
            [(None, "70.00"), (1000, "95.00"), (None, "60.00")],
            "Only the last band may have no upper bound.",
        ),
        ([], "Add at least one band."),
    ],
)
def test_bad_bands_are_refused_and_nothing_changes(
    staff, django_capture_on_commit_callbacks, bands, message
):
    wireless = Service.objects.get(slug="wireless")
    before = catalogue_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(change_url(wireless), form_data(wireless, bands=bands))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the error" in body or "Please correct the errors" in body
    assert message in body
    assert catalogue_state() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"floor": "6000000.00"},
            "The floor cannot be above the price at one seat (fixed cost plus marginal cost).",
        ),
        ({"marginal_cost": "-1.00"}, "Enter an amount of £0 or more."),
        ({"fixed_annual_cost": ""}, "Enter the fixed annual cost for a shared fixed cost scheme."),
        ({"pricing_scheme": "flat"}, "Enter the price per seat for a flat price scheme."),
        ({"pricing_scheme": "flat", "unit_price": "-5"}, "Enter a price of £0 or more."),
    ],
)
def test_bad_scheme_parameters_are_refused_and_nothing_changes(staff, changes, message):
    desktop = Service.objects.get(slug="desktop")
    before = catalogue_state()
    response = staff.post(change_url(desktop), form_data(desktop, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert catalogue_state() == before


def test_adding_a_service_prices_it(staff, django_capture_on_commit_callbacks):
    data = {
        "slug": "printing",
        "name": "Managed printing",
        "kind": "extra",
        "category": "infrastructure",
        "description": "Printers and paper.",
        "included": "Printers\nToner",
        "active": "on",
        "pricing_scheme": "volume",
        "fixed_annual_cost": "",
        "marginal_cost": "",
        "floor": "",
        "unit_price": "",
        "bands-TOTAL_FORMS": 2,
        "bands-INITIAL_FORMS": 0,
        "bands-MIN_NUM_FORMS": 0,
        "bands-MAX_NUM_FORMS": 1000,
        "bands-0-up_to": "500",
        "bands-0-unit_price": "30.00",
        "bands-1-up_to": "",
        "bands-1-unit_price": "20.00",
        "_save": "Save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:catalogue_service_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    printing = Service.objects.get(slug="printing")
    assert list(printing.bands.values_list("up_to", "unit_price")) == [
        (500, Decimal("30.00")),
        (None, Decimal("20.00")),
    ]
    assert (printing.framework_seats, printing.current_unit_price) == (0, Decimal("30.00"))
    snapshot = PriceSnapshot.objects.get(service=printing)
    assert (snapshot.unit_price, snapshot.reason) == (Decimal("30.00"), "Service added")


def test_services_cannot_be_deleted(staff):
    desktop = Service.objects.get(slug="desktop")
    assert (
        staff.get(reverse("admin:catalogue_service_delete", args=[desktop.pk])).status_code == 403
    )


def test_price_history_is_read_only_in_the_admin(staff):
    snapshot = PriceSnapshot.objects.first()
    before = PriceSnapshot.objects.values_list("pk", "unit_price", "reason").order_by("pk")
    before = list(before)
    assert staff.get(reverse("admin:catalogue_pricesnapshot_changelist")).status_code == 200
    assert staff.get(reverse("admin:catalogue_pricesnapshot_add")).status_code == 403
    view = staff.get(reverse("admin:catalogue_pricesnapshot_change", args=[snapshot.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    post = staff.post(
        reverse("admin:catalogue_pricesnapshot_change", args=[snapshot.pk]),
        {"unit_price": "1.00", "reason": "Edited"},
    )
    assert post.status_code == 403
    assert (
        staff.post(
            reverse("admin:catalogue_pricesnapshot_delete", args=[snapshot.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        list(PriceSnapshot.objects.values_list("pk", "unit_price", "reason").order_by("pk"))
        == before
    )


def test_staff_without_the_cabinet_office_role_cannot_edit(client, db):
    user = factories.ProcurementOfficerFactory(is_staff=True)
    client.force_login(user)
    service = factories.ServiceFactory()
    assert client.get(change_url(service)).status_code == 403
