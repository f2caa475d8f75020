"""Seats an organisation cannot need, and a joining organisation without the core desktop.

The rules are the service's (`application_terms_validate`): a body that is not yet a member
must take the core service; seats of a service above the organisation's staff, or of an extra
above its desktops (the core seats asked for, else the desktops it has), are refused unless
confirmed. The journey asks on "Check your answers"; the API takes `confirm_unusual_seats`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains

from applications import services
from applications.models import ApplicationStatus, SignUpApplication
from catalogue.models import Service
from organisations.models import Organisation

from .test_journey_pages import START, STEP

pytestmark = pytest.mark.django_db

FIFTY_THOUSAND = "You asked for 50,000 standard desktop seats for 300 staff. Is that right?"
WIRELESS = "You asked for 5,000 wireless access seats for 10 desktops. Is that right?"
CORE_MISSING = (
    "Enter the number of standard desktop seats: every organisation joining Flex takes "
    "standard desktop."
)


def _lines(**seats: int) -> list[services.LineInput]:
    found = Service.objects.in_bulk(list(seats), field_name="slug")
    return [services.LineInput(service=found[slug], seats=n) for slug, n in seats.items()]


def _create(actor, *, staff: int | None = None, desktops: int | None = None, **overrides):
    arguments = {
        "actor": actor,
        "lines": _lines(desktop=100),
        "term_years": 5,
        "requested_start": dt.date(2027, 4, 1),
    }
    if staff is not None:
        arguments["new_organisation"] = services.NewOrganisationInput(
            name="Merged Body", kind="agency", staff=staff, desktops=desktops
        )
    return services.application_create(**(arguments | overrides))


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- the service ----------------------------------------------------------------------------


def test_a_new_organisation_must_take_the_core_desktop(world, unchanged):
    with unchanged():
        errors = _refusal(lambda: _create(world["cio_ons"], staff=300, lines=_lines(email=100)))
    assert errors == {"lines": [CORE_MISSING]}


def test_a_member_may_add_extras_without_the_core_desktop(world, unchanged):
    # On an integration call-off: DIUS's full platform contract takes extras by a change
    # request, and a second platform contract is refused.
    application = _create(world["cio_dius"], lines=_lines(email=500), contract_kind="integration")
    assert (application.status, application.contract_kind) == (
        ApplicationStatus.DRAFT,
        "integration",
    )
    with unchanged():
        errors = _refusal(lambda: _create(world["cio_dius"], lines=_lines(wireless=500)))
    assert errors == {
        "contract_kind": [
            "DIUS already has a full platform contract, CON-2026-0004: change that contract "
            "instead, or apply for an integration call-off."
        ]
    }


def test_seats_above_the_staff_need_confirming(world, unchanged):
    lines = _lines(desktop=50_000)
    with unchanged():
        errors = _refusal(lambda: _create(world["cio_ons"], staff=300, lines=lines))
    assert errors == {"confirm_unusual_seats": [FIFTY_THOUSAND]}

    application = _create(world["cio_ons"], staff=300, lines=lines, confirm_unusual_seats=True)
    assert application.lines.get().seats == 50_000


def test_an_extra_above_the_core_seats_needs_confirming(world):
    lines = _lines(desktop=10, wireless=5_000)
    errors = _refusal(lambda: _create(world["cio_ons"], staff=10_000, lines=lines))
    assert errors == {"confirm_unusual_seats": [WIRELESS]}


def test_without_core_seats_an_extra_is_compared_with_the_desktops_the_organisation_has(world):
    # ONS has 3,500 staff and 600 desktops (applying for an integration call-off: as a member
    # on a platform contract it may not apply for a second one).
    errors = _refusal(
        lambda: _create(world["cio_ons"], lines=_lines(email=1_000), contract_kind="integration")
    )
    assert errors == {
        "confirm_unusual_seats": [
            "You asked for 1,000 email integration seats for 600 desktops. Is that right?"
        ]
    }


def test_every_unusual_line_is_named(world):
    lines = _lines(desktop=50_000, wireless=60_000)
    errors = _refusal(lambda: _create(world["cio_ons"], staff=300, lines=lines))
    assert errors == {
        "confirm_unusual_seats": [
            FIFTY_THOUSAND,
            "You asked for 60,000 wireless access seats for 300 staff. Is that right?",
        ]
    }


def test_seats_within_the_organisation_are_not_questioned(world):
    lines = _lines(desktop=300, wireless=300, email=250)
    assert _create(world["cio_ons"], staff=300, lines=lines).lines.count() == 3


def test_the_question_waits_for_the_other_answers_to_be_right(world):
    errors = _refusal(
        lambda: _create(world["cio_ons"], staff=300, lines=_lines(desktop=50_000), term_years=11)
    )
    assert errors == {"term_years": ["The term must be between 1 and 10 years."]}


# --- the API ----------------------------------------------------------------------------------


def _payload(**overrides) -> dict:
    return {
        "lines": [{"service": "desktop", "seats": 50_000}],
        "term_years": 5,
        "requested_start": "2027-06-01",
        "new_organisation": {"name": "Merged Body", "kind": "agency", "staff": 300},
    } | overrides


def test_the_api_says_what_is_unusual_and_takes_a_confirmation(api_client, world):
    api_client.force_authenticate(world["cio_ons"])

    refused = api_client.post("/api/v1/applications/", _payload(), format="json")
    assert refused.status_code == 400
    assert refused.json() == {"confirm_unusual_seats": [FIFTY_THOUSAND]}
    assert not Organisation.objects.filter(name="Merged Body").exists()

    confirmed = api_client.post(
        "/api/v1/applications/", _payload(confirm_unusual_seats=True), format="json"
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["lines"] == [{"service": "desktop", "seats": 50_000}]


def test_the_api_refuses_a_new_organisation_without_the_core_desktop(api_client, world):
    api_client.force_authenticate(world["cio_ons"])
    response = api_client.post(
        "/api/v1/applications/",
        _payload(lines=[{"service": "email", "seats": 100}]),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"lines": [CORE_MISSING]}


def test_the_schema_documents_the_flag(api_client, world):
    api_client.force_authenticate(world["cio_ons"])
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    field = schema["components"]["schemas"]["ApplicationCreateInputRequest"]["properties"][
        "confirm_unusual_seats"
    ]
    assert field["type"] == "boolean"
    assert "50,000 standard desktop seats for 300" in field["description"]


# --- the journey ------------------------------------------------------------------------------


def _journey_for_a_new_body(client, *, seats: dict[str, str]) -> None:
    client.get(START)
    for step, data in (
        ("organisation", {"organisation": "new"}),
        ("new-organisation", {"name": "Merged Body", "kind": "agency", "staff": "300"}),
        ("services", seats),
        ("term", {"term_years": "5"}),
        (
            "start-date",
            {"requested_start_0": "1", "requested_start_1": "6", "requested_start_2": "2027"},
        ),
        ("current-cost", {"current_cost_per_seat": ""}),
    ):
        response = client.post(STEP[step], data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def test_check_your_answers_asks_about_unusual_seats_before_sending(client, cio_newcomer):
    client.force_login(cio_newcomer)
    _journey_for_a_new_body(client, seats={"seats_desktop": "50,000"})

    page = client.get(STEP["check"])
    assertContains(page, "Are these numbers of seats right?")
    assertContains(page, FIFTY_THOUSAND)

    unconfirmed = client.post(STEP["check"])
    assertContains(unconfirmed, "There is a problem", status_code=400)
    assertContains(
        unconfirmed,
        '<a href="/applications/new/check/#confirm-unusual-seats">Confirm that the numbers'
        " of seats are right, or change them</a>",
        status_code=400,
        html=True,
    )
    assert not SignUpApplication.objects.filter(organisation__name="Merged Body").exists()

    sent = client.post(STEP["check"], {"confirm_unusual_seats": "yes"})
    assert sent.status_code == 302
    application = SignUpApplication.objects.get(organisation__name="Merged Body")
    assert application.status == ApplicationStatus.SUBMITTED


def test_check_your_answers_does_not_ask_about_ordinary_seats(client, cio_newcomer):
    client.force_login(cio_newcomer)
    _journey_for_a_new_body(client, seats={"seats_desktop": "300"})
    assertNotContains(client.get(STEP["check"]), "Are these numbers of seats right?")
    assert client.post(STEP["check"]).status_code == 302


def test_the_journey_sends_a_new_body_without_the_desktop_back_to_the_services(
    client, cio_newcomer
):
    client.force_login(cio_newcomer)
    _journey_for_a_new_body(client, seats={"seats_email": "100"})
    response = client.post(STEP["check"])
    assertContains(response, CORE_MISSING, status_code=400)
    assertContains(response, f'href="{STEP["services"]}?change=1"', status_code=400)
