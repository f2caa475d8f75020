"""The stored annual value (Contract.annual_value) equals a recomputation by the one rule,
values.contract_figures(...).annual_value, after every write that changes lines or prices:
signing, each kind of line change, a repricing, and ending (which keeps the last price)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import lifecycle
from catalogue.selectors import active_services_by_slug
from contracts import selectors, services
from contracts.models import Contract, ContractStatus
from demo.scale import load_scale_data
from organisations.models import Organisation
from repricing.services import framework_reprice, repricing_request
from tests import factories

pytestmark = pytest.mark.django_db


def assert_stored_values_are_recomputed() -> None:
    contracts = list(selectors.contract_queryset().order_by("pk"))
    assert contracts
    for contract in contracts:
        fresh = Contract.objects.get(pk=contract.pk).annual_value
        assert fresh == selectors.figures_for(contract).annual_value, contract.reference


def test_the_demo_contracts_store_their_annual_values(demo):
    assert_stored_values_are_recomputed()
    # DIUS platform: 1,000 desktops at 2,142.68 + 400 wireless at 95 + 1,000 collaboration at 150.
    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    assert dius.annual_value == Decimal("2142680.00") + Decimal("38000.00") + Decimal("150000.00")


def test_signing_stores_the_annual_value(demo):
    offered = active_services_by_slug()
    organisation = Organisation.objects.get(slug="agency")
    contract = services.contract_create(
        organisation=organisation,
        kind="platform",
        lines=[
            services.LineInput(service=offered["desktop"], seats=7),
            services.LineInput(service=offered["intranet"], seats=3),
        ],
        signed_on=dt.date(2026, 12, 1),
        start_date=dt.date(2027, 1, 1),
        term_years=2,
    )
    assert contract.annual_value == Contract.objects.get(pk=contract.pk).annual_value
    assert_stored_values_are_recomputed()


def test_every_line_change_keeps_the_annual_value(demo):
    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    offered = active_services_by_slug()
    actor = factories.ApproverFactory()
    for change in (
        [services.LineInput(service=offered["wireless"], seats=999)],  # seats change
        [services.LineInput(service=offered["hr-systems"], seats=10)],  # a new line
        [services.LineInput(service=offered["collaboration"], seats=0)],  # a line removed
    ):
        changed = services.contract_lines_change(
            contract=dius, seats_after=change, actor=actor, detail="Change"
        )
        assert changed.annual_value == Contract.objects.get(pk=dius.pk).annual_value
        assert_stored_values_are_recomputed()


def test_a_refused_change_leaves_the_annual_value(demo):
    dius = Contract.objects.get(organisation__slug="dius", kind="integration")
    before = dius.annual_value
    offered = active_services_by_slug()
    with pytest.raises(ValidationError):
        services.contract_lines_change(
            contract=dius,
            seats_after=[
                services.LineInput(service=offered[slug], seats=0)
                for slug in ("email", "intranet", "staff-directory")
            ],
            actor=factories.ApproverFactory(),
            detail="Everything removed",
        )
    assert Contract.objects.get(pk=dius.pk).annual_value == before


def test_repricing_brings_every_active_annual_value_with_its_lines(demo):
    ons = Contract.objects.get(organisation__slug="ons")
    before = ons.annual_value
    # A big new member lowers the desktop price for everyone.
    contract = factories.ContractFactory(organisation=factories.OrganisationFactory(member=True))
    factories.ContractLineFactory(
        contract=contract, service=active_services_by_slug()["desktop"], seats=20_000
    )
    repricing_request(reason="Test joined")
    framework_reprice()
    assert Contract.objects.get(pk=ons.pk).annual_value < before
    assert_stored_values_are_recomputed()


def test_an_ended_contract_keeps_its_last_annual_value_through_repricing(demo):
    ons = Contract.objects.get(organisation__slug="ons")
    lifecycle.contract_leave(
        contract=ons, actor=factories.ApproverFactory(), on=timezone.localdate(), reason="Left"
    )
    ended = Contract.objects.get(pk=ons.pk)
    assert ended.status == ContractStatus.ENDED
    framework_reprice(force=True)
    assert Contract.objects.get(pk=ons.pk).annual_value == ended.annual_value
    assert_stored_values_are_recomputed()


def test_the_scale_loader_stores_annual_values_by_the_same_rule(demo):
    load_scale_data(60)
    assert_stored_values_are_recomputed()
    # Its own check writes nothing: the values it inserted were already right.
    assert services.contract_annual_values_refresh(contracts=Contract.objects.all()) == 0


def test_sorting_by_annual_and_total_value_uses_the_stored_figures(client, demo):
    load_scale_data(40)
    client.force_login(factories.ProcurementOfficerFactory())
    for key, figure in (("annual_value", "annual_value"), ("total_value", "total_value")):
        rows = client.get("/contracts/", {"sort": f"-{key}"}).context["rows"]
        values = [getattr(figures, figure) for _, figures in rows]
        assert values == sorted(values, reverse=True)
        largest = max(
            (selectors.figures_for(c) for c in selectors.contract_queryset()),
            key=lambda f: getattr(f, figure),
        )
        assert values[0] == getattr(largest, figure)
