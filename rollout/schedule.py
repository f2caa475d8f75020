"""Rollout arithmetic with no database: laying out waves from a template, sharing seats out,
progress, overdue waves and seats going live per month.

Conventions used throughout:
- A phase or wave of `duration_days` runs from its start to start + duration_days - 1
  inclusive, so a one-day wave starts and ends on the same day (the model's
  `planned_end >= planned_start`).
- A plan starts on the earliest of its waves' planned starts and its milestones' due dates;
  template offsets count days from there, so saving a plan as a template and laying that
  template out again from the same start and seats reproduces the plan.
- A contract's seats are the seats of its core-service lines (summed, in case there is ever
  more than one core service), or of its largest line when it has no core service (an
  integration call-off such as email for 1,000 staff covers 1,000 people).
- Every date of a plan (its start, each wave's planned and actual dates, each milestone) falls
  within its contract's `term_window`: from `LEAD_IN_DAYS` before the contract starts (the
  design sign-off, pilot and preparation that come between signing and the start of the term)
  to the term's last day. The services refuse any other date; the pages and charts clamp to
  the window, so a row stored before the rule (or straight into the database) cannot break
  them. Date arithmetic here goes through `shift`, which stops at the ends of the calendar
  rather than raising OverflowError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DONE = "done"
SHARE_PLACES = Decimal("0.000001")  # TemplatePhase.seat_share has 6 decimal places
LEAD_IN_DAYS = 90


# --- dates ----------------------------------------------------------------------------


def shift(day: dt.date, *, days: int) -> dt.date:
    """`day` moved by `days`, stopping at 1 January 1 and 31 December 9999 instead of raising
    OverflowError."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


@dataclass(frozen=True)
class DateWindow:
    """The days a plan's dates may fall on, both ends included."""

    earliest: dt.date
    latest: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest

    def clamp(self, day: dt.date) -> dt.date:
        return min(max(day, self.earliest), self.latest)


def term_window(contract_start: dt.date, contract_end: dt.date) -> DateWindow:
    """From `LEAD_IN_DAYS` before the contract starts to the last day of its term
    (`contract_end` is `Contract.end_date`, the day after the last day)."""
    return DateWindow(shift(contract_start, days=-LEAD_IN_DAYS), shift(contract_end, days=-1))


# --- contracts ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractLineSeats:
    is_core: bool
    seats: int


def contracted_seats(lines: Iterable[ContractLineSeats]) -> int:
    """Seats a rollout may plan for: core lines summed, else the largest line, else 0."""
    lines = list(lines)
    core = [line.seats for line in lines if line.is_core]
    if core:
        return sum(core)
    return max((line.seats for line in lines), default=0)


# --- seat allocation ------------------------------------------------------------------


def allocate_seats(total: int, shares: Sequence[Decimal | Fraction | int]) -> list[int]:
    """Share `total` seats out in proportion to `shares`, by largest remainder.

    The result always sums to exactly `total` (shares need not sum to 1: a template's shares,
    rounded to six places, may sum to 0.999999). Each part gets its quota rounded down, and the
    seats left over go one each to the parts with the largest fractional remainders, earlier
    parts first on a tie. When `total` is at least the number of parts every part gets at
    least one seat (a wave of no seats is not a wave): a part that would get none takes one
    from the largest part.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not shares:
        raise ValueError("at least one share is needed")
    fractions = [Fraction(share) for share in shares]
    if any(share <= 0 for share in fractions):
        raise ValueError("shares must be positive")
    whole = sum(fractions)
    quotas = [total * share / whole for share in fractions]
    seats = [int(quota) for quota in quotas]  # quotas are non-negative: int() rounds down
    left_over = total - sum(seats)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - seats[i]), i))
    for i in by_remainder[:left_over]:
        seats[i] += 1
    if total >= len(seats):
        for i, value in enumerate(seats):
            if value == 0:
                largest = max(range(len(seats)), key=lambda j: (seats[j], -j))
                seats[largest] -= 1
                seats[i] = 1
    return seats


def seat_share(seats: int, total: int) -> Decimal:
    """A wave's share of its plan's seats, to six places (never 0: the model needs > 0)."""
    share = (Decimal(seats) / Decimal(total)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)
    return max(share, SHARE_PLACES)


# --- templates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One phase of a template, relative to the plan start."""

    name: str
    offset_days: int
    duration_days: int
    seat_share: Decimal


@dataclass(frozen=True)
class TemplateMilestoneSpec:
    name: str
    offset_days: int


@dataclass(frozen=True)
class WaveLayout:
    """A wave as laid out from a template phase."""

    order: int
    name: str
    seats: int
    planned_start: dt.date
    planned_end: dt.date


@dataclass(frozen=True)
class MilestoneLayout:
    name: str
    due_on: dt.date


@dataclass(frozen=True)
class PlannedWave:
    """A wave of an existing plan, as much as a template needs of it."""

    name: str
    seats: int
    planned_start: dt.date
    planned_end: dt.date


@dataclass(frozen=True)
class PlannedMilestone:
    name: str
    due_on: dt.date


def plan_start(
    waves: Sequence[PlannedWave], milestones: Sequence[PlannedMilestone] = ()
) -> dt.date:
    dates = [w.planned_start for w in waves] + [m.due_on for m in milestones]
    if not dates:
        raise ValueError("a plan with no waves or milestones has no start")
    return min(dates)


def phases_from_plan(
    waves: Sequence[PlannedWave], milestones: Sequence[PlannedMilestone] = ()
) -> tuple[list[Phase], list[TemplateMilestoneSpec]]:
    """A plan turned into template phases: offsets and durations from its start, and each
    wave's share of the plan's seats (the sum of its waves' seats)."""
    if not waves:
        raise ValueError("a plan with no waves cannot become a template")
    start = plan_start(waves, milestones)
    total = sum(w.seats for w in waves)
    phases = [
        Phase(
            name=w.name,
            offset_days=(w.planned_start - start).days,
            duration_days=(w.planned_end - w.planned_start).days + 1,
            seat_share=seat_share(w.seats, total),
        )
        for w in waves
    ]
    marks = [TemplateMilestoneSpec(m.name, (m.due_on - start).days) for m in milestones]
    return phases, marks


def template_span_days(
    phases: Sequence[Phase], milestones: Iterable[TemplateMilestoneSpec] = ()
) -> int:
    """Days from a plan's start to the last day of its last wave or milestone, laid out from
    these phases and milestones (0 for a single one-day wave)."""
    ends = [p.offset_days + p.duration_days - 1 for p in phases]
    ends += [m.offset_days for m in milestones]
    return max(ends, default=0)


def layout_waves(phases: Sequence[Phase], *, start: dt.date, seats: int) -> list[WaveLayout]:
    """Waves for a new plan: each phase shifted to `start` and its share scaled to `seats`."""
    allocation = allocate_seats(seats, [phase.seat_share for phase in phases])
    waves = []
    for order, (phase, wave_seats) in enumerate(zip(phases, allocation, strict=True), start=1):
        first_day = shift(start, days=phase.offset_days)
        waves.append(
            WaveLayout(
                order=order,
                name=phase.name,
                seats=wave_seats,
                planned_start=first_day,
                planned_end=shift(first_day, days=phase.duration_days - 1),
            )
        )
    return waves


def layout_milestones(
    milestones: Iterable[TemplateMilestoneSpec], *, start: dt.date
) -> list[MilestoneLayout]:
    return [
        MilestoneLayout(name=m.name, due_on=shift(start, days=m.offset_days)) for m in milestones
    ]


# --- progress -------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveFacts:
    """What progress and the monthly view need to know about a wave."""

    seats: int
    status: str
    planned_start: dt.date
    planned_end: dt.date
    actual_end: dt.date | None = None


def is_overdue(wave: WaveFacts, *, today: dt.date) -> bool:
    """Due to have finished before today and not done (blocked waves count too)."""
    return wave.status != DONE and wave.planned_end < today


@dataclass(frozen=True)
class Progress:
    seats_live: int
    seats_contracted: int
    overdue_waves: int

    @property
    def percent(self) -> int:
        """Whole per cent, rounded down so that a plan shows 100% only when complete."""
        if self.seats_contracted <= 0:
            return 0
        return min(100, self.seats_live * 100 // self.seats_contracted)


def progress(waves: Iterable[WaveFacts], *, seats_contracted: int, today: dt.date) -> Progress:
    """Seats live are the seats of done waves."""
    waves = list(waves)
    return Progress(
        seats_live=sum(w.seats for w in waves if w.status == DONE),
        seats_contracted=seats_contracted,
        overdue_waves=sum(1 for w in waves if is_overdue(w, today=today)),
    )


# --- seats going live per month -------------------------------------------------------


@dataclass(frozen=True)
class MonthTotal:
    month: dt.date  # the first of the month
    seats_live: int  # done waves, by the month they went live (actual end)
    seats_planned: int  # waves not done yet, by the month they are planned to end

    @property
    def seats(self) -> int:
        return self.seats_live + self.seats_planned


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date | None:
    """The first of the next month; None after December 9999."""
    if month.month < 12:
        return month.replace(month=month.month + 1)
    return None if month.year == dt.date.max.year else month.replace(year=month.year + 1, month=1)


def going_live_on(wave: WaveFacts) -> dt.date:
    """The day a wave's seats went live (done) or are planned to (not done yet)."""
    if wave.status == DONE and wave.actual_end is not None:
        return wave.actual_end
    return wave.planned_end


def seats_going_live_by_month(
    waves: Iterable[WaveFacts], *, window: DateWindow | None = None
) -> list[MonthTotal]:
    """Every month from the first to the last with seats going live, gaps included (zeros),
    so that a chart of it has an even time axis. With a `window`, waves going live outside it
    are left out."""
    live: dict[dt.date, int] = {}
    planned: dict[dt.date, int] = {}
    for wave in waves:
        day = going_live_on(wave)
        if window is not None and day not in window:
            continue
        totals = live if wave.status == DONE and wave.actual_end is not None else planned
        month = _first_of_month(day)
        totals[month] = totals.get(month, 0) + wave.seats
    return months_filled(live, planned)


def months_filled(live: dict[dt.date, int], planned: dict[dt.date, int]) -> list[MonthTotal]:
    """Seats live and planned by month (each keyed by the first of its month), as every month
    from the first to the last, gaps included (zeros)."""
    months = set(live) | set(planned)
    if not months:
        return []
    totals = []
    month, last = min(months), max(months)
    while month is not None and month <= last:
        totals.append(MonthTotal(month, live.get(month, 0), planned.get(month, 0)))
        month = _next_month(month)
    return totals
