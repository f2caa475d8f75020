"""The quote builder page: a bookmarkable GET form, exact figures, errors per field."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from .test_pages import text_of

pytestmark = pytest.mark.django_db

QUOTE = {"seats_desktop": "2000", "term_years": "5", "current_cost_per_seat": "2400"}


@pytest.fixture
def as_user(client, demo_user):
    def sign_in(username: str):
        client.force_login(demo_user(username))
        return client

    return sign_in


def test_empty_quote_page_shows_the_form_without_errors(as_user):
    response = as_user("cio-agency").get(reverse("catalogue:quote"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" not in body
    assert "<title>Get a quote" in body
    assert 'name="seats_desktop"' in body and 'name="seats_wireless"' in body
    assert 'inputmode="numeric"' in body
    # The agency's 2,000 desktops and a five-year term are suggested.
    assert re.search(r'name="seats_desktop" value="2000"', body)
    assert re.search(r'name="term_years" value="5"', body)


def test_quote_for_2000_desktops(as_user):
    response = as_user("cio-agency").get(reverse("catalogue:quote"), QUOTE)
    assert response.status_code == 200
    text = text_of(response)
    # 5,300,000 / 6,100 = 868.852459... + 850 = 1,718.85.
    assert "If you join, every member's desktop price falls from £2,142.68 to £1,718.85" in text
    assert "take the framework from 4,100 to 6,100 seats" in text
    assert "Standard desktop 2,000 £2,142.68 £1,718.85 £3,437,700.00 £17,188,500.00" in text
    assert "Total £3,437,700.00 £17,188,500.00" in text
    assert "What you pay today, a year £4,800,000.00" in text
    # 4,800,000 - 3,437,700 = 1,362,300; / 4,800,000 = 28.38%.
    assert "Saving a year £1,362,300.00 (28.4% less than you pay today)" in text


def test_quote_for_the_agency_application(as_user):
    params = {
        "seats_desktop": "2000",
        "seats_email": "2000",
        "seats_hr-systems": "2000",
        "term_years": "5",
        "current_cost_per_seat": "2400.00",
    }
    text = text_of(as_user("cio-agency").get(reverse("catalogue:quote"), params))
    assert "Email integration 2,000 £60.00 £48.00 £96,000.00 £480,000.00" in text
    assert "Human resources systems 2,000 £280.00 £173.33 £346,660.00 £1,733,300.00" in text
    assert "Total £3,880,360.00 £19,401,800.00" in text
    # Desktops only (README, "Pricing"); it said £919,640.00 (19.2%) before the rule was shared.
    assert "Saving a year £1,362,300.00 (28.4% less than you pay today)" in text


def test_quote_that_costs_more_than_today(as_user):
    text = text_of(
        as_user("cio-agency").get(
            reverse("catalogue:quote"), {**QUOTE, "current_cost_per_seat": "1500"}
        )
    )
    # 1,500 * 2,000 = 3,000,000 against 3,437,700: 437,700 more, 14.59%.
    assert "Extra cost a year £437,700.00 (14.6% more than you pay today)" in text


def test_quote_without_core_service_says_its_prices_stay(as_user):
    # Issue 14: a quote for extras only had no headline at all. Intranet is flat-priced.
    text = text_of(
        as_user("cio-agency").get(
            reverse("catalogue:quote"), {"seats_intranet": "10", "term_years": "2"}
        )
    )
    assert "If you join, every member's price stays the same" in text
    assert "price falls" not in text
    assert "Intranet integration 10 £25.00 £25.00 £250.00 £500.00" in text
    assert "Saving a year" not in text


def test_volume_price_that_does_not_fall_is_said_to_stay(as_user):
    # Collaboration: 1,000 seats now; +1,000 is 2,000, still the first band (up to 2,000).
    text = text_of(
        as_user("cio-agency").get(
            reverse("catalogue:quote"), {"seats_collaboration": "1000", "term_years": "1"}
        )
    )
    assert "Real-time collaboration 1,000 £150.00 £150.00 £150,000.00 £150,000.00" in text


def test_cio_gets_apply_link_with_the_same_query_string(as_user):
    body = as_user("cio-agency").get(reverse("catalogue:quote"), QUOTE).content.decode()
    link = re.search(r'<a href="([^"]+)"[^>]*id="apply-with-quote"', body)
    assert link, "the CIO should be offered to apply"
    expected = (
        reverse("applications:application-start")
        + "?seats_desktop=2000&term_years=5&current_cost_per_seat=2400"
    )
    assert html.unescape(link.group(1)) == expected
    assert "Apply to join with this quote" in body


@pytest.mark.parametrize("username", ["procurement", "approver", "admin"])
def test_others_see_the_quote_but_cannot_apply(as_user, username):
    response = as_user(username).get(reverse("catalogue:quote"), QUOTE)
    assert response.status_code == 200
    assert "£1,718.85" in response.content.decode()
    assert "Apply to join with this quote" not in response.content.decode()


def test_quote_accepts_thousands_separators_and_pound_signs(as_user):
    params = {"seats_desktop": "2,000", "term_years": " 5 ", "current_cost_per_seat": "£2,400.00"}
    text = text_of(as_user("cio-agency").get(reverse("catalogue:quote"), params))
    assert "Saving a year £1,362,300.00" in text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"seats_desktop": "0"}, "seats_desktop", "Seats for Standard desktop must be 1 or more"),
        ({"seats_desktop": "-5"}, "seats_desktop", "Seats for Standard desktop must be 1 or more"),
        (
            {"seats_desktop": "lots"},
            "seats_desktop",
            "Seats for Standard desktop must be a whole number, like 2000",
        ),
        (
            {"seats_desktop": "2.5"},
            "seats_desktop",
            "Seats for Standard desktop must be a whole number, like 2000",
        ),
        (
            {"seats_desktop": "1000001"},
            "seats_desktop",
            "Seats for Standard desktop must be 1,000,000 or fewer",
        ),
        ({"seats_desktop": "9" * 5000}, "seats_desktop", "Seats for Standard desktop must be"),
        ({"term_years": "0"}, "term_years", "Contract term must be between 1 and 10 years"),
        ({"term_years": "11"}, "term_years", "Contract term must be between 1 and 10 years"),
        (
            {"term_years": "five"},
            "term_years",
            "Contract term must be a whole number of years, like 5",
        ),
        ({"term_years": ""}, "term_years", "Enter the contract term in years"),
        (
            {"current_cost_per_seat": "12.345"},
            "current_cost_per_seat",
            "no more than 2 decimal places",
        ),
        (
            {"current_cost_per_seat": "1e5"},
            "current_cost_per_seat",
            "must be an amount in pounds, like 2400.00",
        ),
        (
            {"current_cost_per_seat": "NaN"},
            "current_cost_per_seat",
            "must be an amount in pounds, like 2400.00",
        ),
        (
            {"current_cost_per_seat": "12.3.4"},
            "current_cost_per_seat",
            "must be an amount in pounds, like 2400.00",
        ),
        (
            {"current_cost_per_seat": "-1"},
            "current_cost_per_seat",
            "must be an amount in pounds, like 2400.00",
        ),
        (
            {"current_cost_per_seat": "123456789.00"},
            "current_cost_per_seat",
            "must be £99,999,999.99 or less",
        ),
    ],
)
def test_bad_input_shows_an_error_per_field(as_user, params, field, message):
    response = as_user("cio-agency").get(reverse("catalogue:quote"), {**QUOTE, **params})
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "<title>Error: Get a quote" in body
    summary = body[body.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    assert f'href="#id_{field}"' in summary
    assert message in summary
    # ...and inline, next to the field.
    assert re.search(
        rf'id="id_{field}_1_error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> [^<]*{re.escape(message)}',
        body,
    )
    assert "Apply to join with this quote" not in body


def test_unknown_service_is_an_error(as_user):
    response = as_user("cio-agency").get(
        reverse("catalogue:quote"), {**QUOTE, "seats_mainframe": "10"}
    )
    body = html.unescape(response.content.decode())
    assert "There is no service “mainframe” in the catalogue: remove it" in body
    assert "<title>Error: Get a quote" in body


def test_no_seats_at_all_is_an_error(as_user):
    response = as_user("cio-agency").get(
        reverse("catalogue:quote"), {"term_years": "5", "seats_desktop": ""}
    )
    body = response.content.decode()
    assert "Enter the number of seats for at least one service" in body
    assert 'href="#id_seats_desktop"' in body


def test_several_errors_are_all_listed(as_user):
    response = as_user("cio-agency").get(
        reverse("catalogue:quote"),
        {"seats_desktop": "0", "seats_wireless": "x", "term_years": "20"},
    )
    summary = response.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.count("<li>") == 3
