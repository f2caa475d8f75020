"""Money formatting, schemes in words, and the shared SVG chart."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue import pricing
from catalogue.formatting import explain_scheme
from core.charts import ChartPoint, format_date, nice_ceiling, step_chart
from core.formatting import money, seats

D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("2142.68"), "£2,142.68"),
        (D("2142.6"), "£2,142.60"),
        (D("0"), "£0.00"),
        # A true minus sign (U+2212), not a hyphen-minus: money is now worded once, in
        # core/formatting.py, in GOV.UK style, as the contract pages always showed it.
        (D("-437700"), "\N{MINUS SIGN}£437,700.00"),
        (D("0.125"), "£0.13"),
        (None, ""),
    ],
)
def test_money(value, text):
    assert money(value) == text


def test_seats():
    assert seats(1_000_000) == "1,000,000"
    assert seats(None) == ""


def test_single_unbounded_band_in_words():
    explanation = explain_scheme(pricing.VolumeScheme(bands=(pricing.Band(None, D("70")),)))
    assert explanation.items == ("every member pays £70.00 however many seats the framework has",)


def test_cost_share_that_never_reaches_its_floor_in_words():
    explanation = explain_scheme(pricing.CostShareScheme(D("1000"), D("50"), D("40")))
    assert not any("floor is reached" in item for item in explanation.items)


def test_nice_ceiling():
    assert nice_ceiling(3267.0) == (4000, 1000)
    assert nice_ceiling(132.0) == (150, 50)
    assert nice_ceiling(0) == (1.0, 0.25)


def test_format_date_is_local():
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST).
    assert format_date(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)) == "1 April 2026"


def test_chart_is_an_accessible_image_with_escaped_text():
    start = timezone.make_aware(dt.datetime(2026, 1, 1, 12))
    svg = step_chart(
        [
            ChartPoint(at=start, value=D("100.00"), label="<script>alert(1)</script>"),
            ChartPoint(at=start + dt.timedelta(days=60), value=D("80.00"), label="B & C"),
            ChartPoint(at=start + dt.timedelta(days=90), value=D("80.00")),
        ],
        title="Price <over> time",
        value_format=money,
        until=start + dt.timedelta(days=120),
        chart_id="test-chart",
    )
    wide, narrow = _drawings(svg)
    assert narrow.startswith(
        '<svg class="flex-chart flex-chart--narrow" role="img" '
        'aria-labelledby="test-chart-narrow-title test-chart-narrow-desc" viewBox="0 0 330 360"'
    )
    assert narrow.count("<circle") == 3 and "B &amp; C" in narrow and "<script>" not in narrow
    svg = wide
    assert svg.startswith(
        '<svg class="flex-chart" role="img" aria-labelledby="test-chart-title test-chart-desc"'
    )
    assert '<title id="test-chart-title">Price &lt;over&gt; time</title>' in svg
    assert (
        '<desc id="test-chart-desc">3 values from 1 January 2026 to 1 April 2026: £100.00 at first, £80.00 now; the lowest was £80.00.</desc>'
        in svg
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "B &amp; C" in svg
    assert svg.count("<circle") == 3
    # A step line: across to each point, then down to its value, then on to `until`.
    path = re.search(r'<path class="flex-chart__line" d="([^"]+)"', svg).group(1)
    assert path.count("H") == 3 and path.count("V") == 2


def test_chart_with_one_point_and_with_none():
    assert step_chart([], title="Nothing") == ""
    svg = step_chart([ChartPoint(at=dt.date(2026, 1, 1), value=5)], title="One")
    assert "5 since 1 January 2026." in svg


def test_chart_of_many_points_keeps_dates_apart():
    start = dt.date(2026, 1, 1)
    points = [ChartPoint(at=start + dt.timedelta(days=i), value=1000 - i) for i in range(200)]
    wide, narrow = _drawings(step_chart(points, title="Many", chart_id="many"))
    for svg, most in ((wide, 40), (narrow, 20)):
        assert svg.count("<circle") == 200
        assert (
            1
            < svg.count('text-anchor="middle"')
            + svg.count('text-anchor="start"')
            + svg.count('text-anchor="end"')
            < most
        )


def _drawings(chart: str) -> tuple[str, str]:
    """The wide and the narrow (phone) drawing of one chart."""
    wide, narrow = re.findall(r"<svg .*?</svg>", chart, re.S)
    return wide, narrow


def test_a_chart_is_drawn_again_for_phones_with_the_same_figures():
    """On a 320 px screen the 720-unit drawing showed its 14-unit text at 6 px; the narrow
    drawing (330 units) shows it at 12 px or more in a column of 290 px."""
    start = dt.date(2026, 1, 1)
    points = [
        ChartPoint(at=start, value=D("2970.00"), label="Cabinet Office"),
        ChartPoint(at=start + dt.timedelta(days=200), value=D("2559.68"), label="ONS"),
        ChartPoint(at=start + dt.timedelta(days=270), value=D("2142.68"), label="DIUS"),
    ]
    wide, narrow = _drawings(step_chart(points, title="Price", value_format=money, chart_id="p"))
    width = int(re.search(r'viewBox="0 0 (\d+) \d+"', narrow).group(1))
    assert 14 * 290 / width >= 12
    assert 'id="p-title"' in wide and 'id="p-narrow-title"' in narrow  # ids stay unique
    labels = r'font-weight="bold">([^<]+)</tspan><tspan x="[\d.]+" dy="16">([^<]+)</tspan>'
    expected = [("Cabinet Office", "£2,970.00"), ("ONS", "£2,559.68"), ("DIUS", "£2,142.68")]
    assert re.findall(labels, narrow) == re.findall(labels, wide) == expected
    # Every label and point is inside the narrow box.
    for x in re.findall(r'<(?:circle|text)[^>]* (?:cx|x)="([\d.]+)"', narrow):
        assert 0 <= float(x) <= width
