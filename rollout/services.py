"""Writes to rollout plans and templates.

Every write that changes a plan's seats holds a row lock on the plan's contract
(`SELECT ... FOR UPDATE`) while it checks that the waves' seats fit within the contract's
seats (see `schedule.contracted_seats`), so two edits at once cannot overfill a contract
between them. Errors are Django ValidationErrors keyed by field, so pages show them inline
and the API answers 400 with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from contracts.models import Contract, ContractStatus

from . import schedule, selectors
from .models import (
    Milestone,
    RolloutPlan,
    RolloutTemplate,
    TemplateMilestone,
    TemplatePhase,
    Wave,
    WaveStatus,
)

if TYPE_CHECKING:
    from accounts.models import User

# A plan may start a little in the past (teams often write the plan up after kicking off),
# but not so far back that its first waves would be overdue the moment it is created.
MAX_DAYS_IN_THE_PAST = 30
# The longest text each field takes: the model's column, or for free text a sane page's worth.
MAX_PLAN_NAME = 200
MAX_TEMPLATE_NAME = 200
MAX_WAVE_NAME = 120  # also a wave's site
MAX_REASON = 2000  # why a wave is blocked
MAX_DESCRIPTION = 2000  # of a template
# Every date of a plan falls within its contract's window (`selectors.plan_window`): from
# `schedule.LEAD_IN_DAYS` (90) before the contract starts to the last day of its term. A plan
# created from a template must also start no more than MAX_DAYS_IN_THE_PAST days ago, and late
# enough that its last wave or milestone still falls within the term.
DATE_FIELDS = {
    "planned_start": "planned start date",
    "planned_end": "planned end date",
    "actual_start": "actual start date",
    "actual_end": "actual end date",
}


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def date_outside_window(
    what: str, day: dt.date | None, window: schedule.DateWindow, *, reason: str
) -> str | None:
    """The GOV.UK message for a date outside `window` ("The planned start date must be between
    3 March 2027 and 31 May 2034, within CON-2026-0004's term"), or None when it is inside
    (or there is no date). The one place rollout dates are checked against their bounds."""
    if day is None or day in window:
        return None
    return f"The {what} must be between {_day(window.earliest)} and {_day(window.latest)}, {reason}"


def _dates_outside_term(contract: Contract, **dates: dt.date | None) -> dict[str, str]:
    window = selectors.plan_window(contract)
    reason = f"within {contract.reference}'s term"
    errors = {}
    for field, day in dates.items():
        if message := date_outside_window(DATE_FIELDS[field], day, window, reason=reason):
            errors[field] = message
    return errors


def _lock_contract(contract_id: int) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract_id)


# --- templates ------------------------------------------------------------------------


@transaction.atomic
def rollout_template_create_from_plan(
    *, actor: User | None, plan: RolloutPlan, name: str, description: str = ""
) -> RolloutTemplate:
    """Save a proven plan for reuse: each wave becomes a phase (offset and duration from the
    plan start, share of the plan's seats), each milestone a template milestone.

    `actor` None is the portal itself (the demo loader); people need `can_manage_templates`.
    """
    if actor is not None and not permissions.can_manage_templates(actor):
        raise PermissionDenied("Only Cabinet Office staff can save a plan as a template.")
    name, description = name.strip(), description.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the template"})
    errors = _too_long(name=(name, MAX_TEMPLATE_NAME, "The template name"))
    errors |= _too_long(description=(description, MAX_DESCRIPTION, "The description"))
    if errors:
        raise ValidationError(errors)
    if RolloutTemplate.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A template called “{name}” already exists"})
    waves = list(plan.waves.order_by("order"))
    if not waves:
        raise ValidationError({"plan": "This plan has no waves to make a template from"})
    milestones = list(plan.milestones.order_by("due_on", "pk"))
    phases, marks = schedule.phases_from_plan(
        [schedule.PlannedWave(w.name, w.seats, w.planned_start, w.planned_end) for w in waves],
        [schedule.PlannedMilestone(m.name, m.due_on) for m in milestones],
    )
    template = RolloutTemplate(name=name, description=description, source_plan=plan)
    template.full_clean()
    template.save()
    TemplatePhase.objects.bulk_create(
        TemplatePhase(
            template=template,
            order=order,
            name=phase.name,
            offset_days=phase.offset_days,
            duration_days=phase.duration_days,
            seat_share=phase.seat_share,
        )
        for order, phase in enumerate(phases, start=1)
    )
    TemplateMilestone.objects.bulk_create(
        TemplateMilestone(template=template, name=mark.name, offset_days=mark.offset_days)
        for mark in marks
    )
    return template


# --- plans ----------------------------------------------------------------------------


@transaction.atomic
def rollout_plan_create_from_template(
    *,
    actor: User | None,
    contract: Contract,
    template: RolloutTemplate,
    start_date: dt.date,
    seats: int,
    name: str = "",
    today: dt.date | None = None,
) -> RolloutPlan:
    """An organisation's plan for one of its contracts, laid out from a template: the
    template's phases shifted to `start_date` and its seat shares scaled to `seats`.

    `actor` None is the portal itself (the demo loader); people must be able to edit the
    contract's rollout (its organisation's CIO, or Cabinet Office staff). `today` defaults to
    the local date; the demo passes its own so that it loads the same plan whenever it runs.
    """
    today = today or timezone.localdate()
    contract = _lock_contract(contract.pk)
    if actor is not None and not permissions.can_edit_rollout(
        actor, RolloutPlan(contract=contract)
    ):
        raise PermissionDenied(
            "You can only plan the rollout of your own organisation's contracts."
        )
    phases = [
        schedule.Phase(p.name, p.offset_days, p.duration_days, p.seat_share)
        for p in template.phases.order_by("order")
    ]
    errors: dict[str, str] = {}
    if contract.status != ContractStatus.ACTIVE:
        errors["contract"] = "Only an active contract can have a rollout plan"
    elif RolloutPlan.objects.filter(contract=contract).exists():
        errors["contract"] = f"{contract.reference} already has a rollout plan"
    if not phases:
        errors["template"] = "This template has no phases"
    marks = [
        schedule.TemplateMilestoneSpec(m.name, m.offset_days)
        for m in template.milestones.order_by("offset_days", "pk")
    ]
    # The start is checked against the contract's term only for a contract that may have a plan.
    if "contract" not in errors and (
        message := _start_date_error(contract, start_date, phases, marks, today=today)
    ):
        errors["start_date"] = message
    errors |= _too_long(name=(name.strip(), MAX_PLAN_NAME, "The plan name"))
    available = selectors.contract_seats(contract=contract)
    if seats <= 0:
        errors["seats"] = "Enter a number of seats greater than 0"
    elif seats > available:
        errors["seats"] = (
            f"{contract.reference} has {available:,} seats: enter {available:,} or fewer"
        )
    elif phases and seats < len(phases):
        errors["seats"] = (
            f"Enter at least {len(phases)} seats: the template has {len(phases)} waves "
            "and each needs at least one seat"
        )
    if errors:
        raise ValidationError(errors)
    plan = RolloutPlan(
        contract=contract,
        template=template,
        name=name.strip() or f"{contract.organisation.display_name} rollout ({contract.reference})",
    )
    plan.full_clean()
    plan.save()
    Wave.objects.bulk_create(
        Wave(
            plan=plan,
            order=w.order,
            name=w.name,
            seats=w.seats,
            planned_start=w.planned_start,
            planned_end=w.planned_end,
        )
        for w in schedule.layout_waves(phases, start=start_date, seats=seats)
    )
    Milestone.objects.bulk_create(
        Milestone(plan=plan, name=m.name, due_on=m.due_on)
        for m in schedule.layout_milestones(marks, start=start_date)
    )
    return plan


def _start_date_error(
    contract: Contract,
    start_date: dt.date,
    phases: list[schedule.Phase],
    marks: list[schedule.TemplateMilestoneSpec],
    *,
    today: dt.date,
) -> str | None:
    """No more than MAX_DAYS_IN_THE_PAST days ago, and within the contract's window with room
    for the template's last wave or milestone."""
    window = selectors.plan_window(contract)
    days_ago = schedule.shift(today, days=-MAX_DAYS_IN_THE_PAST)
    if start_date < days_ago and days_ago >= window.earliest:
        return (
            f"The start date must be no more than {MAX_DAYS_IN_THE_PAST} days ago "
            f"(on or after {_day(days_ago)})"
        )
    span = schedule.template_span_days(phases, marks)
    starts = schedule.DateWindow(
        max(window.earliest, days_ago), schedule.shift(window.latest, days=-span)
    )
    if starts.earliest > starts.latest:
        return (
            f"The template's waves and milestones run for {span + 1:,} days: that no longer "
            f"fits within {contract.reference}'s term, which ends on {_day(window.latest)}"
        )
    return date_outside_window(
        "start date",
        start_date,
        starts,
        reason=f"so that every wave and milestone falls within {contract.reference}'s term",
    )


@dataclass(frozen=True)
class RecordedMilestone:
    name: str
    due_on: dt.date
    completed_on: dt.date | None


@transaction.atomic
def rollout_plan_record(
    *,
    contract: Contract,
    name: str,
    waves: list[WaveChange],
    milestones: list[RecordedMilestone],
) -> RolloutPlan:
    """A plan that already ran (or is running) elsewhere, recorded as it is: the portal itself
    is the actor (the demo loader). The waves' seats must fit the contract, as for any plan."""
    contract = _lock_contract(contract.pk)
    available = selectors.contract_seats(contract=contract)
    if sum(w.seats for w in waves) > available:
        raise ValidationError({"waves": f"{contract.reference} has {available:,} seats"})
    for spec in waves:
        dates = {field: getattr(spec, field) for field in DATE_FIELDS}
        if errors := _dates_outside_term(contract, **dates):
            raise ValidationError({"waves": f"{spec.name}: {' '.join(errors.values())}"})
    plan = RolloutPlan(contract=contract, name=name)
    plan.full_clean()
    plan.save()
    for order, spec in enumerate(waves, start=1):
        wave = Wave(plan=plan, order=order, **spec.__dict__)
        wave.full_clean()
        wave.save()
    Milestone.objects.bulk_create(Milestone(plan=plan, **m.__dict__) for m in milestones)
    return plan


# --- waves ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveChange:
    """Everything an edit may set on a wave (the API merges a partial update into it)."""

    name: str
    site: str
    seats: int
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    status: str
    blocked_reason: str

    @classmethod
    def of(cls, wave: Wave) -> WaveChange:
        return cls(**{field: getattr(wave, field) for field in cls.__dataclass_fields__})


def _too_long(**fields: tuple[str, int, str]) -> dict[str, str]:
    """`field=(text, limit, what)`: the GOV.UK message for each text longer than its limit."""
    return {
        field: f"{what} must be {limit:,} characters or fewer"
        for field, (text, limit, what) in fields.items()
        if len(text) > limit
    }


def _wave_errors(change: WaveChange, *, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = _too_long(
        name=(change.name.strip(), MAX_WAVE_NAME, "The wave name"),
        site=(change.site.strip(), MAX_WAVE_NAME, "The site or business unit"),
        blocked_reason=(change.blocked_reason.strip(), MAX_REASON, "The reason"),
    )
    if not change.name.strip():
        errors["name"] = "Enter a name for the wave"
    if change.seats <= 0:
        errors["seats"] = "Enter a number of seats greater than 0"
    if change.planned_end < change.planned_start:
        errors["planned_end"] = (
            "The planned end date must be the same as or after the planned start date"
        )
    if change.status not in WaveStatus.values:
        errors["status"] = "Choose a status"
    if change.actual_start and change.actual_start > today:
        errors["actual_start"] = "The actual start date must be today or in the past"
    if change.actual_end:
        if change.actual_end > today:
            errors["actual_end"] = "The actual end date must be today or in the past"
        elif not change.actual_start:
            errors["actual_start"] = "Enter the actual start date, or remove the actual end date"
        elif change.actual_end < change.actual_start:
            errors["actual_end"] = (
                "The actual end date must be the same as or after the actual start date"
            )
        elif change.status != WaveStatus.DONE:
            errors["actual_end"] = "Remove the actual end date, or mark the wave as done"
    if change.status == WaveStatus.DONE and not change.actual_end and "actual_end" not in errors:
        errors["actual_end"] = (
            "Enter the date the wave went live (its actual end date) to mark it done"
        )
    if change.status == WaveStatus.BLOCKED and not change.blocked_reason.strip():
        errors["blocked_reason"] = "Enter why the wave is blocked"
    return errors


@transaction.atomic
def wave_update(
    *, actor: User, wave: Wave, change: WaveChange, today: dt.date | None = None
) -> Wave:
    """Change a wave's seats, dates, status or blocked reason (owning CIO or Cabinet Office).

    The blocked reason is kept only while the wave is blocked: it says why it is blocked now.
    """
    today = today or timezone.localdate()
    plan = RolloutPlan.objects.select_related("contract").get(pk=wave.plan_id)
    if not permissions.can_see_rollout(actor, plan):
        raise Http404("No such wave.")
    if not permissions.can_edit_rollout(actor, plan):
        raise PermissionDenied("You cannot change this rollout plan.")
    contract = _lock_contract(plan.contract_id)
    wave = Wave.objects.select_for_update().get(pk=wave.pk, plan=plan)
    errors = _wave_errors(change, today=today)
    dates = {field: getattr(change, field) for field in DATE_FIELDS}
    for field, message in _dates_outside_term(contract, **dates).items():
        errors.setdefault(field, message)
    if "seats" not in errors:
        others = sum(plan.waves.exclude(pk=wave.pk).values_list("seats", flat=True))
        available = selectors.contract_seats(contract=contract)
        if others + change.seats > available:
            errors["seats"] = (
                f"{contract.reference} has {available:,} seats and the other waves use "
                f"{others:,}: enter {max(available - others, 0):,} or fewer"
            )
    if errors:
        raise ValidationError(errors)
    for field, value in change.__dict__.items():
        setattr(wave, field, value)
    wave.name, wave.site = change.name.strip(), change.site.strip()
    wave.blocked_reason = (
        change.blocked_reason.strip() if change.status == WaveStatus.BLOCKED else ""
    )
    wave.full_clean()
    wave.save()
    return wave
