"""core's shared rules, each defined once: money read, rounded and shown, the spreadsheet
formula guard, adding years, a service's errors on a form, and status-tag colours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template import Context, Template

from core.dates import add_years
from core.formatting import money, money_abs, percent, seats, signed_money
from core.forms import PoundsField, add_service_errors, service_error_items
from core.money import PENNY, has_too_many_decimal_places, parse_pounds, round_money
from core.spreadsheets import FORMULA_TRIGGERS, neutralise
from core.templatetags.formatting import status_tag_class

D = Decimal
MINUS = "\N{MINUS SIGN}"

# --- money read --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2400", D("2400.00")),
        ("2,400.50", D("2400.50")),
        ("£2400.5", D("2400.50")),
        (" £2 400 ", D("2400.00")),
        ("0", D("0.00")),
        ("99999999.99", D("99999999.99")),
    ],
)
def test_parse_pounds_reads_amounts_as_people_type_them(text, amount):
    parsed = parse_pounds(text)
    assert parsed == amount
    assert parsed.as_tuple().exponent == -2  # always in pence


@pytest.mark.parametrize(
    "text", ["", "£", "abc", "-1", "+1", "1e5", "NaN", "Infinity", "12.3.4", "12.345", "2400."]
)
def test_parse_pounds_refuses_what_is_not_an_amount(text):
    assert parse_pounds(text) is None


def test_parse_pounds_may_limit_the_whole_digits():
    assert parse_pounds("99,999,999.99", max_whole_digits=8) == D("99999999.99")
    assert parse_pounds("123456789", max_whole_digits=8) is None
    assert parse_pounds("123456789") == D("123456789.00")


@pytest.mark.parametrize(("text", "too_many"), [("12.345", True), ("2400.", True), ("1e5", False)])
def test_has_too_many_decimal_places(text, too_many):
    assert has_too_many_decimal_places(text) is too_many


def test_round_money_is_half_up_to_the_penny():
    assert D("0.01") == PENNY
    assert round_money(D("2.675")) == D("2.68")
    assert round_money(D("-0.005")) == D("-0.01")


class _CostForm(forms.Form):
    cost = PoundsField(
        required=False,
        min_value=D("0"),
        max_digits=10,
        decimal_places=2,
        error_messages={"max_decimal_places": "Two places at most", "max_digits": "Too much"},
    )


@pytest.mark.parametrize(
    ("typed", "cleaned", "error"),
    [
        ("£2,400.5", D("2400.50"), None),
        ("  ", None, None),
        ("12.345", None, "Two places at most"),
        ("abc", None, "Enter an amount in pounds and pence, like 2400 or 2400.50"),
        ("-1", None, "Enter an amount in pounds and pence, like 2400 or 2400.50"),
        ("123456789.00", None, "Too much"),
    ],
)
def test_pounds_field(typed, cleaned, error):
    form = _CostForm({"cost": typed})
    assert form.is_valid() is (error is None)
    if error is None:
        assert form.cleaned_data["cost"] == cleaned
    else:
        assert form.errors["cost"] == [error]


# --- money shown -------------------------------------------------------------------------


def test_money_uses_a_true_minus_sign():
    assert money(D("2142.675")) == "£2,142.68"
    assert money(D("-1.5")) == f"{MINUS}£1.50"
    assert money(D("-0.001")) == "£0.00"
    assert money(None) == ""


def test_money_abs_signed_money_seats_and_percent():
    assert money_abs(D("-437700")) == "£437,700.00"
    assert money_abs(None) == ""
    assert signed_money(D("1.5")) == "+£1.50"
    assert signed_money(D("-1.5")) == f"{MINUS}£1.50"
    assert signed_money(D("0")) == "£0.00"
    assert seats(4100) == "4,100"
    assert percent(D("14.62")) == "14.6%"
    assert percent(None) == ""


def test_the_formatting_template_library():
    template = Template(
        "{% load formatting %}{{ a|money }} {{ a|money_abs }} {{ a|signed_money }} "
        "{{ n|seats }} {{ n|number }} {{ p|percent }}"
    )
    rendered = template.render(Context({"a": D("-2.5"), "n": 1000, "p": D("20")}))
    assert rendered == f"{MINUS}£2.50 £2.50 {MINUS}£2.50 1,000 1,000 20.0%"


# --- status tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("draft", "grey"),
        ("submitted", "blue"),
        ("approved", "green"),
        ("rejected", "red"),
        ("withdrawn", "yellow"),
        ("active", "green"),
        ("ended", "blue"),
        ("planned", "grey"),
        ("in_progress", "blue"),
        ("done", "green"),
        ("blocked", "red"),
        ("unheard-of", "grey"),
    ],
)
def test_status_tag_class(status, colour):
    assert status_tag_class(status) == f"govuk-tag--{colour}"


def test_status_tag_include():
    rendered = Template('{% include "includes/status_tag.html" %}').render(
        Context({"status": "active", "label": "Active"})
    )
    assert rendered.strip() == '<strong class="govuk-tag govuk-tag--green">Active</strong>'


# --- the spreadsheet formula guard -------------------------------------------------------


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_neutralise_prefixes_every_formula_trigger(trigger):
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"


def test_neutralise_leaves_other_text_alone():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}
    assert neutralise("1+1=2") == "1+1=2"
    assert neutralise(" =1") == " =1"
    assert neutralise("") == ""


# --- adding years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "later"),
    [
        (dt.date(2026, 3, 31), 5, dt.date(2031, 3, 31)),
        (dt.date(2028, 2, 29), 1, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 4, dt.date(2032, 2, 29)),
        (dt.date(2028, 2, 29), -1, dt.date(2027, 2, 28)),
    ],
)
def test_add_years(day, years, later):
    assert add_years(day, years) == later


# --- a service's errors on a form --------------------------------------------------------


class _NameForm(forms.Form):
    name = forms.CharField()


def test_service_error_items():
    assert service_error_items(ValidationError(["One", "Two"])) == [(None, "One"), (None, "Two")]
    error = ValidationError({"name": ["Taken"], NON_FIELD_ERRORS: ["Closed"]})
    assert service_error_items(error) == [("name", "Taken"), (NON_FIELD_ERRORS, "Closed")]


def test_add_service_errors_names_the_field_when_the_form_has_it():
    form = _NameForm({"name": "Flex"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "Taken", "seats": "Too many"}))
    assert form.errors["name"] == ["Taken"]
    assert form.non_field_errors() == ["Too many"]


def test_add_service_errors_puts_an_error_without_a_field_above_the_form():
    form = _NameForm({"name": "Flex"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("Not now"))
    assert form.non_field_errors() == ["Not now"]
    assert "name" not in form.errors
