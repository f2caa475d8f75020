"""rollout/charts.py: where the timeline's bars, ticks and today marker fall."""

import datetime as dt

from rollout import charts
from rollout.schedule import MonthTotal

D = dt.date


def row(label, start, end, status="planned", **kwargs):
    return charts.GanttRow(
        label, status, status.replace("_", " ").capitalize(), start, end, **kwargs
    )


def test_bars_span_their_days_on_a_common_scale():
    # 20 days from 1 March: 550 pixels of plot, 27.5 a day.
    gantt = charts.gantt(
        [row("A", D(2027, 3, 1), D(2027, 3, 10)), row("B", D(2027, 3, 11), D(2027, 3, 20), "done")],
        today=D(2026, 11, 23),
    )
    a, b = gantt.bars
    assert (a.x, a.width, a.css_class) == (160.0, 275.0, "flex-chart__bar--planned")
    assert (b.x, b.width, b.css_class) == (435.0, 275.0, "flex-chart__bar--done")
    assert b.y - a.y == 32
    assert gantt.today_x is None  # the plan is all in the future
    assert [(t.x, t.label) for t in gantt.ticks] == [(160.0, "Mar 2027")]
    assert a.actual_x is None


def test_today_inside_the_plan_is_marked():
    gantt = charts.gantt([row("A", D(2027, 3, 1), D(2027, 3, 20))], today=D(2027, 3, 11))
    assert gantt.today_x == 435.0
    assert gantt.today_anchor == "middle"


def test_a_late_plan_is_drawn_up_to_today():
    gantt = charts.gantt(
        [row("A", D(2027, 3, 1), D(2027, 3, 10), "in_progress", actual_start=D(2027, 3, 1))],
        today=D(2027, 3, 20),
    )
    assert gantt.last_day == D(2027, 3, 20)
    assert gantt.today_x == 682.5
    assert gantt.today_anchor == "end"
    (bar,) = gantt.bars
    assert (bar.actual_x, bar.actual_width) == (160.0, 550.0)  # under way until today
    assert "actual 1 Mar 2027 to now" in bar.tooltip


def test_a_finished_plan_is_not_stretched_to_today():
    gantt = charts.gantt(
        [
            row(
                "A",
                D(2026, 3, 1),
                D(2026, 3, 10),
                "done",
                actual_start=D(2026, 3, 1),
                actual_end=D(2026, 3, 12),
            )
        ],
        today=D(2026, 11, 23),
    )
    assert gantt.last_day == D(2026, 3, 12)
    assert gantt.today_x is None


def test_month_ticks_label_the_year_at_the_start_and_in_january():
    gantt = charts.gantt([row("A", D(2026, 11, 15), D(2027, 2, 10))], today=D(2026, 1, 1))
    assert [t.label for t in gantt.ticks] == ["Dec 2026", "Jan 2027", "Feb"]


def test_no_rows_no_chart():
    assert charts.gantt([], today=D(2026, 1, 1)) is None
    assert charts.month_chart([]) is None


def test_axis_tops_are_round_numbers():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 10, 11, 700, 2500, 5001)] == [
        1,
        1,
        5,
        10,
        20,
        1000,
        5000,
        10000,
    ]


def test_month_bars_stack_live_under_planned():
    chart = charts.month_chart(
        [MonthTotal(D(2026, 5, 1), 100, 0), MonthTotal(D(2026, 6, 1), 600, 400)], plot_height=200
    )
    may, june = chart.bars
    # The axis tops out at 1,000 seats: 200 pixels, 0.2 a seat.
    assert (may.live_height, may.planned_height) == (20.0, 0.0)
    assert (june.live_y, june.live_height, june.planned_y, june.planned_height) == (
        90.0,
        120.0,
        10.0,
        80.0,
    )
    assert chart.y_ticks == [(210.0, "0"), (110.0, "500"), (10.0, "1,000")]
    assert (may.label, june.label) == ("May 2026", "Jun")
