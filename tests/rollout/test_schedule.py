"""rollout/schedule.py: seat allocation, template layout, progress, overdue, monthly totals."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rollout import schedule
from rollout.schedule import (
    ContractLineSeats,
    Phase,
    PlannedMilestone,
    PlannedWave,
    TemplateMilestoneSpec,
    WaveFacts,
)

D = dt.date

# The demo's Cabinet Office template: 100, 600, 600, 700 and 500 of 2,500 seats.
CABINET_OFFICE_PHASES = [
    Phase("Pilot", 0, 26, Decimal("0.040000")),
    Phase("Wave 1", 35, 40, Decimal("0.240000")),
    Phase("Wave 2", 84, 40, Decimal("0.240000")),
    Phase("Wave 3", 147, 40, Decimal("0.280000")),
    Phase("Wave 4", 196, 26, Decimal("0.200000")),
]


# --- contracted seats -----------------------------------------------------------------


def test_contracted_seats_are_the_core_lines():
    lines = [ContractLineSeats(True, 2500), ContractLineSeats(False, 800)]
    assert schedule.contracted_seats(lines) == 2500


def test_contracted_seats_sum_several_core_lines():
    lines = [
        ContractLineSeats(True, 300),
        ContractLineSeats(True, 200),
        ContractLineSeats(False, 900),
    ]
    assert schedule.contracted_seats(lines) == 500


def test_contracted_seats_without_a_core_line_are_the_largest_line():
    lines = [ContractLineSeats(False, 1000), ContractLineSeats(False, 1200)]
    assert schedule.contracted_seats(lines) == 1200


def test_a_contract_without_lines_has_no_seats():
    assert schedule.contracted_seats([]) == 0


# --- seat allocation ------------------------------------------------------------------


def test_thirds_of_1000_give_the_left_over_seat_to_the_first():
    # 333.33… each: 999 by rounding down, the 1,000th goes to the first on the tie.
    thirds = [Decimal("0.333333")] * 3
    assert schedule.allocate_seats(1000, thirds) == [334, 333, 333]


def test_left_over_seats_go_to_the_largest_remainders():
    # Quotas 31.08, 186.48, 186.48, 217.56, 155.40: 775 rounded down; the two left over go to
    # .56 (wave 3) then the first .48 (wave 1).
    shares = [p.seat_share for p in CABINET_OFFICE_PHASES]
    assert schedule.allocate_seats(777, shares) == [31, 187, 186, 218, 155]


def test_shares_that_do_not_sum_to_one_are_normalised():
    # 0.333333 x 3 = 0.999999: the seats still add up to the total.
    assert sum(schedule.allocate_seats(7, [Decimal("0.333333")] * 3)) == 7


def test_every_wave_gets_a_seat_when_there_are_enough():
    # Quotas 2.94, 0.03, 0.03 would leave two waves empty: each takes one from the largest.
    shares = [Decimal("0.98"), Decimal("0.01"), Decimal("0.01")]
    assert schedule.allocate_seats(3, shares) == [1, 1, 1]
    assert schedule.allocate_seats(100, shares) == [98, 1, 1]


def test_allocation_refuses_no_shares_or_non_positive_shares():
    with pytest.raises(ValueError):
        schedule.allocate_seats(10, [])
    with pytest.raises(ValueError):
        schedule.allocate_seats(10, [Decimal("0.5"), Decimal("0")])
    with pytest.raises(ValueError):
        schedule.allocate_seats(-1, [Decimal("1")])


share_lists = st.lists(
    st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("1"), places=6),
    min_size=1,
    max_size=12,
)


@given(total=st.integers(min_value=0, max_value=1_000_000), shares=share_lists)
def test_allocation_always_sums_exactly_to_the_total(total, shares):
    seats = schedule.allocate_seats(total, shares)
    assert sum(seats) == total
    assert len(seats) == len(shares)
    assert all(s >= 0 for s in seats)
    if total >= len(shares):
        assert all(s >= 1 for s in seats)


@given(total=st.integers(min_value=0, max_value=1_000_000), shares=share_lists)
def test_allocation_is_within_one_seat_of_the_exact_share(total, shares):
    whole = sum(Fraction(s) for s in shares)
    quotas = [total * Fraction(s) / whole for s in shares]
    seats = schedule.allocate_seats(total, shares)
    if all(q >= 1 for q in quotas) or total < len(shares):  # no minimum-seat correction
        assert all(abs(s - q) < 1 for s, q in zip(seats, quotas, strict=True))


# --- template layout ------------------------------------------------------------------


def test_layout_shifts_dates_exactly_and_scales_seats():
    waves = schedule.layout_waves(CABINET_OFFICE_PHASES, start=D(2027, 6, 7), seats=1000)
    assert [(w.order, w.name, w.seats, w.planned_start, w.planned_end) for w in waves] == [
        (1, "Pilot", 40, D(2027, 6, 7), D(2027, 7, 2)),
        (2, "Wave 1", 240, D(2027, 7, 12), D(2027, 8, 20)),
        (3, "Wave 2", 240, D(2027, 8, 30), D(2027, 10, 8)),
        (4, "Wave 3", 280, D(2027, 11, 1), D(2027, 12, 10)),
        (5, "Wave 4", 200, D(2027, 12, 20), D(2028, 1, 14)),
    ]


def test_a_one_day_phase_starts_and_ends_the_same_day():
    (wave,) = schedule.layout_waves(
        [Phase("Day", 3, 1, Decimal("1"))], start=D(2027, 2, 26), seats=5
    )
    assert (wave.planned_start, wave.planned_end) == (D(2027, 3, 1), D(2027, 3, 1))


def test_layout_crosses_a_leap_day():
    (wave,) = schedule.layout_waves([Phase("W", 0, 2, Decimal("1"))], start=D(2028, 2, 28), seats=5)
    assert wave.planned_end == D(2028, 2, 29)


def test_milestones_shift_by_their_offsets():
    marks = [
        TemplateMilestoneSpec("Design sign-off", 0),
        TemplateMilestoneSpec("Decommission", 249),
    ]
    laid = schedule.layout_milestones(marks, start=D(2027, 6, 7))
    assert [(m.name, m.due_on) for m in laid] == [
        ("Design sign-off", D(2027, 6, 7)),
        ("Decommission", D(2028, 2, 11)),
    ]


def test_a_plan_becomes_phases_relative_to_its_start():
    waves = [
        PlannedWave("Pilot", 100, D(2026, 4, 13), D(2026, 5, 8)),
        PlannedWave("Wave 1", 600, D(2026, 5, 18), D(2026, 6, 26)),
        PlannedWave("Wave 2", 600, D(2026, 7, 6), D(2026, 8, 14)),
        PlannedWave("Wave 3", 700, D(2026, 9, 7), D(2026, 10, 16)),
        PlannedWave("Wave 4", 500, D(2026, 10, 26), D(2026, 11, 20)),
    ]
    milestones = [PlannedMilestone("Design sign-off", D(2026, 4, 13))]
    phases, marks = schedule.phases_from_plan(waves, milestones)
    assert phases == CABINET_OFFICE_PHASES
    assert marks == [TemplateMilestoneSpec("Design sign-off", 0)]


def test_a_milestone_before_the_first_wave_starts_the_plan():
    waves = [PlannedWave("Pilot", 10, D(2026, 4, 13), D(2026, 4, 20))]
    phases, marks = schedule.phases_from_plan(waves, [PlannedMilestone("Kick-off", D(2026, 4, 1))])
    assert phases[0].offset_days == 12
    assert marks == [TemplateMilestoneSpec("Kick-off", 0)]


def test_shares_of_a_third_round_half_up_to_six_places():
    waves = [PlannedWave(f"W{i}", 1, D(2026, 1, 1), D(2026, 1, 1)) for i in range(3)]
    phases, _ = schedule.phases_from_plan(waves)
    assert [p.seat_share for p in phases] == [Decimal("0.333333")] * 3
    assert schedule.seat_share(2, 3) == Decimal("0.666667")


def test_a_tiny_share_is_never_zero():
    assert schedule.seat_share(1, 10_000_000) == Decimal("0.000001")


def test_a_plan_without_waves_cannot_become_a_template():
    with pytest.raises(ValueError):
        schedule.phases_from_plan([])


@st.composite
def plans(draw):
    start = draw(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)))
    waves = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        first = start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=700)))
        last = first + dt.timedelta(days=draw(st.integers(min_value=0, max_value=120)))
        waves.append(PlannedWave(f"Wave {i}", draw(st.integers(1, 20_000)), first, last))
    return waves


@given(
    waves=plans(),
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 1, 1)),
    seats=st.integers(min_value=8, max_value=200_000),
)
def test_layout_keeps_every_offset_and_duration(waves, start, seats):
    phases, _ = schedule.phases_from_plan(waves)
    laid = schedule.layout_waves(phases, start=start, seats=seats)
    assert sum(w.seats for w in laid) == seats
    for phase, wave in zip(phases, laid, strict=True):
        assert (wave.planned_start - start).days == phase.offset_days
        assert (wave.planned_end - wave.planned_start).days + 1 == phase.duration_days


@given(waves=plans())
def test_a_template_laid_out_from_its_plans_start_and_seats_is_the_plan(waves):
    phases, _ = schedule.phases_from_plan(waves)
    start = schedule.plan_start(waves)
    laid = schedule.layout_waves(phases, start=start, seats=sum(w.seats for w in waves))
    assert [(w.seats, w.planned_start, w.planned_end) for w in laid] == [
        (w.seats, w.planned_start, w.planned_end) for w in waves
    ]


# --- progress and overdue -------------------------------------------------------------


NOVEMBER_20 = D(2026, 11, 20)


def wave(status, seats=100, planned_end=NOVEMBER_20, actual_end=None):
    return WaveFacts(seats, status, D(2026, 10, 1), planned_end, actual_end)


def test_a_wave_is_overdue_the_day_after_its_planned_end_unless_done():
    assert not schedule.is_overdue(wave("in_progress"), today=D(2026, 11, 20))
    assert schedule.is_overdue(wave("in_progress"), today=D(2026, 11, 21))
    assert schedule.is_overdue(wave("planned"), today=D(2026, 11, 21))
    assert schedule.is_overdue(wave("blocked"), today=D(2026, 11, 21))
    assert not schedule.is_overdue(wave("done", actual_end=D(2026, 12, 1)), today=D(2027, 1, 1))


def test_progress_counts_done_waves_as_live():
    waves = [
        wave("done", 100, actual_end=D(2026, 5, 8)),
        wave("done", 600, actual_end=D(2026, 7, 3)),
        wave("in_progress", 500),
        wave("planned", 300, planned_end=D(2026, 12, 18)),
    ]
    result = schedule.progress(waves, seats_contracted=2500, today=D(2026, 11, 23))
    assert (result.seats_live, result.seats_contracted, result.overdue_waves) == (700, 2500, 1)
    assert result.percent == 28


def test_progress_percent_rounds_down_and_never_passes_100():
    assert schedule.Progress(2499, 2500, 0).percent == 99
    assert schedule.Progress(2500, 2500, 0).percent == 100
    assert schedule.Progress(3000, 2500, 0).percent == 100
    assert schedule.Progress(0, 0, 0).percent == 0


# --- seats going live per month -------------------------------------------------------


def test_seats_go_live_in_the_month_of_the_actual_end_or_the_planned_end():
    waves = [
        wave("done", 100, planned_end=D(2026, 4, 30), actual_end=D(2026, 5, 8)),
        wave("done", 600, planned_end=D(2026, 6, 26), actual_end=D(2026, 7, 3)),
        wave("in_progress", 500, planned_end=D(2026, 7, 20)),
        wave("planned", 40, planned_end=D(2026, 9, 2)),
    ]
    totals = schedule.seats_going_live_by_month(waves)
    assert [(t.month, t.seats_live, t.seats_planned) for t in totals] == [
        (D(2026, 5, 1), 100, 0),
        (D(2026, 6, 1), 0, 0),
        (D(2026, 7, 1), 600, 500),
        (D(2026, 8, 1), 0, 0),
        (D(2026, 9, 1), 0, 40),
    ]
    assert totals[2].seats == 1100


def test_months_run_across_the_new_year():
    waves = [
        wave("planned", 1, planned_end=D(2026, 12, 5)),
        wave("planned", 2, planned_end=D(2027, 1, 5)),
    ]
    assert [t.month for t in schedule.seats_going_live_by_month(waves)] == [
        D(2026, 12, 1),
        D(2027, 1, 1),
    ]


def test_no_waves_no_months():
    assert schedule.seats_going_live_by_month([]) == []
