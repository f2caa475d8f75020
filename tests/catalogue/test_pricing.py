"""The pricing engine: hand-computed figures, and properties that hold for every valid input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import pricing
from catalogue.pricing import Band, CostShareScheme, FlatScheme, VolumeScheme

from .strategies import (
    cost_share_schemes,
    framework_seats,
    money,
    monotone_schemes,
    quote_requests,
    schemes,
    volume_schemes,
)

D = Decimal
DESKTOP = CostShareScheme(
    fixed_annual_cost=D("5300000.00"), marginal_cost=D("850.00"), floor=D("900.00")
)
HR = CostShareScheme(fixed_annual_cost=D("600000.00"), marginal_cost=D("40.00"), floor=D("60.00"))
WIRELESS = VolumeScheme(
    bands=(
        Band(1000, D("120.00")),
        Band(5000, D("95.00")),
        Band(20000, D("80.00")),
        Band(None, D("70.00")),
    )
)
EMAIL = VolumeScheme(bands=(Band(5000, D("60.00")), Band(None, D("48.00"))))
INTRANET = FlatScheme(unit_price_value=D("25.00"))


def priced(slug: str, scheme: pricing.Scheme, seats: int) -> pricing.PricedService:
    return pricing.PricedService(
        slug=slug,
        name=slug.title(),
        scheme=scheme,
        framework_seats=seats,
        is_core=slug == "desktop",
    )


# --- hand-computed figures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        (0, "5300850.00"),  # max(seats, 1): nobody yet, one seat would carry the whole cost
        (1, "5300850.00"),
        (2500, "2970.00"),  # 5,300,000 / 2,500 = 2,120 + 850
        (3100, "2559.68"),  # 1,709.677419... + 850
        (4100, "2142.68"),  # 1,292.682926... + 850
        (6100, "1718.85"),  # 868.852459... + 850
        (106_000, "900.00"),  # 50 + 850 = 900: at the floor
        (1_000_000, "900.00"),  # 5.30 + 850 = 855.30, below the floor
    ],
)
def test_cost_share_unit_price_by_hand(seats, expected):
    assert DESKTOP.unit_price(seats) == D(expected)


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        (0, "120.00"),
        (1000, "120.00"),
        (1001, "95.00"),
        (5000, "95.00"),
        (5001, "80.00"),
        (20000, "80.00"),
        (20001, "70.00"),
    ],
)
def test_volume_band_includes_its_upper_bound(seats, expected):
    assert WIRELESS.unit_price(seats) == D(expected)


def test_flat_price_ignores_seats():
    assert INTRANET.unit_price(0) == INTRANET.unit_price(10**7) == D("25.00")


def test_cost_share_rounds_half_a_penny_up():
    # 1.00 / 8 = 0.125 exactly: half-up gives 0.13 where Python's default (half-even) gives 0.12.
    scheme = CostShareScheme(fixed_annual_cost=D("1.00"), marginal_cost=D("0"), floor=D("0"))
    assert scheme.unit_price(8) == D("0.13")
    # 0.05 / 2 = 0.025 -> 0.03; 2,142.685 would be 2,142.69.
    assert CostShareScheme(D("0.05"), D("0"), D("0")).unit_price(2) == D("0.03")
    assert CostShareScheme(D("2142.685") * 2 - D("1700.00") * 2, D("1700.00"), D("0")).unit_price(
        2
    ) == D("2142.69")


def test_round_money_is_half_up():
    assert pricing.round_money(D("0.005")) == D("0.01")
    assert pricing.round_money(D("2.675")) == D("2.68")
    assert pricing.round_money(D("-0.005")) == D("-0.01")
    assert pricing.round_money(D("0.0049")) == D("0.00")


def test_quote_for_the_agency_application_by_hand():
    """The agency's application: 2,000 seats each of desktop, email and HR, 5 years, paying
    £2,400 a seat today, against the demo framework (desktop 4,100, email 3,500, HR 2,500)."""
    result = pricing.quote(
        [
            pricing.QuoteRequestLine(priced("desktop", DESKTOP, 4100), 2000),
            pricing.QuoteRequestLine(priced("email", EMAIL, 3500), 2000),
            pricing.QuoteRequestLine(priced("hr-systems", HR, 2500), 2000),
        ],
        term_years=5,
        current_cost_per_seat=D("2400.00"),
    )
    desktop, email, hr = result.lines
    assert (desktop.unit_price_now, desktop.unit_price_if_joined) == (D("2142.68"), D("1718.85"))
    assert desktop.annual_cost == D("3437700.00")
    # Email: 3,500 seats in the first band (up to 5,000); 5,500 with the agency: £48.
    assert (email.unit_price_now, email.unit_price_if_joined, email.annual_cost) == (
        D("60.00"),
        D("48.00"),
        D("96000.00"),
    )
    # HR: 600,000 / 2,500 + 40 = 280; 600,000 / 4,500 + 40 = 173.333... -> 173.33.
    assert (hr.unit_price_now, hr.unit_price_if_joined, hr.annual_cost) == (
        D("280.00"),
        D("173.33"),
        D("346660.00"),
    )
    assert result.annual_total == D("3880360.00")
    assert result.term_total == D("19401800.00")
    # Today's cost per desktop seat is compared with the 2,000 core desktops only: the extras
    # are new services (README, "Pricing"). 4,800,000 - 3,437,700 = 1,362,300. Before the rule
    # was shared the quote took every line's cost: 919,640.00 (19.2%).
    assert result.core_seats == 2000
    assert result.current_annual_cost == D("4800000.00")
    assert result.savings_per_year == D("1362300.00")
    assert result.savings_percent == D("28.4")  # 1,362,300 / 4,800,000 = 28.38...%


def test_quote_without_current_cost_has_no_savings():
    result = pricing.quote(
        [pricing.QuoteRequestLine(priced("intranet", INTRANET, 0), 10)], term_years=3
    )
    assert result.annual_total == D("250.00")
    assert result.term_total == D("750.00")
    assert result.savings_per_year is None and result.savings_percent is None


def test_a_quote_for_extras_only_has_no_saving():
    """The previous cost per seat is for desktops: a quote without one has nothing to compare."""
    result = pricing.quote(
        [pricing.QuoteRequestLine(priced("email", EMAIL, 3500), 2000)],
        term_years=5,
        current_cost_per_seat=D("2400.00"),
    )
    assert (result.current_annual_cost, result.savings_per_year, result.savings_percent) == (
        None,
        None,
        None,
    )


def test_quote_with_zero_current_cost_has_savings_but_no_percent():
    result = pricing.quote(
        [pricing.QuoteRequestLine(priced("desktop", INTRANET, 0), 10)],
        term_years=1,
        current_cost_per_seat=D("0"),
    )
    assert result.savings_per_year == D("-250.00")
    assert result.savings_percent is None


def test_percent_saving():
    assert pricing.percent_saving(D("3300.00"), D("2142.68")) == D("35.1")
    assert pricing.percent_saving(D("0"), D("10")) is None
    assert pricing.percent_saving(D("100"), D("120")) == D("-20.0")


def test_floor_reached_at_for_the_desktop():
    # 5,300,000 / (900.005 - 850) = 105,989.40...: from 105,990 seats the price shows £900.00.
    assert pricing.cost_share_floor_reached_at(DESKTOP) == 105_990
    assert DESKTOP.unit_price(105_990) == D("900.00")
    assert DESKTOP.unit_price(105_989) == D("900.01")


def test_floor_never_reached_when_marginal_cost_is_at_the_floor():
    assert pricing.cost_share_floor_reached_at(CostShareScheme(D("100"), D("10"), D("10"))) is None
    assert pricing.cost_share_floor_reached_at(CostShareScheme(D("0"), D("10"), D("5"))) is None


def test_framework_savings_for_the_demo_members_by_hand():
    savings = pricing.framework_savings(
        [
            pricing.MemberCost("Cabinet Office", 2500, D("3300.00"), "CON-2026-0001"),
            pricing.MemberCost("ONS", 600, D("2800.00"), "CON-2026-0002"),
            pricing.MemberCost("DIUS", 1000, D("2850.00"), "CON-2026-0004"),
        ],
        current_unit_price=D("2142.68"),
    )
    assert [m.saving_per_year for m in savings.members] == [
        D("2893300.00"),
        D("394392.00"),
        D("707320.00"),
    ]
    assert savings.previous_annual_cost == D("12780000.00")
    assert savings.current_annual_cost == D("8784988.00")
    assert savings.saving_per_year == D("3995012.00")
    assert savings.saving_percent == D("31.3")  # 3,995,012 / 12,780,000 = 31.259...%
    assert savings.aim_met is True
    assert savings.progress_percent == D("100")


def test_framework_savings_short_of_the_aim():
    savings = pricing.framework_savings(
        [pricing.MemberCost("A", 100, D("1000.00"))], current_unit_price=D("900.00")
    )
    assert savings.saving_percent == D("10.0")
    assert savings.aim_met is False
    assert savings.progress_percent == D("50.0")


def test_framework_savings_with_nobody():
    savings = pricing.framework_savings([], current_unit_price=D("900.00"))
    assert savings.saving_per_year == D("0.00")
    assert savings.saving_percent is None
    assert savings.progress_percent == D("0")


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((), "Add at least one band."),
        ((Band(1000, D("10")), Band(2000, D("5"))), "The last band must have no upper bound"),
        ((Band(2000, D("10")), Band(1000, D("5")), Band(None, D("1"))), "Band bounds must rise"),
        ((Band(1000, D("10")), Band(None, D("20"))), "cannot cost more per seat"),
        ((Band(None, D("10")), Band(1000, D("5")), Band(None, D("1"))), "Only the last band"),
        ((Band(0, D("10")), Band(None, D("5"))), "at least 1 seat"),
        ((Band(None, D("-1")),), "cannot be negative"),
    ],
)
def test_volume_validation_messages(bands, message):
    with pytest.raises(pricing.SchemeError) as error:
        VolumeScheme(bands=bands).validate()
    assert any(message in m for m in error.value.errors["bands"])


def test_cost_share_floor_must_be_reachable():
    with pytest.raises(pricing.SchemeError) as error:
        CostShareScheme(D("100"), D("10"), D("111")).validate()
    assert list(error.value.errors) == ["floor"]
    CostShareScheme(D("100"), D("10"), D("110")).validate()


def test_negative_parameters_are_refused():
    with pytest.raises(pricing.SchemeError) as error:
        CostShareScheme(D("-1"), D("-1"), D("0")).validate()
    assert set(error.value.errors) == {"fixed_annual_cost", "marginal_cost"}
    with pytest.raises(pricing.SchemeError):
        FlatScheme(D("-0.01")).validate()


# --- properties -----------------------------------------------------------------------------


@given(schemes)
def test_generated_schemes_are_valid(scheme):
    scheme.validate()


@given(monotone_schemes, framework_seats, framework_seats)
def test_price_never_rises_as_framework_seats_grow(scheme, a, b):
    fewer, more = sorted((a, b))
    assert scheme.unit_price(more) <= scheme.unit_price(fewer)


@given(schemes, framework_seats)
def test_unit_prices_are_whole_pence_and_not_negative(scheme, seats):
    price = scheme.unit_price(seats)
    assert price >= 0
    assert price == pricing.round_money(price)
    assert price.as_tuple().exponent == -2


@given(cost_share_schemes(), framework_seats)
def test_cost_share_never_below_its_floor(scheme, seats):
    assert scheme.unit_price(seats) >= pricing.round_money(scheme.floor)


@given(volume_schemes(), framework_seats)
def test_volume_price_is_one_of_its_bands(scheme, seats):
    assert scheme.unit_price(seats) in {pricing.round_money(b.unit_price) for b in scheme.bands}


@given(cost_share_schemes())
def test_floor_reached_at_is_the_first_seat_count_at_the_floor(scheme):
    reached = pricing.cost_share_floor_reached_at(scheme)
    if reached is None:
        return
    assert scheme.unit_price(reached) == scheme.floor
    if reached > 1:
        assert scheme.unit_price(reached - 1) > scheme.floor


@given(quote_requests())
def test_quoting_the_same_lines_twice_gives_the_same_answer(request_):
    lines, term, current = request_
    first = pricing.quote(lines, term_years=term, current_cost_per_seat=current)
    again = pricing.quote(list(lines), term_years=term, current_cost_per_seat=current)
    assert first == again


@given(quote_requests())
def test_totals_are_the_sum_of_line_costs_to_the_penny(request_):
    lines, term, current = request_
    result = pricing.quote(lines, term_years=term, current_cost_per_seat=current)
    for line in result.lines:
        assert line.annual_cost == line.seats * line.unit_price_if_joined
        assert line.annual_cost == pricing.round_money(line.annual_cost)
    assert result.annual_total == sum(line.annual_cost for line in result.lines)
    assert result.term_total == result.annual_total * term
    assert result.term_total == pricing.round_money(result.term_total)
    for line in result.lines:
        assert line.term_cost == line.annual_cost * term
    assert result.term_total == sum(line.term_cost for line in result.lines)
    core = [line for line in result.lines if line.service.is_core]
    if current is not None and core:
        core_annual = sum(line.annual_cost for line in core)
        assert result.savings_per_year == current * result.core_seats - core_annual
    else:
        assert result.savings_per_year is None


@given(quote_requests())
def test_no_exception_and_joining_never_raises_a_monotone_price(request_):
    lines, term, current = request_
    result = pricing.quote(lines, term_years=term, current_cost_per_seat=current)
    for line in result.lines:
        if not isinstance(line.service.scheme, FlatScheme):
            assert line.unit_price_if_joined <= line.unit_price_now
        else:
            assert line.unit_price_if_joined == line.unit_price_now


@given(st.lists(st.tuples(st.integers(1, 10**6), money), max_size=8), money)
def test_framework_savings_add_up(costs, price):
    members = [pricing.MemberCost(f"M{i}", seats, cost) for i, (seats, cost) in enumerate(costs)]
    savings = pricing.framework_savings(members, current_unit_price=price)
    assert savings.saving_per_year == sum((m.saving_per_year for m in savings.members), D("0"))
    assert D("0") <= savings.progress_percent <= D("100")
