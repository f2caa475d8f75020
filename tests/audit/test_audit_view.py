"""/audit/: Cabinet Office staff and procurement officers see every recorded change, filter
it by type, organisation, actor and date (bad input: the GOV.UK error summary), page through
it and download it as CSV; a CIO gets 403. Query counts stay flat as the history grows."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from core.history import history_context
from rollout.models import Wave
from tests import factories

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres

User = get_user_model()
URL = "/audit/"


def _page(client, query="", user="approver"):
    client.force_login(User.objects.get(username=user))
    return client.get(URL + query)


def _wave_change(username: str, seats: int, reason: str = "Replanned") -> Wave:
    wave = Wave.objects.order_by("pk").first()
    with history_context(actor=User.objects.get(username=username), reason=reason):
        wave.seats = seats
        wave.save(update_fields=["seats"])
    return wave


def test_a_cio_is_refused_the_audit_and_its_download(client, demo):
    assert _page(client, user="cio-dius").status_code == 403
    assert client.get(URL + "export.csv").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user", ["approver", "procurement"])
def test_approvers_and_procurement_officers_see_the_audit(client, demo, user):
    response = _page(client, user=user)
    assert response.status_code == 200
    assert "Audit of changes" in response.content.decode()


@postgres
def test_the_audit_shows_who_changed_what_from_what_to_what_and_why(client, demo):
    old = Wave.objects.order_by("pk").first().seats
    wave = _wave_change("cio-dius", old + 7, reason="Pilot site smaller")
    body = _page(client, "?kind=wave&actor=cio-dius").content.decode()
    assert f"{wave.name}: changed" in body
    assert f"Seats: {old:,} to {old + 7:,}" in body
    assert "Reason: Pilot site smaller" in body
    assert body.count('<tr class="govuk-table__row">') == 2  # the header and one change


@postgres
def test_the_organisation_filter_keeps_that_organisations_records_only(client, demo):
    body = _page(client, "?organisation=ONS").content.decode()
    assert "Office for National Statistics" in body
    assert "Department for Innovation" not in body
    # Services belong to no organisation, so an organisation filter leaves them out.
    assert "Standard desktop: created" not in body


@postgres
def test_the_csv_has_one_row_per_field_changed_and_neutralises_formulas(client, demo):
    wave = Wave.objects.order_by("pk").first()
    with history_context(actor=User.objects.get(username="approver"), reason="=HYPERLINK(1)"):
        wave.seats, wave.site = 36, "+Leeds"
        wave.save(update_fields=["seats", "site"])
    client.force_login(User.objects.get(username="procurement"))
    response = client.get(URL + "export.csv?kind=wave&actor=approver")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["When", "Type of record", "Record"]
    changed = {row[8]: row for row in rows[1:]}
    assert set(changed) == {"site", "seats"}
    seats = changed["seats"]
    assert (seats[4], seats[5], seats[7], seats[10]) == (
        "changed",
        "approver",
        "'=HYPERLINK(1)",
        "36",
    )
    assert changed["site"][10] == "'+Leeds"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?organisation=Nowhere",
            "Enter the name, short name or slug of an organisation in the portal",
        ),
        ("?actor=nobody", "Enter the username of a portal user"),
        ("?kind=planet", "Choose a type of record from the list"),
        (
            "?changed_from_day=31&changed_from_month=2&changed_from_year=2026",
            "Changed on or after must be a real date",
        ),
        (
            "?changed_from=2026-11-02&changed_to=2026-11-01",
            "Changed on or before must be the same as or after changed on or after",
        ),
        ("?page=0", "The page must be 1 or more"),
        ("?page=x", "The page must be a whole number"),
    ],
)
def test_bad_filters_are_shown_in_the_error_summary(client, demo, query, message):
    response = _page(client, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert client.get(URL + "export.csv" + query).status_code == 400


@postgres
def test_pages_follow_one_another_newest_first(client, demo):
    for seats in range(41, 41 + 60):
        _wave_change("cio-dius", seats)
    first = _page(client, "?actor=cio-dius").content.decode()
    assert first.count('<tr class="govuk-table__row">') == 51
    assert "page=2" in first and "Older changes" in first
    second = _page(client, "?actor=cio-dius&page=2").content.decode()
    assert second.count('<tr class="govuk-table__row">') == 11
    assert "Older changes" not in second and "Newer changes" in second


SIGNED_IN = 1  # the session with its user, their organisation and groups (one statement)
NAVIGATION = 0  # the user's groups are read with the user (accounts/signed_in.py)
KINDS_ON_PAGE = 5  # organisations, services, contracts, contract lines, waves (no bands)
# the page of (time, id, type) from the union of every table; per type on the page its events
# (with their contexts) and the events before them (old values); the users named; the
# organisations named
QUERIES = SIGNED_IN + NAVIGATION + 1 + KINDS_ON_PAGE * 2 + 1 + 1


def _grow(n: int) -> None:
    """n more organisations, each with a contract, its line and a wave, each then changed by
    an approver: 10 changes a round, so a page of 50 holds every kind but price bands."""
    approver = User.objects.get(username="approver")
    for _ in range(n):
        with history_context(actor=approver, reason="Grown"):
            contract = factories.ContractFactory()
            line = factories.ContractLineFactory(contract=contract)
            wave = factories.WaveFactory(plan=factories.RolloutPlanFactory(contract=contract))
            for record, field, value in [
                (line.service, "description", "Changed"),
                (contract.organisation, "staff", contract.organisation.staff + 1),
                (contract, "term_years", contract.term_years + 1),
                (line, "seats", line.seats + 1),
                (wave, "seats", wave.seats + 1),
            ]:
                setattr(record, field, value)
                record.save(update_fields=[field])


@postgres
def test_the_audit_page_costs_the_same_queries_however_long_the_history(
    client, demo, django_assert_num_queries
):
    client.force_login(User.objects.get(username="approver"))
    _grow(5)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
    _grow(30)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
