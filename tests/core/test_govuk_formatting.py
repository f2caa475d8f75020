"""Times and comparisons as GOV.UK writes them (issue 14: "7:53a.m.", "1604.8%")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.template import Context, Template

from core.formatting import compared_with, date_time, time_of_day


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (7, 53, "7:53am"),
        (9, 0, "9am"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (0, 5, "12:05am"),
        (12, 30, "12:30pm"),
        (17, 0, "5pm"),
        (23, 59, "11:59pm"),
    ],
)
def test_times_of_day(hour, minute, words):
    assert time_of_day(dt.time(hour, minute)) == words


def test_aware_times_are_shown_in_the_portal_time_zone():
    # 06:53 UTC in July is 7:53am in London (BST).
    at = dt.datetime(2026, 7, 1, 6, 53, tzinfo=dt.UTC)
    assert time_of_day(at) == "7:53am"
    assert date_time(at) == "1 July 2026, 7:53am"
    assert date_time(at, "short") == "1 Jul 2026, 7:53am"
    assert time_of_day(None) == date_time(None) == ""


def test_the_template_filters_never_write_a_m():
    at = dt.datetime(2026, 12, 1, 7, 53, tzinfo=dt.UTC)
    html = Template(
        "{% load formatting %}{{ at|govuk_datetime }}|{{ at|govuk_datetime:'short' }}|"
        "{{ at|govuk_time }}|{{ at|date:'g:ia' }}"
    ).render(Context({"at": at}))
    ours, django = html.rsplit("|", 1)
    assert ours == "1 December 2026, 7:53am|1 Dec 2026, 7:53am|7:53am"
    assert django == "7:53a.m."  # what the pages showed before


@pytest.mark.parametrize(
    ("percent_lower", "words"),
    [
        (D("23.5"), "23.5% less than you pay today"),
        (D("0.0"), "0.0% less than you pay today"),
        (D("-12.0"), "12.0% more than you pay today"),
        (D("-99.9"), "99.9% more than you pay today"),
        (D("-100.0"), "about 2 times what you pay today"),
        (D("-150.0"), "about 2.5 times what you pay today"),
        (D("-1604.8"), "about 17 times what you pay today"),
        (D("-9950.0"), "about 101 times what you pay today"),
        (None, ""),
    ],
)
def test_a_cost_many_times_higher_is_not_given_as_a_huge_percentage(percent_lower, words):
    assert compared_with(percent_lower) == words


def test_the_comparison_can_name_another_time():
    assert compared_with(D("-1604.8"), "it paid before") == "about 17 times what it paid before"
