"""contracts/values.py: contract values from hand-computed figures, and their invariants."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from contracts.values import LineInput, contract_figures

D = Decimal


def dius_platform_lines():
    """CON-2026-0004 as signed: desktop 1,000 at 2142.68 (core), collaboration 1,000 at 150.00,
    wireless 400 at 95.00; prices unchanged since signing."""
    return [
        LineInput(1000, D("2142.68"), D("2142.68"), is_core=True),
        LineInput(1000, D("150.00"), D("150.00"), is_core=False),
        LineInput(400, D("95.00"), D("95.00"), is_core=False),
    ]


def test_dius_platform_contract_values_by_hand():
    figures = contract_figures(
        dius_platform_lines(), term_years=7, previous_cost_per_seat=D("2850.00")
    )
    # 1000 x 2142.68 = 2,142,680.00; + 150,000.00 + 38,000.00 = 2,330,680.00 a year
    assert figures.annual_value == D("2330680.00")
    assert figures.total_value == D("16314760.00")  # x 7
    # Core: 2,142,680.00 x 7 = 14,998,760.00 (the "about £15m" of the brief)
    assert figures.core_value == D("14998760.00")
    assert figures.core_value_now == D("14998760.00")
    assert figures.core_seats == 1000
    # 2850.00 x 1000 = 2,850,000.00 - 2,142,680.00 = 707,320.00 (24.818…% → 24.8%)
    assert figures.previous_annual_cost == D("2850000.00")
    assert figures.savings_per_year == D("707320.00")
    assert figures.savings_percent == D("24.8")
    assert figures.savings_over_term == D("4951240.00")


def test_repriced_lines_change_values_now_but_not_at_signing():
    """ONS signed desktop at 2559.68; the framework price has since fallen to 2142.68."""
    lines = [
        LineInput(600, D("2559.68"), D("2142.68"), is_core=True),
        LineInput(300, D("95.00"), D("95.00"), is_core=False),
    ]
    figures = contract_figures(lines, term_years=3, previous_cost_per_seat=D("2800.00"))
    # now: 600 x 2142.68 = 1,285,608.00 + 28,500.00 = 1,314,108.00
    assert figures.annual_value == D("1314108.00")
    assert figures.total_value == D("3942324.00")
    # at signing: 600 x 2559.68 = 1,535,808.00 + 28,500.00 = 1,564,308.00
    assert figures.annual_value_at_signing == D("1564308.00")
    assert figures.total_value_at_signing == D("4692924.00")
    assert figures.core_value == D("4607424.00")  # 1,535,808.00 x 3
    assert figures.core_value_now == D("3856824.00")  # 1,285,608.00 x 3
    # 2800 x 600 = 1,680,000.00 - 1,285,608.00 = 394,392.00 (23.476% → 23.5%)
    assert figures.savings_per_year == D("394392.00")
    assert figures.savings_percent == D("23.5")
    assert figures.lines[0].unit_price_change == D("-417.00")
    assert figures.lines[0].annual_at_signing == D("1535808.00")
    assert figures.lines[0].annual_now == D("1285608.00")


def test_no_savings_without_a_previous_cost_or_without_core_seats():
    integration = [
        LineInput(1000, D("60.00"), D("60.00"), is_core=False),
        LineInput(1000, D("25.00"), D("25.00"), is_core=False),
        LineInput(1000, D("12.00"), D("12.00"), is_core=False),
    ]
    figures = contract_figures(integration, term_years=1, previous_cost_per_seat=D("500.00"))
    assert figures.annual_value == D("97000.00")
    assert figures.core_value == D("0.00")
    assert figures.savings_per_year is None
    assert figures.savings_percent is None

    figures = contract_figures(dius_platform_lines(), term_years=7, previous_cost_per_seat=None)
    assert figures.previous_annual_cost is None
    assert figures.savings_per_year is None


def test_a_contract_dearer_than_before_shows_negative_savings():
    lines = [LineInput(10, D("1000.00"), D("1000.00"), is_core=True)]
    figures = contract_figures(lines, term_years=2, previous_cost_per_seat=D("900.00"))
    assert figures.savings_per_year == D("-1000.00")
    assert figures.savings_percent == D("-11.1")


def test_an_empty_contract_is_worth_nothing_to_the_penny():
    figures = contract_figures([], term_years=3, previous_cost_per_seat=D("100.00"))
    assert figures.annual_value == D("0.00")
    assert str(figures.total_value) == "0.00"
    assert figures.savings_per_year is None


prices = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)
lines_strategy = st.lists(
    st.builds(
        LineInput,
        seats=st.integers(min_value=1, max_value=1_000_000),
        unit_price_at_signing=prices,
        current_unit_price=prices,
        is_core=st.booleans(),
    ),
    max_size=8,
)


@given(
    lines=lines_strategy,
    term=st.integers(min_value=1, max_value=10),
    previous=st.none() | prices,
)
def test_values_are_exact_sums_of_pennies(lines, term, previous):
    figures = contract_figures(lines, term_years=term, previous_cost_per_seat=previous)
    assert figures.annual_value == sum((ln.current_unit_price * ln.seats for ln in lines), D(0))
    assert figures.total_value == figures.annual_value * term
    assert (
        figures.core_value
        + sum((ln.unit_price_at_signing * ln.seats * term for ln in lines if not ln.is_core), D(0))
        == figures.total_value_at_signing
    )
    # Every figure is a whole number of pennies, never rounded.
    for amount in (figures.annual_value, figures.total_value, figures.core_value):
        assert amount == amount.quantize(D("0.01"))
        assert amount.as_tuple().exponent == -2
    if figures.savings_per_year is not None:
        assert figures.savings_per_year + figures.core_annual_now == figures.previous_annual_cost
        assert figures.savings_over_term == figures.savings_per_year * term
