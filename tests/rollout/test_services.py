"""rollout/services.py: templates from plans, plans from templates, wave edits, and the
refusals that change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404

from rollout import selectors, services
from rollout.models import Milestone, RolloutPlan, RolloutTemplate, Wave, WaveStatus
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 23)


def snapshot(plan) -> list[dict]:
    return [model_to_dict(w) for w in Wave.objects.filter(plan=plan).order_by("order")]


@pytest.fixture
def proven_plan(make_contract, approver):
    """A finished plan: 100, 600 and 300 seats; a milestone before the first wave."""
    plan = factories.RolloutPlanFactory(contract=make_contract(seats=1000), name="Proven")
    for order, (seats, start, end) in enumerate(
        [
            (100, D(2026, 4, 13), D(2026, 5, 8)),
            (600, D(2026, 5, 18), D(2026, 6, 26)),
            (300, D(2026, 7, 6), D(2026, 7, 6)),
        ],
        start=1,
    ):
        factories.WaveFactory(
            plan=plan,
            order=order,
            name=f"Phase {order}",
            seats=seats,
            planned_start=start,
            planned_end=end,
            actual_start=start,
            actual_end=end,
            status=WaveStatus.DONE,
        )
    factories.MilestoneFactory(plan=plan, name="Design sign-off", due_on=D(2026, 4, 6))
    factories.MilestoneFactory(plan=plan, name="Decommission", due_on=D(2026, 8, 3))
    return plan


@pytest.fixture
def template(proven_plan, approver):
    return services.rollout_template_create_from_plan(
        actor=approver, plan=proven_plan, name="Proven rollout"
    )


# --- templates ------------------------------------------------------------------------


def test_cabinet_office_saves_a_plan_as_a_template(template, proven_plan):
    # The plan starts with its sign-off on 6 April, a week before the first wave.
    assert template.source_plan == proven_plan
    assert [
        (p.order, p.name, p.offset_days, p.duration_days, p.seat_share)
        for p in template.phases.order_by("order")
    ] == [
        (1, "Phase 1", 7, 26, Decimal("0.100000")),
        (2, "Phase 2", 42, 40, Decimal("0.600000")),
        (3, "Phase 3", 91, 1, Decimal("0.300000")),
    ]
    assert [(m.name, m.offset_days) for m in template.milestones.all()] == [
        ("Design sign-off", 0),
        ("Decommission", 119),
    ]


@pytest.mark.parametrize("who", ["cio", "procurement"])
def test_only_cabinet_office_saves_templates(who, proven_plan, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.rollout_template_create_from_plan(actor=actor, plan=proven_plan, name="Mine")
    assert not RolloutTemplate.objects.exists()


def test_template_names_are_unique_whatever_the_case(template, proven_plan, approver):
    with pytest.raises(ValidationError) as error:
        services.rollout_template_create_from_plan(
            actor=approver, plan=proven_plan, name="PROVEN ROLLOUT"
        )
    assert error.value.message_dict == {
        "name": ["A template called “PROVEN ROLLOUT” already exists"]
    }
    assert RolloutTemplate.objects.count() == 1


def test_a_plan_without_waves_cannot_become_a_template(make_contract, approver):
    plan = factories.RolloutPlanFactory(contract=make_contract())
    with pytest.raises(ValidationError) as error:
        services.rollout_template_create_from_plan(actor=approver, plan=plan, name="Empty")
    assert "plan" in error.value.message_dict
    assert not RolloutTemplate.objects.exists()


# --- plans from templates -------------------------------------------------------------


def test_a_cio_lays_out_their_plan_from_a_template(template, make_contract, cio):
    contract = make_contract(organisation=cio.organisation, seats=777, reference="CON-2027-0001")
    plan = services.rollout_plan_create_from_template(
        actor=cio,
        contract=contract,
        template=template,
        start_date=D(2027, 6, 7),
        seats=777,
        today=TODAY,
    )
    assert plan.template == template
    assert plan.name == f"{cio.organisation.name} rollout (CON-2027-0001)"
    # 77.7, 466.2, 233.1 → 77, 466, 233 = 776; the seat left over goes to .7 (phase 1).
    assert [
        (w.order, w.name, w.seats, w.planned_start, w.planned_end, w.status)
        for w in plan.waves.order_by("order")
    ] == [
        (1, "Phase 1", 78, D(2027, 6, 14), D(2027, 7, 9), "planned"),
        (2, "Phase 2", 466, D(2027, 7, 19), D(2027, 8, 27), "planned"),
        (3, "Phase 3", 233, D(2027, 9, 6), D(2027, 9, 6), "planned"),
    ]
    assert [(m.name, m.due_on, m.completed_on) for m in plan.milestones.all()] == [
        ("Design sign-off", D(2027, 6, 7), None),
        ("Decommission", D(2027, 10, 4), None),
    ]


def test_cabinet_office_may_lay_out_a_plan_for_a_member(template, make_contract, approver):
    contract = make_contract(seats=500)
    plan = services.rollout_plan_create_from_template(
        actor=approver,
        contract=contract,
        template=template,
        start_date=TODAY,
        seats=500,
        today=TODAY,
    )
    assert sum(plan.waves.values_list("seats", flat=True)) == 500


@pytest.mark.parametrize(
    ("seats", "start", "field", "message"),
    [
        (0, D(2027, 1, 4), "seats", "Enter a number of seats greater than 0"),
        (-5, D(2027, 1, 4), "seats", "Enter a number of seats greater than 0"),
        (1001, D(2027, 1, 4), "seats", "CON-T has 1,000 seats: enter 1,000 or fewer"),
        (
            2,
            D(2027, 1, 4),
            "seats",
            "Enter at least 3 seats: the template has 3 waves and each needs at least one seat",
        ),
        (
            100,
            D(2026, 10, 23),
            "start_date",
            "The start date must be no more than 30 days ago (on or after 24 October 2026)",
        ),
    ],
)
def test_bad_template_input_is_refused_and_nothing_is_made(
    template, make_contract, cio, seats, start, field, message
):
    contract = make_contract(organisation=cio.organisation, seats=1000, reference="CON-T")
    with pytest.raises(ValidationError) as error:
        services.rollout_plan_create_from_template(
            actor=cio,
            contract=contract,
            template=template,
            start_date=start,
            seats=seats,
            today=TODAY,
        )
    assert error.value.message_dict == {field: [message]}
    assert not RolloutPlan.objects.filter(contract=contract).exists()
    assert not Wave.objects.filter(plan__contract=contract).exists()


def test_a_start_exactly_30_days_ago_is_accepted(template, make_contract, cio):
    contract = make_contract(organisation=cio.organisation)
    plan = services.rollout_plan_create_from_template(
        actor=cio,
        contract=contract,
        template=template,
        start_date=D(2026, 10, 24),
        seats=10,
        today=TODAY,
    )
    assert plan.waves.order_by("order").first().planned_start == D(2026, 10, 31)


def test_a_contract_has_one_plan(template, proven_plan, approver):
    with pytest.raises(ValidationError) as error:
        services.rollout_plan_create_from_template(
            actor=approver,
            contract=proven_plan.contract,
            template=template,
            start_date=TODAY,
            seats=10,
            today=TODAY,
        )
    assert error.value.message_dict["contract"] == [
        f"{proven_plan.contract.reference} already has a rollout plan"
    ]
    assert RolloutPlan.objects.count() == 1


def test_an_ended_contract_gets_no_plan(template, make_contract, approver):
    contract = make_contract(status="ended", ended_on=D(2026, 11, 1))
    with pytest.raises(ValidationError) as error:
        services.rollout_plan_create_from_template(
            actor=approver,
            contract=contract,
            template=template,
            start_date=TODAY,
            seats=10,
            today=TODAY,
        )
    assert error.value.message_dict == {
        "contract": ["Only an active contract can have a rollout plan"]
    }


@pytest.mark.parametrize("who", ["other_cio", "procurement"])
def test_others_cannot_plan_an_organisations_rollout(template, make_contract, cio, who, request):
    actor = factories.CIOFactory() if who == "other_cio" else request.getfixturevalue(who)
    contract = make_contract(organisation=cio.organisation)
    with pytest.raises(PermissionDenied):
        services.rollout_plan_create_from_template(
            actor=actor,
            contract=contract,
            template=template,
            start_date=TODAY,
            seats=10,
            today=TODAY,
        )
    assert not RolloutPlan.objects.filter(contract=contract).exists()


def test_seats_of_a_contract_without_core_service_are_its_largest_line(
    template, make_contract, cio
):
    contract = make_contract(organisation=cio.organisation, seats=1200, core=False)
    with pytest.raises(ValidationError) as error:
        services.rollout_plan_create_from_template(
            actor=cio,
            contract=contract,
            template=template,
            start_date=TODAY,
            seats=1201,
            today=TODAY,
        )
    assert "has 1,200 seats" in error.value.message_dict["seats"][0]


def test_the_list_and_the_services_agree_on_a_contracts_seats(make_contract, cio):
    for seats, core in [(1200, False), (700, True)]:
        contract = make_contract(organisation=cio.organisation, seats=seats, core=core)
        plan = factories.RolloutPlanFactory(contract=contract)
        assert selectors.contract_seats(contract=contract) == seats
        assert selectors.plan_get(user=cio, pk=plan.pk).seats_contracted == seats


# --- waves ----------------------------------------------------------------------------


@pytest.fixture
def plan(make_contract, make_plan, cio):
    """1,000 contracted seats; waves of 100 and 200 from 4 January 2027."""
    return make_plan(make_contract(organisation=cio.organisation, seats=1000, reference="CON-W"))


def change(wave, **fields):
    return services.WaveChange(**{**services.WaveChange.of(wave).__dict__, **fields})


def test_the_owning_cio_marks_a_wave_done(plan, cio):
    wave = plan.waves.get(order=1)
    services.wave_update(
        actor=cio,
        wave=wave,
        change=change(
            wave,
            status="done",
            actual_start=D(2026, 11, 2),
            actual_end=D(2026, 11, 20),
            seats=150,
            site=" Leeds ",
        ),
        today=TODAY,
    )
    wave.refresh_from_db()
    assert (wave.status, wave.actual_start, wave.actual_end, wave.seats, wave.site) == (
        "done",
        D(2026, 11, 2),
        D(2026, 11, 20),
        150,
        "Leeds",
    )


def test_cabinet_office_may_edit_a_members_wave(plan, approver):
    wave = plan.waves.get(order=2)
    services.wave_update(
        actor=approver,
        wave=wave,
        change=change(wave, status="blocked", blocked_reason="No building access"),
        today=TODAY,
    )
    wave.refresh_from_db()
    assert (wave.status, wave.blocked_reason) == ("blocked", "No building access")


def test_unblocking_a_wave_forgets_the_reason(plan, cio):
    wave = plan.waves.get(order=1)
    services.wave_update(
        actor=cio,
        wave=wave,
        change=change(wave, status="blocked", blocked_reason="Kit"),
        today=TODAY,
    )
    services.wave_update(
        actor=cio,
        wave=wave,
        change=change(wave, status="planned", blocked_reason="Kit"),
        today=TODAY,
    )
    wave.refresh_from_db()
    assert (wave.status, wave.blocked_reason) == ("planned", "")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"planned_end": D(2027, 1, 3)},
            {
                "planned_end": [
                    "The planned end date must be the same as or after the planned start date"
                ]
            },
        ),
        (
            {"seats": 801},
            {"seats": ["CON-W has 1,000 seats and the other waves use 200: enter 800 or fewer"]},
        ),
        ({"seats": 0}, {"seats": ["Enter a number of seats greater than 0"]}),
        ({"name": "  "}, {"name": ["Enter a name for the wave"]}),
        (
            {"status": "done"},
            {
                "actual_end": [
                    "Enter the date the wave went live (its actual end date) to mark it done"
                ]
            },
        ),
        (
            {"status": "blocked", "blocked_reason": " "},
            {"blocked_reason": ["Enter why the wave is blocked"]},
        ),
        (
            {"actual_start": D(2026, 11, 10), "actual_end": D(2026, 11, 9), "status": "done"},
            {
                "actual_end": [
                    "The actual end date must be the same as or after the actual start date"
                ]
            },
        ),
        (
            {"actual_end": D(2026, 11, 9), "status": "done"},
            {"actual_start": ["Enter the actual start date, or remove the actual end date"]},
        ),
        (
            {"actual_start": D(2026, 11, 2), "actual_end": D(2026, 11, 9), "status": "in_progress"},
            {"actual_end": ["Remove the actual end date, or mark the wave as done"]},
        ),
        (
            {"actual_start": D(2026, 11, 24)},
            {"actual_start": ["The actual start date must be today or in the past"]},
        ),
        ({"status": "finished"}, {"status": ["Choose a status"]}),
    ],
)
def test_bad_wave_edits_are_refused_and_nothing_changes(plan, cio, fields, errors):
    before = snapshot(plan)
    wave = plan.waves.get(order=1)
    with pytest.raises(ValidationError) as error:
        services.wave_update(actor=cio, wave=wave, change=change(wave, **fields), today=TODAY)
    assert error.value.message_dict == errors
    assert snapshot(plan) == before


def test_seats_up_to_the_contract_exactly_are_accepted(plan, cio):
    wave = plan.waves.get(order=1)
    services.wave_update(actor=cio, wave=wave, change=change(wave, seats=800), today=TODAY)
    assert sum(plan.waves.values_list("seats", flat=True)) == 1000


def test_another_organisations_cio_cannot_see_the_wave(plan):
    before = snapshot(plan)
    wave = plan.waves.get(order=1)
    with pytest.raises(Http404):
        services.wave_update(
            actor=factories.CIOFactory(), wave=wave, change=change(wave, seats=1), today=TODAY
        )
    assert snapshot(plan) == before


def test_procurement_may_see_but_not_edit_a_wave(plan, procurement):
    before = snapshot(plan)
    wave = plan.waves.get(order=1)
    with pytest.raises(PermissionDenied):
        services.wave_update(
            actor=procurement, wave=wave, change=change(wave, seats=1), today=TODAY
        )
    assert snapshot(plan) == before


def test_milestones_are_untouched_by_wave_edits(plan, cio):
    factories.MilestoneFactory(plan=plan, name="Pilot", due_on=D(2027, 2, 1))
    wave = plan.waves.get(order=1)
    services.wave_update(actor=cio, wave=wave, change=change(wave, seats=10), today=TODAY)
    assert list(Milestone.objects.filter(plan=plan).values_list("name", "due_on")) == [
        ("Pilot", D(2027, 2, 1))
    ]
