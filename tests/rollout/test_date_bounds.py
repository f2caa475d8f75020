"""Rollout dates stay within the contract's term: a plan's start and every wave's planned and
actual dates, through the API, the wave form and the services; and a bad date already stored
cannot break a page for anyone else."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from accounts.models import User
from rollout import charts, schedule
from rollout.models import RolloutPlan, RolloutTemplate, Wave

from .conftest import freeze
from .test_api import as_user, plan_of, waves_of
from .test_api import wave_url as wave_api
from .test_pages import form_data as wave_form

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 23)
LIST = "/api/v1/rollouts/"
# The demo's contracts: CON-2026-0001 (Cabinet Office) runs 5 years from 1 April 2026,
# CON-2026-0003 (DIUS integration) 1 year from 12 October 2026, CON-2026-0004 (DIUS platform)
# 7 years from 1 June 2027. Dates may fall from 90 days before a contract starts (the lead-in)
# to its last day.


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# --- creating a plan ------------------------------------------------------------------


def create(client, **overrides):
    template = RolloutTemplate.objects.get(name="Cabinet Office proven rollout")
    data = {"contract": "CON-2026-0003", "template": template.pk, "start_date": "2027-01-11"}
    with freeze(TODAY):
        return client.post(LIST, {"seats": 1000, **data, **overrides}, format="json")


def test_a_plan_starting_in_9999_is_refused_not_a_500(api_client, demo):
    response = create(as_user(api_client, "cio-dius"), start_date="9999-12-31")
    assert response.status_code == 400
    assert response.json() == {
        "start_date": [
            "The start date must be between 24 October 2026 and 4 February 2027, so that "
            "every wave and milestone falls within CON-2026-0003's term"
        ]
    }
    assert not RolloutPlan.objects.filter(contract__reference="CON-2026-0003").exists()


def test_a_plan_whose_last_wave_would_end_after_the_term_is_refused(api_client, demo):
    # The template's last milestone falls 249 days after its start, and the term's last day is
    # 11 October 2027: the latest start is 4 February 2027.
    assert create(as_user(api_client, "cio-dius"), start_date="2027-02-05").status_code == 400
    response = create(as_user(api_client, "cio-dius"), start_date="2027-02-04")
    assert response.status_code == 201, response.json()
    milestones = [m["due_on"] for m in response.json()["milestones"]]
    assert max(milestones) == "2027-10-11"


# --- changing a wave ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"planned_start": "0001-01-01", "planned_end": "9999-12-31"},
            {
                "planned_start": [
                    "The planned start date must be between 3 March 2027 and 31 May 2034, "
                    "within CON-2026-0004's term"
                ],
                "planned_end": [
                    "The planned end date must be between 3 March 2027 and 31 May 2034, "
                    "within CON-2026-0004's term"
                ],
            },
        ),
        (
            {"planned_start": "1900-06-07"},
            {
                "planned_start": [
                    "The planned start date must be between 3 March 2027 and 31 May 2034, "
                    "within CON-2026-0004's term"
                ]
            },
        ),
        (
            {"planned_end": "2034-06-01"},
            {
                "planned_end": [
                    "The planned end date must be between 3 March 2027 and 31 May 2034, "
                    "within CON-2026-0004's term"
                ]
            },
        ),
    ],
)
def test_wave_dates_outside_the_term_are_400_and_change_nothing(api_client, demo, data, errors):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    response = as_user(api_client, "cio-dius").patch(wave_api(plan, 1), data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert waves_of(plan) == before


def test_wave_dates_at_the_edges_of_the_term_are_accepted(api_client, demo):
    plan = plan_of("CON-2026-0004")
    response = as_user(api_client, "cio-dius").patch(
        wave_api(plan, 1),
        {"planned_start": "2027-03-03", "planned_end": "2034-05-31"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_an_actual_start_before_the_term_is_refused(api_client, demo):
    # Cabinet Office's contract started on 1 April 2026: 90 days' lead-in reaches 1 January.
    plan = plan_of("CON-2026-0001")
    with freeze(TODAY):
        response = as_user(api_client, "approver").patch(
            wave_api(plan, 5), {"actual_start": "2025-12-31"}, format="json"
        )
    assert response.status_code == 400
    assert response.json() == {
        "actual_start": [
            "The actual start date must be between 1 January 2026 and 31 March 2031, "
            "within CON-2026-0001's term"
        ]
    }


def test_the_wave_form_refuses_a_date_outside_the_term_with_the_error_summary(client, demo):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    client.force_login(User.objects.get(username="cio-dius"))
    url = reverse("rollout:wave-edit", args=[plan.pk, plan.waves.get(order=1).pk])
    response = client.post(
        url, wave_form(planned_end_0="31", planned_end_1="12", planned_end_2="9999")
    )
    assert response.status_code == 200
    body = text(response)
    assert 'class="govuk-error-summary"' in body
    assert (
        "The planned end date must be between 3 March 2027 and 31 May 2034, "
        "within CON-2026-0004's term" in body
    )
    assert waves_of(plan) == before


# --- a bad row already stored ---------------------------------------------------------


@pytest.fixture
def bad_row(demo):
    """A wave written before the bounds existed (or straight into the database)."""
    plan = plan_of("CON-2026-0004")
    Wave.objects.filter(plan=plan, order=1).update(
        planned_start=D(1, 1, 1), planned_end=D(9999, 12, 31)
    )
    Wave.objects.filter(plan=plan, order=2).update(
        planned_start=D(9999, 12, 31), planned_end=D(9999, 12, 31)
    )
    return plan


@pytest.mark.parametrize("username", ["cio-dius", "approver", "procurement"])
def test_a_stored_bad_row_does_not_break_the_pages(client, bad_row, username):
    client.force_login(User.objects.get(username=username))
    urls = [
        reverse("rollout:list"),
        reverse("rollout:detail", args=[bad_row.pk]),
        reverse("contracts:detail", args=["CON-2026-0004"]),
        f"{LIST}{bad_row.pk}/",
        LIST,
    ]
    if username == "approver":
        urls.append(reverse("rollout:going-live"))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_timeline_of_a_bad_row_keeps_to_the_term_and_the_table_tells_the_truth(client, bad_row):
    client.force_login(User.objects.get(username="cio-dius"))
    response = client.get(reverse("rollout:detail", args=[bad_row.pk]))
    gantt = response.context["gantt"]
    assert (gantt.first_day, gantt.last_day) == (D(2027, 3, 3), D(2034, 5, 31))
    assert len(gantt.ticks) <= 30
    assert "1 Jan 0001 to 31 Dec 9999" in text(response)


def test_going_live_leaves_out_seats_dated_outside_their_terms_and_says_so(client, bad_row):
    client.force_login(User.objects.get(username="approver"))
    response = client.get(reverse("rollout:going-live"))
    months = [r["total"].month for r in response.context["rows"]]
    assert D(2026, 5, 1) <= min(months) and max(months) <= D(2034, 5, 1)
    assert "280 seats in waves dated outside their contract's term are not shown" in text(response)


def test_charts_and_schedule_survive_the_extremes_of_the_calendar():
    rows = [charts.GanttRow("A", "planned", "Planned", D(1, 1, 1), D(9999, 12, 31))]
    gantt = charts.gantt(rows, today=TODAY)
    assert gantt.first_day >= D(2006, 11, 23) and gantt.last_day <= D(2046, 11, 23)
    facts = [
        schedule.WaveFacts(10, "planned", D(1, 1, 1), D(9999, 12, 31)),
        schedule.WaveFacts(10, "done", D(1, 1, 1), D(1, 1, 1), actual_end=D(1, 1, 1)),
    ]
    window = schedule.DateWindow(D(2026, 1, 1), D(2030, 12, 31))
    assert schedule.seats_going_live_by_month(facts, window=window) == []
    assert schedule.shift(D(9999, 12, 31), days=1) == D(9999, 12, 31)
    assert schedule.shift(D(1, 1, 1), days=-1) == D(1, 1, 1)
