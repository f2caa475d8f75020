"""Content defects of issue 14 on the catalogue pages, each with the behaviour that replaced it:
the list's second price for a CIO, the quote's headline for extras, an absurd percentage, and a
price history that credited a member with a service it did not take."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from catalogue.models import PriceSnapshot
from catalogue.services import FIRST_PRICE_REASON

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    main = html[html.index('<main class="govuk-main-wrapper"') : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _row(text: str, service: str) -> str:
    start = text.index(service)
    return text[start : start + len(service) + 300]


def _signed_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


# --- the catalogue list: "your price if you join" --------------------------------------------


def test_a_cio_of_a_body_not_yet_in_sees_its_price_if_it_joins(client, demo):
    text = _text(_signed_in(client, "cio-agency").get("/catalogue/"))
    assert text.count("Your price if you join") >= 2  # a column of each group's table
    assert "once your 2,000 desktops join the framework" in text
    # Desktop: 5,300,000 / (4,100 + 2,000) + 850 = 1,718.85 (868.852… rounds up).
    assert "Standard desktop" in text and "£2,142.68 £1,718.85" in _row(text, "Standard desktop")
    # Collaboration: 1,000 + 2,000 = 3,000 seats, into the £125.00 band.
    assert "£150.00 £125.00" in _row(text, "Real-time collaboration")
    # Intranet is flat: the same either way.
    assert "£25.00 £25.00" in _row(text, "Intranet integration")


def test_a_member_cio_sees_the_price_if_it_added_seats(client, demo):
    text = _text(_signed_in(client, "cio-dius").get("/catalogue/"))
    assert "Your price if you join" not in text
    assert "If you add 1,000 seats" in text
    # Desktop: 5,300,000 / (4,100 + 1,000) + 850 = 1,889.22 (1,039.215…).
    assert "£2,142.68 £1,889.22" in _row(text, "Standard desktop")


@pytest.mark.parametrize("username", ["approver", "procurement"])
def test_other_roles_see_only_todays_price(client, demo, username):
    text = _text(_signed_in(client, username).get("/catalogue/"))
    assert "Your price if you join" not in text and "If you add" not in text


def test_the_cached_list_is_never_shown_to_someone_it_was_not_for(client, demo):
    # The member's list is cached first; the prospective CIO and procurement then get theirs.
    assert "If you add 1,000 seats" in _text(_signed_in(client, "cio-dius").get("/catalogue/"))
    agency = _text(_signed_in(client, "cio-agency").get("/catalogue/"))
    assert "If you add" not in agency and "Your price if you join" in agency
    assert "If you add" not in _text(_signed_in(client, "procurement").get("/catalogue/"))
    # A search (never cached) shows the CIO's price too.
    searched = _text(_signed_in(client, "cio-agency").get("/catalogue/?q=desktop"))
    assert "£2,142.68 £1,718.85" in _row(searched, "Standard desktop")


def test_the_second_price_costs_one_query_for_the_bands(client, demo, django_assert_num_queries):
    _signed_in(client, "cio-agency")
    # the session with its user, organisation and groups; the version; services; their bands
    with django_assert_num_queries(4):
        assert client.get("/catalogue/").status_code == 200
    # then cached: the session with its user; the version
    with django_assert_num_queries(2):
        assert client.get("/catalogue/").status_code == 200


# --- the quote's headline for extras ---------------------------------------------------------


def test_a_quote_for_extras_only_says_whose_price_falls(client, demo):
    text = _text(
        _signed_in(client, "cio-agency").get("/quote/?seats_collaboration=1500&term_years=3")
    )
    assert "If you join, every member's price falls" in text
    assert (
        "Real-time collaboration: from £150.00 to £125.00 per seat a year, as your 1,500 seats "
        "take the framework from 1,000 to 2,500 seats"
    ) in text


def test_a_quote_for_extras_that_move_no_price_says_so(client, demo):
    text = _text(_signed_in(client, "cio-agency").get("/quote/?seats_intranet=100&term_years=3"))
    assert "If you join, every member's price stays the same" in text
    assert "price falls" not in text


# --- an absurd percentage ----------------------------------------------------------------------


def test_a_cost_many_times_todays_is_not_a_four_figure_percentage(client, demo):
    # 1,500 desktops at £100.00 today against £1,796.43 if joined: 1,696.4% more before.
    text = _text(
        _signed_in(client, "cio-agency").get(
            "/quote/?seats_desktop=1500&term_years=7&current_cost_per_seat=100"
        )
    )
    assert "(in all, about 18 times what you pay today)" in text
    assert "1696.4" not in text and "1,696.4" not in text


def test_an_ordinary_saving_keeps_its_percentage(client, demo):
    text = _text(
        _signed_in(client, "cio-agency").get(
            "/quote/?seats_desktop=1500&term_years=7&current_cost_per_seat=2600"
        )
    )
    # (2,600 - 1,796.43) / 2,600 = 30.9%
    assert "(30.9% less than you pay today)" in text


# --- "Cabinet Office joined, 0 seats" ------------------------------------------------------------


def test_a_first_price_with_no_seats_is_not_credited_to_a_join(client, demo):
    first = PriceSnapshot.objects.filter(service__slug="collaboration").earliest("effective_at")
    assert (first.framework_seats, first.reason, first.caused_by) == (0, FIRST_PRICE_REASON, None)
    # Services Cabinet Office did take keep the join as their cause.
    desktop = PriceSnapshot.objects.filter(service__slug="desktop").earliest("effective_at")
    assert (desktop.reason, desktop.caused_by.slug) == ("Cabinet Office joined", "cabinet-office")
    text = _text(_signed_in(client, "cio-dius").get("/catalogue/collaboration/"))
    assert "Cabinet Office joined 0" not in text
    assert f"{FIRST_PRICE_REASON} 0 £150.00" in text
