"""Rollout demo data: the Cabinet Office's spring rollout (proving the process), the template
saved from it, and DIUS's summer rollout laid out from that template.

Dates are fixed and tell the story as of late November 2026: the Cabinet Office's pilot and
first three waves are done, its regional wave is running late. Idempotent: each object is
found by its natural key (the contract's plan, the template's name) and made only if missing.
"""

from __future__ import annotations

import datetime as dt

from contracts.models import Contract, ContractKind
from rollout import services
from rollout.models import RolloutPlan, RolloutTemplate, WaveStatus

DEMO_TODAY = dt.date(2026, 11, 23)
TEMPLATE_NAME = "Cabinet Office proven rollout"

D = dt.date
# name, site, seats, planned start, planned end, actual start, actual end, status
CABINET_OFFICE_WAVES = [
    ("Pilot", "Digital team, 70 Whitehall", 100, D(2026, 4, 13), D(2026, 5, 8), D(2026, 4, 13), D(2026, 5, 8), WaveStatus.DONE),
    ("Wave 1", "70 Whitehall", 600, D(2026, 5, 18), D(2026, 6, 26), D(2026, 5, 18), D(2026, 7, 3), WaveStatus.DONE),
    ("Wave 2", "22 Whitehall and Admiralty Arch", 600, D(2026, 7, 6), D(2026, 8, 14), D(2026, 7, 6), D(2026, 8, 14), WaveStatus.DONE),
    ("Wave 3", "1 Horse Guards Road", 700, D(2026, 9, 7), D(2026, 10, 16), D(2026, 9, 7), D(2026, 10, 21), WaveStatus.DONE),
    ("Wave 4", "York and Glasgow", 500, D(2026, 10, 26), D(2026, 11, 20), D(2026, 10, 26), None, WaveStatus.IN_PROGRESS),
]  # fmt: skip

# name, due, completed
CABINET_OFFICE_MILESTONES = [
    ("Design sign-off", D(2026, 4, 13), D(2026, 4, 10)),
    ("Pilot complete", D(2026, 5, 8), D(2026, 5, 8)),
    ("Migration complete", D(2026, 11, 20), None),
    ("Legacy desktops decommissioned", D(2026, 12, 18), None),
]


def load_cabinet_office_plan() -> RolloutPlan | None:
    contract = Contract.objects.filter(organisation__slug="cabinet-office").first()
    if contract is None:
        return None
    plan = RolloutPlan.objects.filter(contract=contract).first()
    if plan is not None:
        return plan
    return services.rollout_plan_record(
        contract=contract,
        name="Cabinet Office desktop rollout",
        waves=[services.WaveChange(*wave, blocked_reason="") for wave in CABINET_OFFICE_WAVES],
        milestones=[services.RecordedMilestone(*mark) for mark in CABINET_OFFICE_MILESTONES],
    )


def load_rollout_demo() -> None:
    source = load_cabinet_office_plan()
    template = RolloutTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is None and source is not None:
        template = services.rollout_template_create_from_plan(
            actor=None,
            plan=source,
            name=TEMPLATE_NAME,
            description=(
                "The Cabinet Office's 2026 rollout of 2,500 desktops: a pilot of 4% of seats, "
                "then four waves of about six weeks, a site at a time."
            ),
        )
    dius = Contract.objects.filter(organisation__slug="dius", kind=ContractKind.PLATFORM).first()
    if template is None or dius is None or RolloutPlan.objects.filter(contract=dius).exists():
        return
    services.rollout_plan_create_from_template(
        actor=None,
        contract=dius,
        template=template,
        start_date=D(2027, 6, 7),
        seats=1000,
        name="DIUS full platform rollout",
        today=DEMO_TODAY,
    )
