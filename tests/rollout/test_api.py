"""/api/v1/rollouts/: the INTERFACE.md fields, visibility by role, writes and their refusals."""

import datetime as dt

import pytest

from accounts.models import User
from rollout.models import RolloutPlan, RolloutTemplate, Wave
from tests import factories

from .conftest import freeze
from .test_pages import _plans

pytestmark = pytest.mark.django_db
D = dt.date
LIST = "/api/v1/rollouts/"


def as_user(api_client, username):
    api_client.force_authenticate(User.objects.get(username=username))
    return api_client


def plan_of(reference):
    return RolloutPlan.objects.get(contract__reference=reference)


def waves_of(plan):
    return list(Wave.objects.filter(plan=plan).order_by("order").values())


@pytest.mark.parametrize(
    ("username", "references"),
    [
        ("cio-dius", ["CON-2026-0004"]),
        ("cio-ons", []),
        ("approver", ["CON-2026-0001", "CON-2026-0004"]),
        ("procurement", ["CON-2026-0001", "CON-2026-0004"]),
    ],
)
def test_the_list_holds_the_plans_each_role_may_see(api_client, demo, username, references):
    response = as_user(api_client, username).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == len(references)
    assert [p["contract"] for p in response.json()["results"]] == references


def test_signed_out_callers_get_nothing(api_client, demo):
    response = api_client.get(LIST)
    # 401 or 403 depending on the first authentication class; either way, no data.
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_plan_as_interface_md_describes_it(api_client, demo):
    plan = plan_of("CON-2026-0001")
    with freeze(D(2026, 11, 23)):
        body = as_user(api_client, "approver").get(f"{LIST}{plan.pk}/").json()
    waves = {w.order: w.pk for w in plan.waves.all()}
    assert {k: v for k, v in body.items() if k not in ("waves", "milestones")} == {
        "id": plan.pk,
        "name": "Cabinet Office desktop rollout",
        "contract": "CON-2026-0001",
        "organisation": "cabinet-office",
        "template": None,
        "seats_contracted": 2500,
        "seats_live": 2000,
        "percent_live": 80,
        "overdue_waves": 1,
    }
    assert body["waves"][0] == {
        "id": waves[1],
        "order": 1,
        "name": "Pilot",
        "site": "Digital team, 70 Whitehall",
        "seats": 100,
        "planned_start": "2026-04-13",
        "planned_end": "2026-05-08",
        "actual_start": "2026-04-13",
        "actual_end": "2026-05-08",
        "status": "done",
        "blocked_reason": "",
        "overdue": False,
    }
    assert [
        (w["name"], w["seats"], w["status"], w["actual_end"], w["overdue"]) for w in body["waves"]
    ] == [
        ("Pilot", 100, "done", "2026-05-08", False),
        ("Wave 1", 600, "done", "2026-07-03", False),
        ("Wave 2", 600, "done", "2026-08-14", False),
        ("Wave 3", 700, "done", "2026-10-21", False),
        ("Wave 4", 500, "in_progress", None, True),
    ]
    assert body["milestones"] == [
        {"name": "Design sign-off", "due_on": "2026-04-13", "completed_on": "2026-04-10"},
        {"name": "Pilot complete", "due_on": "2026-05-08", "completed_on": "2026-05-08"},
        {"name": "Migration complete", "due_on": "2026-11-20", "completed_on": None},
        {"name": "Legacy desktops decommissioned", "due_on": "2026-12-18", "completed_on": None},
    ]


def test_the_dius_plan_came_from_the_template(api_client, demo):
    body = as_user(api_client, "cio-dius").get(f"{LIST}{plan_of('CON-2026-0004').pk}/").json()
    assert body["template"] == "Cabinet Office proven rollout"
    assert [(w["seats"], w["planned_start"], w["planned_end"]) for w in body["waves"]] == [
        (40, "2027-06-07", "2027-07-02"),
        (240, "2027-07-12", "2027-08-20"),
        (240, "2027-08-30", "2027-10-08"),
        (280, "2027-11-01", "2027-12-10"),
        (200, "2027-12-20", "2028-01-14"),
    ]


def test_another_organisations_plan_is_not_found(api_client, demo):
    client = as_user(api_client, "cio-ons")
    assert client.get(f"{LIST}{plan_of('CON-2026-0004').pk}/").status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404


def test_the_list_filters_by_organisation(api_client, demo):
    body = as_user(api_client, "approver").get(LIST, {"organisation": "dius"}).json()
    assert [p["contract"] for p in body["results"]] == ["CON-2026-0004"]


def test_list_endpoint_queries_stay_constant(api_client, django_assert_num_queries):
    approver = factories.ApproverFactory()
    _plans(2, 2)
    # the user's groups, the count, plans with contract, organisation, template and seats
    # contracted, their waves, their milestones.
    api_client.force_authenticate(User.objects.get(pk=approver.pk))  # groups not yet cached
    with django_assert_num_queries(5):
        assert api_client.get(LIST).json()["count"] == 2
    _plans(8, 6)
    api_client.force_authenticate(User.objects.get(pk=approver.pk))
    with django_assert_num_queries(5):
        assert len(api_client.get(LIST).json()["results"]) == 10


# --- changing a wave ------------------------------------------------------------------


def wave_url(plan, order):
    return f"{LIST}{plan.pk}/waves/{plan.waves.get(order=order).pk}/"


def test_the_owning_cio_patches_a_wave(api_client, demo):
    plan = plan_of("CON-2026-0004")
    response = as_user(api_client, "cio-dius").patch(
        wave_url(plan, 2),
        {"planned_end": "2027-08-27", "site": "Sanctuary Buildings"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["planned_end"] == "2027-08-27"
    assert response.json()["site"] == "Sanctuary Buildings"
    assert plan.waves.get(order=2).planned_end == D(2027, 8, 27)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"planned_end": "2027-06-01"},
            {
                "planned_end": [
                    "The planned end date must be the same as or after the planned start date"
                ]
            },
        ),
        (
            {"seats": 41},
            {
                "seats": [
                    "CON-2026-0004 has 1,000 seats and the other waves use 960: enter 40 or fewer"
                ]
            },
        ),
        ({"seats": "many"}, {"seats": ["A valid integer is required."]}),
        ({"status": "blocked"}, {"blocked_reason": ["Enter why the wave is blocked"]}),
    ],
)
def test_bad_patches_are_400_and_change_nothing(api_client, demo, data, errors):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    response = as_user(api_client, "cio-dius").patch(wave_url(plan, 1), data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert waves_of(plan) == before


def test_another_organisations_cio_gets_404_and_nothing_changes(api_client, demo):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    response = as_user(api_client, "cio-ons").patch(wave_url(plan, 1), {"seats": 1}, format="json")
    assert response.status_code == 404
    assert waves_of(plan) == before


def test_procurement_gets_403_and_nothing_changes(api_client, demo):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    response = as_user(api_client, "procurement").patch(
        wave_url(plan, 1), {"seats": "bad"}, format="json"
    )
    assert response.status_code == 403
    assert waves_of(plan) == before


# --- creating a plan from a template --------------------------------------------------


def create(client, **overrides):
    template = RolloutTemplate.objects.get(name="Cabinet Office proven rollout")
    data = {
        "contract": "CON-2026-0003",
        "template": template.pk,
        "start_date": "2027-01-11",
        "seats": 1000,
    }
    with freeze(D(2026, 11, 23)):
        return client.post(LIST, {**data, **overrides}, format="json")


def test_a_cio_creates_a_plan_from_a_template(api_client, demo):
    response = create(as_user(api_client, "cio-dius"), seats=1000)
    assert response.status_code == 201
    body = response.json()
    assert (body["contract"], body["organisation"], body["seats_contracted"]) == (
        "CON-2026-0003",
        "dius",
        1000,
    )
    assert [w["seats"] for w in body["waves"]] == [40, 240, 240, 280, 200]
    assert body["waves"][0]["planned_start"] == "2027-01-11"


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"seats": 0}, {"seats": ["Enter a number of seats greater than 0"]}),
        ({"seats": 1001}, {"seats": ["CON-2026-0003 has 1,000 seats: enter 1,000 or fewer"]}),
        (
            {"start_date": "2026-09-01"},
            {
                "start_date": [
                    "The start date must be no more than 30 days ago (on or after 24 October 2026)"
                ]
            },
        ),
        (
            {"contract": "CON-2026-0002"},
            {"contract": ["There is no contract CON-2026-0002 that you can see."]},
        ),
        ({"template": 999999}, {"template": ["There is no rollout template 999999."]}),
        ({"contract": "CON-2026-0004"}, {"contract": ["CON-2026-0004 already has a rollout plan"]}),
    ],
)
def test_bad_plans_are_400_and_nothing_is_made(api_client, demo, overrides, errors):
    plans = RolloutPlan.objects.count()
    response = create(as_user(api_client, "cio-dius"), **overrides)
    assert response.status_code == 400
    assert response.json() == errors
    assert RolloutPlan.objects.count() == plans


def test_procurement_cannot_create_plans(api_client, demo):
    response = create(as_user(api_client, "procurement"))
    assert response.status_code == 403
    assert not RolloutPlan.objects.filter(contract__reference="CON-2026-0003").exists()


def test_templates_are_listed_with_their_phases(api_client, demo):
    body = as_user(api_client, "cio-dius").get("/api/v1/rollout-templates/").json()
    assert body["count"] == 1
    template = body["results"][0]
    assert template["name"] == "Cabinet Office proven rollout"
    assert [
        (p["offset_days"], p["duration_days"], p["seat_share"]) for p in template["phases"]
    ] == [
        (0, 26, "0.040000"),
        (35, 40, "0.240000"),
        (84, 40, "0.240000"),
        (147, 40, "0.280000"),
        (196, 26, "0.200000"),
    ]
