"""Rollout pages: who sees what, progress and overdue flags on a fixed day, the timeline,
editing waves, plans from templates, templates from plans, seats going live per month."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.models import User
from rollout.models import RolloutPlan, RolloutTemplate, Wave
from tests import factories

from .conftest import freeze

pytestmark = pytest.mark.django_db
D = dt.date


def login(client, username):
    client.force_login(User.objects.get(username=username))


def plan_of(reference):
    return RolloutPlan.objects.get(contract__reference=reference)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- list -----------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, demo):
    for url in [
        reverse("rollout:list"),
        reverse("rollout:detail", args=[plan_of("CON-2026-0001").pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("username", "plans"),
    [
        ("cio-dius", ["DIUS full platform rollout"]),
        ("cio-ons", []),
        ("approver", ["Cabinet Office desktop rollout", "DIUS full platform rollout"]),
        ("procurement", ["Cabinet Office desktop rollout", "DIUS full platform rollout"]),
    ],
)
def test_the_list_shows_the_plans_each_role_may_see(client, demo, username, plans):
    login(client, username)
    response = client.get(reverse("rollout:list"))
    assert response.status_code == 200
    assert [s.plan.name for s in response.context["summaries"]] == plans


def test_progress_and_overdue_waves_on_a_fixed_day(client, demo):
    login(client, "approver")
    with freeze(D(2026, 11, 23)):
        body = text(client.get(reverse("rollout:list")))
    # Done: 100 + 600 + 600 + 700 of 2,500; wave 4 was due to finish on 20 November.
    # The bar's length is a class: the Content-Security-Policy allows no style attributes.
    assert 'class="flex-progress__bar flex-progress__bar--80"' in body
    assert "2,000 of 2,500 seats live (80%)" in body
    assert (
        "Wave 4, due to finish 20 November 2026 "
        '<strong class="govuk-tag govuk-tag--orange">Overdue</strong>'
    ) in body
    assert "0 of 1,000 seats live (0%)" in body


def test_nothing_is_overdue_on_the_planned_end_day(client, demo):
    login(client, "approver")
    with freeze(D(2026, 11, 20)):
        body = text(client.get(reverse("rollout:list")))
    assert 'govuk-tag--orange">Overdue' not in body


def test_cio_may_create_a_plan_only_while_a_contract_has_none(client, demo):
    login(client, "cio-dius")
    assert "Create a rollout plan" in text(client.get(reverse("rollout:list")))  # CON-2026-0003
    login(client, "procurement")
    assert "Create a rollout plan" not in text(client.get(reverse("rollout:list")))


def _plans(count, waves_each):
    for _ in range(count):
        contract = factories.ContractFactory()
        factories.ContractLineFactory(
            contract=contract, service=factories.CostShareServiceFactory(slug="desktop"), seats=500
        )
        plan = factories.RolloutPlanFactory(contract=contract)
        factories.MilestoneFactory(plan=plan)
        for order in range(1, waves_each + 1):
            factories.WaveFactory(
                plan=plan,
                order=order,
                status="done",
                actual_start=D(2026, 3, 1),
                actual_end=D(2026, 3, 31),
            )


def test_list_page_queries_stay_constant_as_plans_and_waves_grow(client, django_assert_num_queries):
    approver = factories.ApproverFactory()
    client.force_login(approver)
    _plans(2, 2)
    # the session with its user, their organisation and groups (one statement), how many
    # plans, a page of plans with contract, organisation, template and seats contracted, their
    # waves, whether a contract is open for planning (the list shows no milestones).
    with django_assert_num_queries(5):
        assert len(client.get(reverse("rollout:list")).context["summaries"]) == 2
    _plans(8, 6)
    with django_assert_num_queries(5):
        response = client.get(reverse("rollout:list"))
    assert len(response.context["summaries"]) == 10
    assert "60 of 500 seats live (12%)" in text(response)
    _plans(15, 1)  # 25 plans: a page of 20 (views.PLANS_PAGE_SIZE), then the other 5
    with django_assert_num_queries(5):
        response = client.get(reverse("rollout:list"), {"page": 2})
    assert len(response.context["summaries"]) == 5
    assert 'aria-label="Page 1"' in response.content.decode()


# --- detail ---------------------------------------------------------------------------


def test_another_organisations_plan_is_not_found(client, demo):
    login(client, "cio-ons")
    assert (
        client.get(reverse("rollout:detail", args=[plan_of("CON-2026-0004").pk])).status_code == 404
    )
    assert client.get(reverse("rollout:detail", args=[999_999])).status_code == 404


def test_the_timeline_is_an_accessible_svg_with_a_table(client, demo):
    login(client, "approver")
    plan = plan_of("CON-2026-0001")
    with freeze(D(2026, 11, 23)):
        response = client.get(reverse("rollout:detail", args=[plan.pk]))
    body = text(response)
    assert '<svg class="flex-chart" role="img" aria-labelledby="gantt-title gantt-desc"' in body
    assert '<title id="gantt-title">Timeline of Cabinet Office desktop rollout</title>' in body
    assert (
        '<desc id="gantt-desc">5 waves between 13 April 2026 and 23 November 2026: 1 in progress, '
        "4 done. 1 overdue. Today, 23 November 2026, is marked with a dashed line. "
        "The table after the chart gives the same data.</desc>"
    ) in body
    assert body.count("flex-chart__bar flex-chart__bar--done") == 4 + 1  # four waves, legend
    assert body.count("flex-chart__bar flex-chart__bar--in-progress") == 1 + 1
    assert 'class="flex-chart__today"' in body
    rows = response.context["summary"].waves
    assert [(r.wave.name, r.wave.seats, r.overdue) for r in rows] == [
        ("Pilot", 100, False),
        ("Wave 1", 600, False),
        ("Wave 2", 600, False),
        ("Wave 3", 700, False),
        ("Wave 4", 500, True),
    ]
    assert "26 Oct 2026 to now" in body
    assert "Legacy desktops decommissioned" in body


def test_a_future_plan_has_no_today_marker(client, demo):
    login(client, "cio-dius")
    with freeze(D(2026, 11, 23)):
        body = text(client.get(reverse("rollout:detail", args=[plan_of("CON-2026-0004").pk])))
    assert "flex-chart__today" not in body
    assert body.count("flex-chart__bar--planned") == 5 + 1
    assert (
        'Laid out from</dt> <dd class="govuk-summary-list__value">Cabinet Office proven rollout'
        in body
    )


def test_only_editors_see_change_links_and_only_cabinet_office_saves_templates(client, demo):
    plan = plan_of("CON-2026-0004")
    login(client, "cio-dius")
    body = text(client.get(reverse("rollout:detail", args=[plan.pk])))
    assert 'Change<span class="govuk-visually-hidden"> Pilot</span>' in body
    assert "Save as a template" not in body
    login(client, "procurement")
    body = text(client.get(reverse("rollout:detail", args=[plan.pk])))
    assert 'govuk-visually-hidden"> Pilot' not in body
    login(client, "approver")
    assert "Save as a template" in text(client.get(reverse("rollout:detail", args=[plan.pk])))


# --- editing a wave -------------------------------------------------------------------


def wave_url(plan, order):
    return reverse("rollout:wave-edit", args=[plan.pk, plan.waves.get(order=order).pk])


def form_data(**overrides):
    data = {
        "name": "Pilot",
        "site": "Sanctuary Buildings",
        "seats": "40",
        "planned_start_0": "7",
        "planned_start_1": "6",
        "planned_start_2": "2027",
        "planned_end_0": "2",
        "planned_end_1": "7",
        "planned_end_2": "2027",
        "status": "planned",
        "actual_start_0": "",
        "actual_start_1": "",
        "actual_start_2": "",
        "actual_end_0": "",
        "actual_end_1": "",
        "actual_end_2": "",
        "blocked_reason": "",
    }
    return {**data, **overrides}


def waves_of(plan):
    return list(Wave.objects.filter(plan=plan).order_by("order").values())


def test_the_owning_cio_edits_a_wave(client, demo):
    plan = plan_of("CON-2026-0004")
    login(client, "cio-dius")
    page = client.get(wave_url(plan, 1))
    assert page.status_code == 200
    assert 'value="2027"' in page.content.decode()
    response = client.post(wave_url(plan, 1), form_data(seats="30", planned_end_0="9"))
    assert response.status_code == 302
    assert response["Location"] == reverse("rollout:detail", args=[plan.pk])
    wave = plan.waves.get(order=1)
    assert (wave.seats, wave.planned_end, wave.site) == (30, D(2027, 7, 9), "Sanctuary Buildings")
    assert "Pilot updated" in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"planned_end_0": "1", "planned_end_1": "6"},
            "The planned end date must be the same as or after the planned start date",
        ),
        (
            {"seats": "1001"},
            "CON-2026-0004 has 1,000 seats and the other waves use 960: enter 40 or fewer",
        ),
        ({"seats": "lots"}, "Enter the number of seats as a whole number, like 250"),
        (
            {"planned_start_0": "31", "planned_start_1": "2"},
            "The planned start date must be a real date",
        ),
        ({"planned_start_1": ""}, "The planned start date must include a day, month and year"),
        ({"status": "blocked"}, "Enter why the wave is blocked"),
    ],
)
def test_bad_wave_edits_show_the_error_summary_and_change_nothing(client, demo, overrides, message):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    login(client, "cio-dius")
    response = client.post(wave_url(plan, 1), form_data(**overrides))
    assert response.status_code == 200
    body = text(response)
    assert "<title>Error: Change Pilot" in body
    assert 'class="govuk-error-summary"' in body
    assert message in body
    assert waves_of(plan) == before
    # Every link in the summary moves focus to an input on the page (the date's day box, the
    # first radio), as GOV.UK's error summary needs.
    page = response.content.decode()
    summary = page[page.index('class="govuk-error-summary"') :].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]*)"', summary)
    assert targets and all(f'id="{target}"' in page for target in targets), targets


def test_another_organisations_cio_cannot_reach_the_wave(client, demo):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    login(client, "cio-ons")
    assert client.get(wave_url(plan, 1)).status_code == 404
    assert client.post(wave_url(plan, 1), form_data(seats="1")).status_code == 404
    assert waves_of(plan) == before


def test_procurement_may_not_edit_a_wave(client, demo):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    login(client, "procurement")
    assert client.get(wave_url(plan, 1)).status_code == 403
    assert client.post(wave_url(plan, 1), form_data(seats="1")).status_code == 403
    assert waves_of(plan) == before


def test_a_wave_of_another_plan_is_not_found(client, demo):
    dius, cabinet_office = plan_of("CON-2026-0004"), plan_of("CON-2026-0001")
    login(client, "cio-dius")
    url = reverse("rollout:wave-edit", args=[dius.pk, cabinet_office.waves.get(order=1).pk])
    assert client.get(url).status_code == 404


# --- creating a plan from a template --------------------------------------------------


def create_data(**overrides):
    template = RolloutTemplate.objects.get(name="Cabinet Office proven rollout")
    data = {
        "contract": "CON-2026-0003",
        "template": str(template.pk),
        "start_date_0": "11",
        "start_date_1": "1",
        "start_date_2": "2027",
        "seats": "1000",
    }
    return {**data, **overrides}


def test_a_cio_creates_a_plan_from_a_template(client, demo):
    login(client, "cio-dius")
    page = client.get(reverse("rollout:create"))
    assert (
        "CON-2026-0003: DIUS, integration call-off, 1,000 seats, starting 12 October 2026"
        in text(page)
    )
    with freeze(D(2026, 11, 23)):
        response = client.post(reverse("rollout:create"), create_data(seats="999"))
    plan = plan_of("CON-2026-0003")
    assert response["Location"] == reverse("rollout:detail", args=[plan.pk])
    # 39.96, 239.76, 239.76, 279.72, 199.8 → 39 + 239 + 239 + 279 + 199 = 995; the four
    # seats left over go to .96, .8, .76 and .76 (all but .72).
    assert list(plan.waves.order_by("order").values_list("seats", "planned_start")) == [
        (40, D(2027, 1, 11)),
        (240, D(2027, 2, 15)),
        (240, D(2027, 4, 5)),
        (279, D(2027, 6, 7)),
        (200, D(2027, 7, 26)),
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"seats": "0"}, "Enter a number of seats greater than 0"),
        ({"seats": "1001"}, "CON-2026-0003 has 1,000 seats: enter 1,000 or fewer"),
        (
            {"start_date_0": "1", "start_date_1": "9", "start_date_2": "2026"},
            "The start date must be no more than 30 days ago (on or after 24 October 2026)",
        ),
        ({"contract": "CON-2026-0004"}, "Choose one of the contracts listed"),
        ({"contract": "CON-2026-0002"}, "Choose one of the contracts listed"),
    ],
)
def test_bad_plans_are_refused_with_a_message(client, demo, overrides, message):
    login(client, "cio-dius")
    plans = RolloutPlan.objects.count()
    with freeze(D(2026, 11, 23)):
        response = client.post(reverse("rollout:create"), create_data(**overrides))
    assert response.status_code == 200
    body = text(response)
    assert "<title>Error: Create a rollout plan" in body
    assert message in body
    assert RolloutPlan.objects.count() == plans


def test_procurement_cannot_create_plans(client, demo):
    login(client, "procurement")
    assert client.get(reverse("rollout:create")).status_code == 403
    assert client.post(reverse("rollout:create"), create_data()).status_code == 403
    assert not RolloutPlan.objects.filter(contract__reference="CON-2026-0003").exists()


def test_a_cio_with_every_contract_planned_is_told_so(client, demo):
    login(client, "cio-ons")  # ONS's one contract has no plan: plan it first
    client.post(reverse("rollout:create"), create_data(contract="CON-2026-0002", seats="600"))
    body = text(client.get(reverse("rollout:create")))
    assert "Every active contract you can plan already has a rollout plan." in body


# --- save as template -----------------------------------------------------------------


def test_cabinet_office_saves_a_plan_as_a_template(client, demo):
    plan = plan_of("CON-2026-0001")
    login(client, "approver")
    assert client.get(reverse("rollout:save-as-template", args=[plan.pk])).status_code == 200
    response = client.post(
        reverse("rollout:save-as-template", args=[plan.pk]),
        {"name": "Spring 2026", "description": ""},
    )
    assert response.status_code == 302
    template = RolloutTemplate.objects.get(name="Spring 2026")
    assert template.phases.count() == 5 and template.source_plan == plan


def test_a_template_name_must_be_new(client, demo):
    plan = plan_of("CON-2026-0001")
    login(client, "approver")
    response = client.post(
        reverse("rollout:save-as-template", args=[plan.pk]),
        {"name": "Cabinet Office proven rollout"},
    )
    assert response.status_code == 200
    assert "A template called “Cabinet Office proven rollout” already exists" in text(response)
    assert RolloutTemplate.objects.count() == 1


def test_cios_cannot_save_templates(client, demo):
    login(client, "cio-dius")
    own, other = plan_of("CON-2026-0004"), plan_of("CON-2026-0001")
    assert (
        client.post(reverse("rollout:save-as-template", args=[own.pk]), {"name": "X"}).status_code
        == 403
    )
    assert (
        client.post(reverse("rollout:save-as-template", args=[other.pk]), {"name": "X"}).status_code
        == 404
    )
    assert RolloutTemplate.objects.count() == 1


# --- seats going live per month -------------------------------------------------------


def test_cabinet_office_sees_seats_going_live_per_month(client, demo):
    login(client, "approver")
    response = client.get(reverse("rollout:going-live"))
    assert response.status_code == 200
    rows = [
        (r["total"].month, r["total"].seats_live, r["total"].seats_planned, r["cumulative"])
        for r in response.context["rows"]
    ]
    assert rows[:7] == [
        (D(2026, 5, 1), 100, 0, 100),
        (D(2026, 6, 1), 0, 0, 100),
        (D(2026, 7, 1), 600, 0, 700),
        (D(2026, 8, 1), 600, 0, 1300),
        (D(2026, 9, 1), 0, 0, 1300),
        (D(2026, 10, 1), 700, 0, 2000),
        (D(2026, 11, 1), 0, 500, 2500),
    ]
    assert rows[-1] == (D(2028, 1, 1), 0, 200, 3500)
    body = text(response)
    assert (
        '<svg class="flex-chart" role="img" aria-labelledby="going-live-title going-live-desc"'
        in body
    )
    assert "2,000 seats live and 1,500 planned" in body


@pytest.mark.parametrize("username", ["cio-dius", "procurement"])
def test_others_do_not_see_seats_going_live(client, demo, username):
    login(client, username)
    assert client.get(reverse("rollout:going-live")).status_code == 403


def test_going_live_queries_stay_constant(client, django_assert_num_queries):
    client.force_login(factories.ApproverFactory())
    _plans(2, 2)
    # the session with its user, their organisation and groups (one statement), the waves.
    with django_assert_num_queries(2):
        client.get(reverse("rollout:going-live"))
    _plans(5, 5)
    with django_assert_num_queries(2):
        client.get(reverse("rollout:going-live"))
