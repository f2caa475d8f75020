"""Geometry of the rollout charts (a Gantt timeline, seats going live per month), worked out
here so that templates only draw what they are given. Pure: no database, no HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .schedule import DateWindow, MonthTotal, shift

STATUS_CLASS = {
    "planned": "flex-chart__bar--planned",
    "in_progress": "flex-chart__bar--in-progress",
    "done": "flex-chart__bar--done",
    "blocked": "flex-chart__bar--blocked",
}
ACTUAL_FILL = "#0b0c0c"  # GOV.UK text colour: the actual-dates bar under each planned bar
LEGEND = [
    ("done", "Done"),
    ("in_progress", "In progress"),
    ("planned", "Planned"),
    ("blocked", "Blocked"),
]
# Without a window of its own a timeline reaches at most this far either side of today.
DEFAULT_REACH_DAYS = 20 * 365
MAX_TICKS = 8


def _month_label(month: dt.date, *, with_year: bool) -> str:
    return f"{month:%b %Y}" if with_year else f"{month:%b}"


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months that start in [first, last]."""
    month = first.replace(day=1)
    if month < first:
        month = (month + dt.timedelta(days=32)).replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        if month.year == dt.date.max.year and month.month == 12:
            break
        month = shift(month, days=32).replace(day=1)
    return months


@dataclass(frozen=True)
class GanttRow:
    label: str
    status: str
    status_label: str
    start: dt.date
    end: dt.date  # inclusive
    overdue: bool = False
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None  # None while under way: drawn up to today


@dataclass(frozen=True)
class GanttBar:
    label: str
    css_class: str
    tooltip: str
    x: float
    y: float
    width: float
    label_y: float
    actual_x: float | None = None
    actual_y: float | None = None
    actual_width: float | None = None


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    css_class: str
    label: str
    x: float


@dataclass(frozen=True)
class Gantt:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bar_height: int
    bars: list[GanttBar]
    ticks: list[Tick]
    today_x: float | None
    today_anchor: str
    legend: list[LegendItem]
    legend_y: int
    actual_legend_x: int
    actual_fill: str
    first_day: dt.date
    last_day: dt.date


def gantt(
    rows: Sequence[GanttRow],
    *,
    today: dt.date,
    width: int = 720,
    label_width: int = 160,
    row_height: int = 32,
    bar_height: int = 18,
    window: DateWindow | None = None,
) -> Gantt | None:
    """One bar per row from its planned start to the end of its last day, with a thin bar
    under it for the actual dates; month ticks; a marker for today when today falls within the
    plan. A plan running late is drawn up to today, so its lateness shows.

    Dates are drawn clamped to `window` (the plan's `selectors.plan_window`; by default
    `DEFAULT_REACH_DAYS` either side of today), so a date far outside it, as a bad row may
    hold, neither stretches the chart out of use nor overflows the calendar. Tooltips keep the
    real dates."""
    if not rows:
        return None
    window = window or DateWindow(
        shift(today, days=-DEFAULT_REACH_DAYS), shift(today, days=DEFAULT_REACH_DAYS)
    )
    rows = [_clamped(row, window) for row in rows]

    def actual_until(row: GanttRow) -> dt.date | None:
        if row.actual_start is None:
            return None
        return row.actual_end or max(today, row.actual_start)

    first_day = min(
        [r.start for r, _ in rows] + [r.actual_start for r, _ in rows if r.actual_start]
    )
    last_day = max([r.end for r, _ in rows] + [d for r, _ in rows if (d := actual_until(r))])
    if first_day <= today and today > last_day and any(r.status != "done" for r, _ in rows):
        last_day = today
    span = (last_day - first_day).days + 1
    plot_left, plot_right, plot_top = label_width, width - 10, 30
    plot_width = plot_right - plot_left

    def x(day: dt.date) -> float:
        return round(plot_left + (day - first_day).days / span * plot_width, 1)

    bars = []
    for i, (row, real) in enumerate(rows):
        top = plot_top + i * row_height + (row_height - bar_height) / 2
        start_x = x(row.start)
        end_x = x(shift(row.end, days=1))
        tooltip = f"{row.label}: planned {real.start:%-d %b %Y} to {real.end:%-d %b %Y}"
        actual = {}
        if (until := actual_until(row)) is not None:
            actual_x = x(row.actual_start)
            actual = {
                "actual_x": actual_x,
                "actual_y": top + bar_height + 2,
                "actual_width": max(round(x(shift(until, days=1)) - actual_x, 1), 2.0),
            }
            tooltip += f", actual {real.actual_start:%-d %b %Y} to " + (
                f"{real.actual_end:%-d %b %Y}" if real.actual_end else "now"
            )
        tooltip += f", {row.status_label.lower()}"
        bars.append(
            GanttBar(
                label=row.label,
                css_class=STATUS_CLASS.get(row.status, "flex-chart__bar"),
                tooltip=tooltip + (" (overdue)" if row.overdue else ""),
                x=start_x,
                y=top,
                width=max(round(end_x - start_x, 1), 2.0),
                label_y=top + bar_height / 2 + 5,
                **actual,
            )
        )
    plot_bottom = plot_top + len(rows) * row_height
    months = _months_between(first_day, last_day)
    step = (
        1 if len(months) <= 8 else 2 if len(months) <= 16 else max(3, -(-len(months) // MAX_TICKS))
    )
    shown = months[::step]
    ticks = [
        # The year on the first tick and on the first tick of each new year.
        Tick(
            x=x(month),
            label=_month_label(month, with_year=i == 0 or month.year != shown[i - 1].year),
        )
        for i, month in enumerate(shown)
    ]
    legend_y = plot_bottom + 30
    legend = [
        LegendItem(css_class=STATUS_CLASS[status], label=label, x=plot_left + i * 110)
        for i, (status, label) in enumerate(LEGEND)
    ]
    in_range = first_day <= today <= last_day
    return Gantt(
        width=width,
        height=legend_y + 20,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bar_height=bar_height,
        bars=bars,
        ticks=ticks,
        today_x=x(today) if in_range else None,
        today_anchor="end" if in_range and x(today) > plot_right - 30 else "middle",
        legend=legend,
        legend_y=legend_y,
        actual_legend_x=plot_left + len(LEGEND) * 110,
        actual_fill=ACTUAL_FILL,
        first_day=first_day,
        last_day=last_day,
    )


def _clamped(row: GanttRow, window: DateWindow) -> tuple[GanttRow, GanttRow]:
    """The row as drawn (its dates within `window`) and as it is."""
    drawn = GanttRow(
        label=row.label,
        status=row.status,
        status_label=row.status_label,
        start=window.clamp(row.start),
        end=window.clamp(row.end),
        overdue=row.overdue,
        actual_start=row.actual_start and window.clamp(row.actual_start),
        actual_end=row.actual_end and window.clamp(row.actual_end),
    )
    return drawn, row


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k at or above `value` (at least 1), for an axis."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return 10 * magnitude


@dataclass(frozen=True)
class MonthBar:
    label: str
    x: float
    width: float
    centre: float
    live_y: float
    live_height: float
    planned_y: float
    planned_height: float
    tooltip: str


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[MonthBar]
    y_ticks: list[tuple[float, str]]
    legend_y: int


def month_chart(
    totals: Sequence[MonthTotal], *, width: int = 720, plot_height: int = 220
) -> MonthChart | None:
    """Stacked bars a month: seats gone live (done) below, seats still planned above."""
    if not totals:
        return None
    plot_left, plot_right, plot_top = 60, width - 30, 10
    plot_bottom = plot_top + plot_height
    top_value = nice_ceiling(max(t.seats for t in totals))
    slot = (plot_right - plot_left) / len(totals)
    bar_width = round(max(slot * 0.7, 2.0), 1)

    def height(seats: int) -> float:
        return round(seats / top_value * plot_height, 1)

    bars = []
    every = -(-len(totals) // 8)  # at most eight month labels, so they never overlap
    for i, total in enumerate(totals):
        live_h, planned_h = height(total.seats_live), height(total.seats_planned)
        bars.append(
            MonthBar(
                label=_month_label(total.month, with_year=i == 0 or total.month.month == 1)
                if i % every == 0
                else "",
                x=round(plot_left + i * slot + (slot - bar_width) / 2, 1),
                width=bar_width,
                centre=round(plot_left + (i + 0.5) * slot, 1),
                live_y=round(plot_bottom - live_h, 1),
                live_height=live_h,
                planned_y=round(plot_bottom - live_h - planned_h, 1),
                planned_height=planned_h,
                tooltip=f"{total.month:%B %Y}: {total.seats_live:,} seats live, "
                f"{total.seats_planned:,} planned",
            )
        )
    # A middle tick only where it falls on a whole number of seats.
    values = [0, top_value // 2, top_value] if top_value % 2 == 0 else [0, top_value]
    y_ticks = [(round(plot_bottom - v / top_value * plot_height, 1), f"{v:,}") for v in values]
    return MonthChart(
        width=width,
        height=plot_bottom + 60,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=bars,
        y_ticks=y_ticks,
        legend_y=plot_bottom + 48,
    )
