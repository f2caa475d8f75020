"""Server-rendered, accessible SVG charts for any page.

A chart is an image to screen readers (`role="img"` with a `<title>` and `<desc>` that say what
it shows); pages put a data table with the same figures beside it, since a picture alone is not
accessible. No JavaScript: the SVG is built here and scales with its container through its
viewBox. Styling comes from the `.flex-chart` classes of frontend/_flex.scss.

    chart = step_chart(
        [ChartPoint(at=day, value=price, label="ONS joined"), ...],
        title="Desktop price per seat", value_format=money, chart_id="desktop-price",
    )
    {{ chart }}   (a SafeString; "" when there are no points)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Frame:
    """The box a chart is drawn in, in SVG units, and the margins kept for its axes' labels."""

    width: int
    height: int
    left: int = 96
    right: int = 24
    top: int = 48
    bottom: int = 44


# From tablets up the chart is drawn 720 units wide and scaled to its column. Scaled down to a
# phone that would shrink its 14-unit text to 6 px, so every chart is drawn a second time for
# phones, in a narrower, taller box: in a 290 to 345 px column (320 to 375 px screens) its text
# is 12 to 15 px. The stylesheet shows one drawing or the other (`.flex-chart--narrow`).
WIDE = Frame(width=720, height=360)
NARROW = Frame(width=330, height=360, left=80, right=14)
# Roughly how wide a character of the 14px axis font is, to keep date labels apart; a label
# that would overlap the one before it is left out (the data table has every date).
CHAR_WIDTH = 7.5
LINE_HEIGHT = 16


@dataclass(frozen=True)
class ChartPoint:
    """A value from `at` onwards; `label` (optional) is written beside the point."""

    at: dt.datetime | dt.date
    value: Decimal | int | float
    label: str = ""


def format_date(at: dt.datetime | dt.date) -> str:
    """GOV.UK style: "16 November 2026" (local date for aware datetimes)."""
    day = _local_date(at)
    return f"{day.day} {day:%B %Y}"


def _short_date(at: dt.datetime | dt.date) -> str:
    day = _local_date(at)
    return f"{day.day} {day:%b %Y}"


def _local_date(at: dt.datetime | dt.date) -> dt.date:
    if isinstance(at, dt.datetime):
        return (timezone.localtime(at) if timezone.is_aware(at) else at).date()
    return at


def _timestamp(at: dt.datetime | dt.date) -> float:
    if isinstance(at, dt.datetime):
        aware = at if timezone.is_aware(at) else timezone.make_aware(at)
        return aware.timestamp()
    return timezone.make_aware(dt.datetime.combine(at, dt.time())).timestamp()


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for the y axis at or above `value`, and the tick step (about four ticks)."""
    if value <= 0:
        return 1.0, 0.25
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    return math.ceil(value / step) * step, step


def describe(points: Sequence[ChartPoint], value_format: Callable[[object], str]) -> str:
    """A one-sentence summary of a series, for the chart's <desc> when the page gives none."""
    if not points:
        return "No data yet."
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{value_format(first.value)} since {format_date(first.at)}."
    lowest = min(points, key=lambda p: p.value)
    return (
        f"{len(points)} values from {format_date(first.at)} to {format_date(last.at)}: "
        f"{value_format(first.value)} at first, {value_format(last.value)} now; the lowest was "
        f"{value_format(lowest.value)}."
    )


def step_chart(
    points: Sequence[ChartPoint],
    *,
    title: str,
    value_format: Callable[[object], str] = str,
    until: dt.datetime | dt.date | None = None,
    chart_id: str = "chart",
) -> SafeString:
    """A value over time, oldest point first, as steps: the value holds until the next point
    (a price stays until it changes). `until` extends the last value to that time (usually
    now). Two drawings of the same chart: WIDE, then NARROW for phones (ids `<chart_id>-...`
    and `<chart_id>-narrow-...`); the stylesheet shows one of them."""
    if not points:
        return mark_safe("")
    wide = _step_svg(
        points, WIDE, title, value_format, until, chart_id=chart_id, css_class="flex-chart"
    )
    narrow = _step_svg(
        points,
        NARROW,
        title,
        value_format,
        until,
        chart_id=f"{chart_id}-narrow",
        css_class="flex-chart flex-chart--narrow",
    )
    return mark_safe(wide + narrow)


def _step_svg(
    points: Sequence[ChartPoint],
    frame: Frame,
    title: str,
    value_format: Callable[[object], str],
    until: dt.datetime | dt.date | None,
    *,
    chart_id: str,
    css_class: str,
) -> str:
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom
    start = _timestamp(points[0].at)
    end = max(_timestamp(points[-1].at), _timestamp(until) if until is not None else start)
    # A little room after the last point, so the current value shows as a line, not a dot.
    span = (end - start) * 1.08 or 86400.0
    top, tick = nice_ceiling(float(max(p.value for p in points)) * 1.1)

    def x(at: dt.datetime | dt.date) -> float:
        return frame.left + (_timestamp(at) - start) / span * plot_w

    def y(value: Decimal | int | float) -> float:
        return frame.top + plot_h - float(value) / top * plot_h

    parts = [
        format_html(
            '<svg class="{5}" role="img" aria-labelledby="{0}-title {0}-desc" '
            'viewBox="0 0 {1} {2}" width="{1}" height="{2}" focusable="false" '
            'xmlns="http://www.w3.org/2000/svg">'
            '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
            chart_id,
            frame.width,
            frame.height,
            title,
            describe(points, value_format),
            css_class,
        )
    ]
    parts += _y_axis(frame, top, tick, y, value_format)
    parts += _x_axis(frame, points, x)
    parts.append(_path(points, x, y, end_x=frame.left + plot_w if until else None))
    parts += _points(frame, points, x, y, value_format)
    parts.append("</svg>")
    # Every piece above is built with format_html, which escapes what it is given.
    return "".join(parts)


def _n(value: float) -> str:
    """A coordinate to one decimal place: format_html escapes its arguments to strings, so
    numbers are formatted first."""
    return f"{value:.1f}"


def _y_axis(frame: Frame, top: float, tick: float, y, value_format) -> list[str]:
    parts = []
    count = round(top / tick)
    for i in range(count + 1):
        value = Decimal(str(round(tick * i, 6)))
        at = y(value)
        parts.append(
            format_html(
                '<line class="flex-chart__grid" x1="{}" y1="{}" x2="{}" y2="{}" '
                'stroke="#b1b4b6"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                frame.left,
                _n(at),
                frame.width - frame.right,
                _n(at),
                frame.left - 8,
                _n(at),
                value_format(value),
            )
        )
    parts.append(
        format_html(
            '<line class="flex-chart__axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#0b0c0c"/>'
            '<line class="flex-chart__axis" x1="{0}" y1="{2}" x2="{3}" y2="{2}" stroke="#0b0c0c"/>',
            frame.left,
            frame.top,
            frame.height - frame.bottom,
            frame.width - frame.right,
        )
    )
    return parts


def _x_axis(frame: Frame, points: Sequence[ChartPoint], x) -> list[str]:
    parts = []
    right_edge_of_last = float("-inf")
    base = frame.height - frame.bottom
    for point in points:
        at = x(point.at)
        text = _short_date(point.at)
        width = len(text) * CHAR_WIDTH
        anchor, left = "middle", at - width / 2
        if left < frame.left - 8:
            anchor, left = "start", at
        elif at + width / 2 > frame.width:
            anchor, left = "end", at - width
        if left < right_edge_of_last + 12:
            continue
        right_edge_of_last = left + width
        parts.append(
            format_html(
                '<line class="flex-chart__axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}" '
                'stroke="#0b0c0c"/>'
                '<text x="{0}" y="{3}" text-anchor="{4}">{5}</text>',
                _n(at),
                base,
                base + 6,
                base + 24,
                anchor,
                text,
            )
        )
    return parts


def _path(points: Sequence[ChartPoint], x, y, *, end_x: float | None) -> str:
    commands = [f"M {x(points[0].at):.1f} {y(points[0].value):.1f}"]
    commands += [f"H {x(point.at):.1f} V {y(point.value):.1f}" for point in points[1:]]
    if end_x is not None:
        commands.append(f"H {end_x:.1f}")
    return format_html(
        '<path class="flex-chart__line" d="{}" fill="none" stroke="#1d70b8" stroke-width="3"/>',
        " ".join(commands),
    )


def _points(frame: Frame, points: Sequence[ChartPoint], x, y, value_format) -> list[str]:
    parts = []
    placed: list[tuple[float, float, float, float]] = []
    previous = None
    for point in points:
        px, py = x(point.at), y(point.value)
        first = previous is None
        rose = not first and point.value > previous
        previous = point.value
        parts.append(
            format_html(
                '<circle class="flex-chart__point" cx="{}" cy="{}" r="5" fill="#1d70b8"/>',
                _n(px),
                _n(py),
            )
        )
        if not point.label:
            continue
        value_text = value_format(point.value)
        width = max(len(point.label), len(value_text)) * CHAR_WIDTH
        # Labels sit right of their point unless that would run off the chart.
        anchor, left = (
            ("start", px + 8) if px + 8 + width <= frame.width else ("end", px - 8 - width)
        )
        # After a fall the line comes down from above, so the space below the point is free;
        # after a rise (or at the first point) the space above is.
        below = not first and not rose and py + 44 < frame.height - frame.bottom
        baseline = _free_baseline(
            frame, placed, left, width, py + 22 if below else max(py - 30, 14), down=below
        )
        placed.append((left, baseline - LINE_HEIGHT, left + width, baseline + LINE_HEIGHT))
        parts.append(
            format_html(
                '<text x="{0}" y="{1}" text-anchor="{2}">'
                '<tspan x="{0}" font-weight="bold">{3}</tspan>'
                '<tspan x="{0}" dy="{5}">{4}</tspan></text>',
                _n(px + 8 if anchor == "start" else px - 8),
                _n(baseline),
                anchor,
                point.label,
                value_text,
                LINE_HEIGHT,
            )
        )
    return parts


def _free_baseline(
    frame: Frame,
    placed: list[tuple[float, float, float, float]],
    left: float,
    width: float,
    baseline: float,
    *,
    down: bool,
) -> float:
    """Move a two-line label away from the labels already placed, so none print over another."""
    for _ in range(len(placed) + 1):
        top, bottom = baseline - LINE_HEIGHT, baseline + LINE_HEIGHT
        clash = next(
            (
                box
                for box in placed
                if left < box[2] and box[0] < left + width and top < box[3] and box[1] < bottom
            ),
            None,
        )
        if clash is None:
            break
        baseline = clash[3] + LINE_HEIGHT + 2 if down else clash[1] - LINE_HEIGHT - 2
    return min(max(baseline, 14), frame.height - frame.bottom - LINE_HEIGHT - 4)
