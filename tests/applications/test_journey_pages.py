"""The CIO's journey: start (from a quote or from scratch), one question a page, check your
answers with change links, submit, confirmation with the reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applications.journey import SESSION_KEY
from applications.models import ApplicationStatus, SignUpApplication
from organisations.models import Organisation

pytestmark = pytest.mark.django_db

START = reverse("applications:application-start")
STEP = {
    name: reverse(f"applications:journey-{name}")
    for name in (
        "organisation",
        "new-organisation",
        "services",
        "term",
        "start-date",
        "current-cost",
        "check",
    )
}


@pytest.fixture
def applicant_client(client, cio_newcomer):
    """A CIO who may apply for a full platform contract: a prospective body of DIUS's size
    (1,000 staff and desktops), with no contract. DIUS, a member on one, changes its contract
    instead (test_a_member_is_sent_to_change_its_contract_not_into_the_journey)."""
    client.force_login(cio_newcomer)
    return client


def _answer_everything(client, **overrides) -> None:
    answers = {
        "organisation": {"organisation": "own"},
        "services": {"seats_desktop": "1,000", "seats_collaboration": "1000"},
        "term": {"term_years": "7"},
        "start-date": {
            "requested_start_0": "1",
            "requested_start_1": "6",
            "requested_start_2": "2027",
        },
        "current-cost": {"current_cost_per_seat": "£2,850"},
    } | overrides
    client.get(START)
    for step, data in answers.items():
        response = client.post(STEP[step], data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def test_the_start_page_prefills_the_journey_from_a_quote(applicant_client):
    response = applicant_client.get(
        START + "?seats_desktop=2000&seats_hr-systems=2000&seats_nonsense=5&term_years=5"
        "&current_cost_per_seat=2400.00"
    )
    assertContains(response, "We have filled in your answers from your quote.")
    assert applicant_client.session[SESSION_KEY]["seats"] == {"desktop": 2000, "hr-systems": 2000}

    applicant_client.post(STEP["organisation"], {"organisation": "own"})
    services_page = applicant_client.get(STEP["services"]).content.decode()
    assert 'name="seats_desktop" value="2000"' in services_page
    assert 'name="seats_hr-systems" value="2000"' in services_page
    assertContains(applicant_client.get(STEP["term"]), 'value="5"')
    applicant_client.post(
        STEP["start-date"],
        {"requested_start_0": "1", "requested_start_1": "4", "requested_start_2": "2027"},
    )
    assertContains(applicant_client.get(STEP["current-cost"]), 'value="2400.00"')


def test_a_member_is_sent_to_change_its_contract_not_into_the_journey(client, world):
    client.force_login(world["cio_dius"])
    response = client.get(
        START + "?seats_desktop=2000&seats_hr-systems=2000&term_years=5"
        "&current_cost_per_seat=2400.00"
    )
    assertContains(response, "is already a member of Flex")
    assertContains(response, 'href="/contracts/CON-2026-0004/change/"')
    assertNotContains(response, "We have filled in your answers from your quote.")
    assert SESSION_KEY not in client.session


def test_the_whole_journey_submits_an_application(applicant_client, world):
    _answer_everything(applicant_client)

    check = applicant_client.get(STEP["check"])
    assertContains(check, "Check your answers before applying")
    body = check.content.decode()
    for text in (
        "Department for Digital Services",
        "Standard desktop: 1,000 seats",
        "Real-time collaboration: 1,000 seats",
        "7 years",
        "1 June 2027",
        "£2,850.00 a year",
    ):
        assert text in body, text
    # The same figures as for DIUS's 1,000 desktops before (the newcomer's seats are the same):
    # desktop if joined: 5,300,000 / 5,100 + 850 = 1,889.22; collaboration 2,000 seats: 150.00.
    # A year: 1,000 x 1,889.22 + 1,000 x 150.00 = 2,039,220.00.
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold" id="answers-annual-total">£2,039,220.00</td>'
        in body
    )
    # Today: 2,850.00 x 1,000 desktops = 2,850,000.00, against 1,889,220.00 for the desktops
    # (the extras are not in the comparison): saving 960,780.00 (33.7%). It said 810,780.00
    # (28.4%) while a quote also subtracted the extras' cost.
    assert "You would save £960,780.00 a year (33.7%)." in body

    response = applicant_client.post(STEP["check"])

    application = SignUpApplication.objects.get(organisation__slug="dds")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "applications:application-confirmation", args=[application.reference]
    )
    assert application.reference == "FLEX-2026-0002"
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.term_years, application.requested_start) == (7, dt.date(2027, 6, 1))
    assert application.current_cost_per_seat == Decimal("2850.00")
    assert sorted(application.lines.values_list("service__slug", "seats")) == [
        ("collaboration", 1000),
        ("desktop", 1000),
    ]
    assert list(application.events.values_list("action", flat=True)) == ["created", "submitted"]
    assert SESSION_KEY not in applicant_client.session

    confirmation = applicant_client.get(response["Location"])
    assertContains(
        confirmation, '<h1 class="govuk-panel__title">Application submitted</h1>', html=True
    )
    assertContains(
        confirmation, '<strong id="application-reference">FLEX-2026-0002</strong>', html=True
    )


def test_errors_are_summarised_and_what_was_typed_is_kept(applicant_client):
    _answer_everything(applicant_client)
    response = applicant_client.post(STEP["term"], {"term_years": "eleven"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: How many years do you want the contract to run for?" in body
    assert 'class="govuk-error-summary"' in body
    assert (
        '<a href="#id_term_years">The contract term must be a whole number of years, like 5</a>'
        in body
    )
    assert 'value="eleven"' in body
    assert applicant_client.session[SESSION_KEY]["term_years"] == 7  # the earlier answer stands


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the number of seats for at least one service"),
        ({"seats_desktop": "0"}, "Seats of standard desktop must be 1 or more, or leave it blank"),
        ({"seats_desktop": "1000001"}, "Seats of standard desktop must be 1,000,000 or fewer"),
        ({"seats_desktop": "ten"}, "Seats of standard desktop must be a whole number, like 2000"),
    ],
)
def test_the_services_page_explains_bad_seats(applicant_client, data, message):
    applicant_client.get(START)
    applicant_client.post(STEP["organisation"], {"organisation": "own"})
    response = applicant_client.post(STEP["services"], data)
    assertContains(response, message, status_code=400)
    assertContains(response, "<title>Error: ", status_code=400)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date you want the service to start"),
        (("31", "2", "2027"), "The start date must be a real date"),
        (("21", "11", "2026"), "The start date must be today or in the future"),
        (("1", "1", "2030"), "The start date must be within 3 years from today"),
    ],
)
def test_the_start_date_page_explains_bad_dates(applicant_client, parts, message):
    _answer_everything(applicant_client)
    data = {f"requested_start_{i}": value for i, value in enumerate(parts)}
    response = applicant_client.post(STEP["start-date"], data)
    assertContains(response, message, status_code=400)


def test_a_change_link_returns_to_check_your_answers(applicant_client):
    _answer_everything(applicant_client)
    check = applicant_client.get(STEP["check"]).content.decode()
    assert f'href="{STEP["term"]}?change=1"' in check

    page = applicant_client.get(STEP["term"] + "?change=1").content.decode()
    assert f'<a href="{STEP["check"]}" class="govuk-back-link">Back</a>' in page
    response = applicant_client.post(STEP["term"] + "?change=1", {"term_years": "3"})
    assert response["Location"] == STEP["check"]
    assertContains(applicant_client.get(STEP["check"]), "3 years")


def test_pages_ahead_of_the_answers_send_you_back_to_the_first_unanswered_one(applicant_client):
    applicant_client.get(START)
    applicant_client.post(STEP["organisation"], {"organisation": "own"})
    assert applicant_client.get(STEP["check"])["Location"] == STEP["services"]
    assert applicant_client.get(STEP["start-date"])["Location"] == STEP["services"]
    # Without a journey at all: back to the start page.
    applicant_client.session.flush()
    applicant_client.force_login(Organisation.objects.get(slug="dds").users.get())
    assert applicant_client.get(STEP["term"])["Location"] == START


def test_applying_for_a_new_organisation(client, cio_newcomer):
    client.force_login(cio_newcomer)
    client.get(START)
    response = client.post(STEP["organisation"], {"organisation": "new"})
    assert response["Location"] == STEP["new-organisation"]
    response = client.post(
        STEP["new-organisation"],
        {
            "name": "Department for Business, Innovation and Skills",
            "kind": "ministerial",
            "staff": "4,500",
            "desktops": "",
            "predecessors": ["dti", "dfes"],
        },
    )
    assert response["Location"] == STEP["services"]
    _answer_everything(client, organisation={"organisation": "new"})
    check = client.get(STEP["check"])
    assertContains(
        check, "Replaces Department for Education and Skills, Department of Trade and Industry"
    )

    client.post(STEP["check"])

    organisation = Organisation.objects.get(name="Department for Business, Innovation and Skills")
    assert organisation.membership_status == "prospective"
    assert (organisation.staff, organisation.desktops) == (4500, None)
    assert organisation.applications.get().status == ApplicationStatus.SUBMITTED
    cio_newcomer.refresh_from_db()
    assert cio_newcomer.organisation.slug == "dds"  # until the application is approved


def test_the_new_organisation_page_refuses_a_taken_name(client, cio_newcomer):
    client.force_login(cio_newcomer)
    client.get(START)
    client.post(STEP["organisation"], {"organisation": "new"})
    response = client.post(
        STEP["new-organisation"], {"name": "Cabinet office", "kind": "ministerial", "staff": "10"}
    )
    assertContains(
        response,
        "An organisation with this name already exists: apply for it instead",
        status_code=400,
    )


def test_an_organisation_with_an_open_application_is_told_so(client, world):
    client.force_login(world["cio_agency"])
    response = client.get(START)
    assertContains(response, "Government Skills Agency already has an open application")
    _answer_everything(client)
    response = client.post(STEP["check"])
    assert response.status_code == 400
    assertContains(
        response,
        "Government Skills Agency already has an open application, FLEX-2026-0001.",
        status_code=400,
    )
    assert SignUpApplication.objects.filter(organisation__slug="agency").count() == 1


@pytest.mark.parametrize("who", ["approver", "procurement"])
def test_only_cios_can_apply(client, world, who):
    client.force_login(world[who])
    assert client.get(START).status_code == 403
    assert client.post(STEP["check"]).status_code == 403
    assertNotContains(client.get(reverse("home")), "Apply to join Flex")
