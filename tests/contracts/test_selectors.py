"""contracts/selectors.py: values of stored contracts (demo data and repricing), totals,
rollout status and price history."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import selectors
from contracts.models import Contract
from contracts.services import contract_end
from repricing.services import framework_reprice
from rollout.models import WaveStatus
from rollout.selectors import contract_rollout_status
from tests import factories

D = Decimal
pytestmark = pytest.mark.django_db


def test_demo_dius_platform_contract_core_value_is_about_fifteen_million(demo):
    contract = selectors.contract_queryset().get(reference="CON-2026-0004")
    figures = selectors.figures_for(contract)
    # desktop: 5,300,000 / 4,100 + 850 = 2142.68 per seat; 1,000 seats x 7 years
    assert next(line.current_unit_price for line in contract.lines.all()) == D("2142.68")
    assert figures.core_value == D("14998760.00")
    assert figures.annual_value == D("2330680.00")
    assert figures.total_value == D("16314760.00")
    assert figures.savings_per_year == D("707320.00")
    assert figures.savings_percent == D("24.8")


def test_demo_cabinet_office_contract_prices_fell_after_it_signed(demo):
    contract = selectors.contract_queryset().get(reference="CON-2026-0001")
    figures = selectors.figures_for(contract)
    desktop = contract.lines.all()[0]
    # Signed alone: 5,300,000 / 2,500 + 850 = 2970.00; now 2142.68 for everyone.
    assert (desktop.unit_price_at_signing, desktop.current_unit_price) == (
        D("2970.00"),
        D("2142.68"),
    )
    # 2,500 x 2970.00 x 5 years
    assert figures.core_value == D("37125000.00")
    # 2,500 x 2142.68 x 5 years
    assert figures.core_value_now == D("26783500.00")
    # 3300.00 x 2,500 = 8,250,000.00 - 5,356,700.00 = 2,893,300.00 (35.07% → 35.1%)
    assert figures.savings_per_year == D("2893300.00")
    assert figures.savings_percent == D("35.1")


@pytest.fixture
def priced_framework():
    """A core desktop (fixed 1,000,000, marginal 500, floor 600) and a flat £40 extra.

    Org A signs alone for 1,000 desktops: 1,000,000 / 1,000 + 500 = 1500.00 a seat.
    """
    desktop = factories.CostShareServiceFactory(slug="desk", name="Desk")
    extra = factories.ServiceFactory(slug="help", name="Help", unit_price=D("40.00"))
    first = factories.ContractFactory(
        reference="CON-A", term_years=5, previous_cost_per_seat=D("2000.00")
    )
    factories.ContractLineFactory(
        contract=first,
        service=desktop,
        seats=1000,
        unit_price_at_signing=D("1500.00"),
        current_unit_price=D("1500.00"),
    )
    factories.ContractLineFactory(
        contract=first,
        service=extra,
        seats=500,
        unit_price_at_signing=D("40.00"),
        current_unit_price=D("40.00"),
    )
    return desktop, extra, first


def test_repricing_lowers_current_prices_and_keeps_prices_at_signing(priced_framework):
    desktop, _, first = priced_framework
    # Org B joins with 2,000 desktops: 1,000,000 / 3,000 + 500 = 833.333… → 833.33
    second = factories.ContractFactory(reference="CON-B", term_years=3)
    factories.ContractLineFactory(
        contract=second,
        service=desktop,
        seats=2000,
        unit_price_at_signing=D("833.33"),
        current_unit_price=D("833.33"),
    )
    framework_reprice(force=True)

    contract = selectors.contract_queryset().get(pk=first.pk)
    desk_line, help_line = contract.lines.all()
    assert desk_line.unit_price_at_signing == D("1500.00")
    assert desk_line.current_unit_price == D("833.33")
    assert help_line.current_unit_price == D("40.00")

    figures = selectors.figures_for(contract)
    # 1,000 x 833.33 = 833,330.00 + 500 x 40.00 = 20,000.00
    assert figures.annual_value == D("853330.00")
    assert figures.total_value == D("4266650.00")  # x 5
    assert figures.annual_value_at_signing == D("1520000.00")
    assert figures.core_value == D("7500000.00")  # 1,000 x 1500.00 x 5, fixed at signing
    assert figures.core_value_now == D("4166650.00")  # 833,330.00 x 5
    # 2000.00 x 1,000 = 2,000,000.00 - 833,330.00 = 1,166,670.00 (58.33% → 58.3%)
    assert figures.savings_per_year == D("1166670.00")
    assert figures.savings_percent == D("58.3")
    assert figures.savings_over_term == D("5833350.00")
    assert figures.lines[0].unit_price_change == D("-666.67")


def test_ended_contracts_keep_their_last_price_when_the_framework_reprices(priced_framework):
    desktop, _, first = priced_framework
    contract_end(contract=first, on=first.start_date, actor=None)  # the one way to end one
    framework_reprice(force=True)
    line = first.lines.get(service=desktop)
    assert line.current_unit_price == D("1500.00")


def test_totals_add_every_filtered_contract_to_the_penny(priced_framework):
    desktop, _, _ = priced_framework
    other = factories.ContractFactory(reference="CON-C", term_years=2)
    factories.ContractLineFactory(
        contract=other,
        service=desktop,
        seats=3,
        unit_price_at_signing=D("0.01"),
        current_unit_price=D("0.01"),
    )
    totals = selectors.contract_totals(Contract.objects.all())
    # CON-A: 1,520,000.00 a year x 5 = 7,600,000.00; CON-C: 0.03 a year x 2 = 0.06
    assert totals.count == 2
    assert totals.annual_value == D("1520000.03")
    assert totals.total_value == D("7600000.06")
    only_c = selectors.contract_totals(Contract.objects.filter(reference="CON-C"))
    assert (only_c.annual_value, only_c.total_value) == (D("0.03"), D("0.06"))
    none = selectors.contract_totals(Contract.objects.none())
    assert (none.count, none.annual_value, none.total_value) == (0, D("0.00"), D("0.00"))


def test_rollout_status_reads_the_waves():
    contract = factories.ContractFactory()
    assert contract_rollout_status(contract).summary == "No rollout plan yet"
    assert contract_rollout_status(contract).plan is None

    plan = factories.RolloutPlanFactory(contract=contract)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract_rollout_status(contract).summary == (
        "Rollout plan started; no waves scheduled yet"
    )
    factories.WaveFactory(
        plan=plan,
        seats=100,
        status=WaveStatus.DONE,
        actual_start=dt.date(2026, 3, 1),
        actual_end=dt.date(2026, 3, 31),
    )
    factories.WaveFactory(plan=plan, seats=200, status=WaveStatus.IN_PROGRESS)
    factories.WaveFactory(plan=plan, seats=300, status=WaveStatus.BLOCKED, blocked_reason="Site")
    factories.WaveFactory(plan=plan, seats=400)
    # Seats contracted, as /rollout/ counts them (rollout.selectors.plan_summary): the core line.
    factories.ContractLineFactory(
        contract=contract, service=factories.CostShareServiceFactory(), seats=1000
    )
    # Every wave ends on 31 March 2026: on 1 April the three not done are overdue.
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), tick=False):
        status = contract_rollout_status(Contract.objects.get(pk=contract.pk))
    assert status.plan == plan
    assert status.summary == (
        "1 of 4 waves done, 1 in progress, 1 blocked; 100 of 1,000 seats live (10%); "
        "3 waves overdue"
    )
    with time_machine.travel(dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC), tick=False):
        status = contract_rollout_status(Contract.objects.get(pk=contract.pk))
    assert status.summary == (
        "1 of 4 waves done, 1 in progress, 1 blocked; 100 of 1,000 seats live (10%)"
    )


def test_price_history_lists_each_service_newest_first_and_caps_rows(priced_framework):
    desktop, _extra, contract = priced_framework
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for day in range(12):
        factories.PriceSnapshotFactory(
            service=desktop,
            effective_at=start + dt.timedelta(days=day),
            unit_price=D(1000 + day),
        )
    contract = selectors.contract_queryset().get(pk=contract.pk)
    history = selectors.price_history(contract)
    assert [h.service.slug for h in history] == ["desk", "help"]
    assert [s.unit_price for s in history[0].snapshots] == [D(1011 - i) for i in range(10)]
    assert history[0].more is True
    assert history[1].snapshots == [] and history[1].more is False


def test_price_history_fetches_only_the_rows_the_page_shows(priced_framework):
    desktop, extra, contract = priced_framework
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for service, count in ((desktop, 40), (extra, 3)):
        for day in range(count):
            factories.PriceSnapshotFactory(
                service=service,
                effective_at=start + dt.timedelta(days=day),
                unit_price=D(1000 + day),
            )
    contract = selectors.contract_queryset().get(pk=contract.pk)
    with CaptureQueriesContext(connection) as queries:
        history = selectors.price_history(contract)
    # The page: the ten newest of the desktop's 40, "more" to follow; all three of the extra's.
    assert [s.unit_price for s in history[0].snapshots] == [D(1039 - i) for i in range(10)]
    assert history[0].more is True
    assert [s.unit_price for s in history[1].snapshots] == [D(1002), D(1001), D(1000)]
    assert history[1].more is False
    # One query, and the database sent at most eleven rows a service (ten and one to tell
    # whether there are more), not the desktop's 40.
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(query["sql"])
        fetched = cursor.fetchall()
    assert len(fetched) == 11 + 3
    assert selectors.latest_snapshots([desktop.pk], rows=11).count() == 11


def test_a_cio_sees_only_their_own_organisations_contracts(cio, procurement, approver):
    own = factories.ContractFactory(organisation=cio.organisation)
    other = factories.ContractFactory()
    assert list(selectors.contracts_visible(user=cio)) == [own]
    assert set(selectors.contracts_visible(user=procurement)) == {own, other}
    assert set(selectors.contracts_visible(user=approver)) == {own, other}
    with pytest.raises(selectors.Http404):
        selectors.contract_get(user=cio, reference=other.reference)
    assert selectors.contract_get(user=cio, reference=own.reference) == own
    assert list(selectors.organisations_with_contracts(user=cio)) == [cio.organisation]
