"""The rollout demo data: the Cabinet Office plan, its template and DIUS's plan, loaded once."""

import datetime as dt

import pytest

from demo.rollout import load_rollout_demo
from rollout.models import Milestone, RolloutPlan, RolloutTemplate, TemplatePhase, Wave

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return [
        m.objects.count() for m in (RolloutPlan, Wave, Milestone, RolloutTemplate, TemplatePhase)
    ]


def test_the_demo_tells_the_rollout_story(demo):
    cabinet_office = RolloutPlan.objects.get(contract__reference="CON-2026-0001")
    assert cabinet_office.waves.first().planned_start == D(2026, 4, 13)
    assert sum(w.seats for w in cabinet_office.waves.all()) == 2500
    assert [w.status for w in cabinet_office.waves.all()] == ["done"] * 4 + ["in_progress"]
    assert all(w.actual_end for w in cabinet_office.waves.all() if w.status == "done")
    assert list(cabinet_office.milestones.values_list("name", flat=True)) == [
        "Design sign-off",
        "Pilot complete",
        "Migration complete",
        "Legacy desktops decommissioned",
    ]
    template = RolloutTemplate.objects.get(name="Cabinet Office proven rollout")
    assert template.source_plan == cabinet_office
    dius = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    assert dius.template == template
    assert dius.waves.first().planned_start == D(2027, 6, 7)
    assert sum(w.seats for w in dius.waves.all()) == 1000


def test_loading_again_changes_nothing(demo):
    before = counts()
    load_rollout_demo()
    assert counts() == before == [2, 10, 8, 1, 5]


def test_without_contracts_the_rollout_demo_loads_nothing(db):
    load_rollout_demo()
    assert counts() == [0, 0, 0, 0, 0]
