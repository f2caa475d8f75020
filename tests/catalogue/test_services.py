"""Catalogue writes: scheme changes are validated, written whole, and reprice the framework."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue import pricing, services
from catalogue.models import PriceSnapshot, Service
from contracts.models import ContractLine
from repricing import services as repricing_services
from repricing.models import RepricingRequest
from tests import factories
from tests.catalogue.helpers import catalogue_state

pytestmark = pytest.mark.django_db
D = Decimal


def test_scheme_change_requests_repricing_in_the_same_transaction(
    demo, django_capture_on_commit_callbacks
):
    desktop = Service.objects.get(slug="desktop")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        repricing_services.service_scheme_change(
            service=desktop,
            scheme=pricing.CostShareScheme(
                fixed_annual_cost=D("4100000.00"), marginal_cost=D("850.00"), floor=D("900.00")
            ),
        )
    request = RepricingRequest.objects.get(processed_at__isnull=True)
    assert request.reason == "Price scheme changed"
    assert len(callbacks) == 1  # the task is published only once the change commits
    for callback in callbacks:
        callback()
    desktop.refresh_from_db()
    assert desktop.current_unit_price == D("1850.00")
    assert PriceSnapshot.objects.filter(service=desktop).latest().unit_price == D("1850.00")
    assert set(
        ContractLine.objects.filter(service=desktop).values_list("current_unit_price", flat=True)
    ) == {D("1850.00")}


def test_scheme_change_to_bands_not_in_force_writes_no_snapshot(
    demo, django_capture_on_commit_callbacks
):
    # Wireless has 1,500 seats: the £95.00 band (1,001 to 5,000) still applies.
    wireless = Service.objects.get(slug="wireless")
    snapshots = PriceSnapshot.objects.filter(service=wireless).count()
    with django_capture_on_commit_callbacks(execute=True):
        repricing_services.service_scheme_change(
            service=wireless,
            scheme=pricing.VolumeScheme(
                bands=(
                    pricing.Band(1000, D("130.00")),
                    pricing.Band(5000, D("95.00")),
                    pricing.Band(None, D("60.00")),
                )
            ),
        )
    assert list(wireless.bands.values_list("up_to", "unit_price")) == [
        (1000, D("130.00")),
        (5000, D("95.00")),
        (None, D("60.00")),
    ]
    assert PriceSnapshot.objects.filter(service=wireless).count() == snapshots
    assert not RepricingRequest.objects.filter(processed_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("scheme", "errors"),
    [
        (
            pricing.VolumeScheme(bands=(pricing.Band(1000, D("10")),)),
            {"bands": ["The last band must have no upper bound (leave 'up to' empty)."]},
        ),
        (
            pricing.CostShareScheme(D("10"), D("1"), D("12")),
            {
                "floor": [
                    "The floor cannot be above the price at one seat (fixed cost plus marginal cost)."
                ]
            },
        ),
        (pricing.FlatScheme(D("-1")), {"unit_price": ["Enter a price of £0 or more."]}),
    ],
)
def test_invalid_scheme_is_refused_and_nothing_changes(demo, scheme, errors):
    desktop = Service.objects.get(slug="desktop")
    before = catalogue_state()
    with pytest.raises(ValidationError) as error:
        repricing_services.service_scheme_change(service=desktop, scheme=scheme)
    assert error.value.message_dict == errors
    assert catalogue_state() == before


def test_service_create_writes_bands_and_asks_for_a_price(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = repricing_services.service_add(
            slug="printing",
            name="Managed printing",
            kind="extra",
            category="infrastructure",
            description="Printers.",
            scheme=pricing.VolumeScheme(
                bands=(pricing.Band(500, D("30.00")), pricing.Band(None, D("20.00")))
            ),
        )
    service.refresh_from_db()
    assert service.current_unit_price == D("30.00")
    assert service.bands.count() == 2
    assert PriceSnapshot.objects.get(service=service).reason == "Service added"


def test_service_create_with_a_taken_slug_changes_nothing(db):
    factories.ServiceFactory(slug="printing", name="Printing")
    before = catalogue_state()
    with pytest.raises(ValidationError) as error:
        repricing_services.service_add(
            slug="printing",
            name="Other printing",
            kind="extra",
            category="infrastructure",
            description="Printers.",
            scheme=pricing.FlatScheme(D("5.00")),
        )
    assert "slug" in error.value.message_dict
    assert catalogue_state() == before


def test_service_update_details_leaves_the_price_alone(demo):
    desktop = Service.objects.get(slug="desktop")
    before = catalogue_state()
    services.service_update_details(
        service=desktop,
        name="Standard desktop",
        kind="core",
        category="infrastructure",
        description="New words.",
        included="One thing",
        active=True,
    )
    assert Service.objects.get(slug="desktop").description == "New words."
    assert catalogue_state() == before
