"""Framework seats count only active contracts (docs/interface.md, "Pricing rules"), and the
repricing tests' oracle (helpers.py) really is independent of the code it checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from catalogue.models import Service
from contracts import selectors as contract_selectors
from contracts.models import ContractLine
from repricing import services as repricing
from repricing.models import RepricingRequest
from tests import factories

from .helpers import assert_prices_match_a_recomputation_from_scratch, prices_from_scratch

pytestmark = pytest.mark.django_db


@pytest.fixture
def desktop_contracts(db):
    """A cost-share desktop with 1,000 seats on an active contract, 4,000 on a draft and 9,000
    on an ended one: 5,300,000 / 1,000 + 850 = 6,150.00 if only the active seats count."""
    desktop = factories.CostShareServiceFactory(
        slug="desktop",
        fixed_annual_cost=Decimal("5300000.00"),
        marginal_cost=Decimal("850.00"),
        floor=Decimal("900.00"),
    )
    for status, seats in (("active", 1000), ("draft", 4000), ("ended", 9000)):
        contract = factories.ContractFactory(
            status=status,
            signed_on=None if status == "draft" else dt.date(2026, 1, 15),
            ended_on=dt.date(2026, 11, 1) if status == "ended" else None,
        )
        factories.ContractLineFactory(contract=contract, service=desktop, seats=seats)
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="Contracts changed")
    return desktop


def test_draft_and_ended_contracts_are_left_out_of_framework_seats(desktop_contracts):
    assert contract_selectors.framework_seats_by_service() == {desktop_contracts.pk: 1000}

    repricing.framework_reprice()

    desktop = Service.objects.get(pk=desktop_contracts.pk)
    assert (desktop.framework_seats, desktop.current_unit_price) == (1000, Decimal("6150.00"))
    assert ContractLine.objects.aggregate(seats=Sum("seats"))["seats"] == 14000
    assert_prices_match_a_recomputation_from_scratch()


def test_the_oracle_applies_the_rules_written_out(desktop_contracts):
    factories.ServiceFactory(slug="wireless", unit_price=Decimal("12.34"))
    # 1,000,000 / 3 + 500 = 333,833.333...: a cost share rounded to the penny.
    third = factories.CostShareServiceFactory(slug="hr-systems")
    factories.ContractLineFactory(contract=factories.ContractFactory(), service=third, seats=3)
    volume = factories.VolumeServiceFactory(slug="email")
    bands = {band.up_to: band.unit_price for band in volume.bands.all()}
    expected_band = min(up_to for up_to in bands if up_to is not None)
    line = factories.ContractLineFactory(
        contract=factories.ContractFactory(), service=volume, seats=expected_band
    )
    oracle = prices_from_scratch()
    assert oracle["desktop"] == (1000, Decimal("6150.00"))
    assert oracle["wireless"] == (0, Decimal("12.34"))
    assert oracle["hr-systems"] == (3, Decimal("333833.33"))
    # Exactly at a band's bound: that band's price.
    assert oracle["email"] == (line.seats, bands[expected_band])


def test_a_selector_counting_every_contract_is_caught_by_the_oracle(desktop_contracts, monkeypatch):
    """Were `framework_seats_by_service` to count every contract, a check recomputing with it
    would agree with the repricing; the oracle, reading rows itself, does not."""

    def every_contract() -> dict[int, int]:
        rows = ContractLine.objects.values("service_id").annotate(seats=Sum("seats")).order_by()
        return {row["service_id"]: row["seats"] for row in rows}

    # The selector itself goes wrong, for everyone who calls it, however they imported it.
    selector = contract_selectors.framework_seats_by_service
    monkeypatch.setattr(selector, "__code__", every_contract.__code__)
    repricing.framework_reprice()

    assert Service.objects.get(pk=desktop_contracts.pk).framework_seats == 14000
    with pytest.raises(AssertionError):
        assert_prices_match_a_recomputation_from_scratch()
