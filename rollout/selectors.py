"""Reads of rollout plans, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import permissions
from catalogue.models import ServiceKind
from contracts import values
from contracts.models import Contract, ContractLine, ContractStatus
from contracts.selectors import TermEnd

from . import schedule
from .models import Milestone, RolloutPlan, RolloutTemplate, TemplatePhase, Wave, WaveStatus

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def contract_seats_expression(contract_field: str = "contract_id") -> Coalesce:
    """SQL for `schedule.contracted_seats` of the contract in `contract_field`: core lines'
    seats summed, else the largest line's seats."""
    lines = ContractLine.objects.filter(contract_id=OuterRef(contract_field)).order_by()
    core = (
        lines.filter(service__kind=ServiceKind.CORE)
        .values("contract_id")
        .annotate(seats=Sum("seats"))
        .values("seats")
    )
    largest = lines.order_by("-seats").values("seats")[:1]
    return Coalesce(
        Subquery(core, output_field=IntegerField()),
        Subquery(largest, output_field=IntegerField()),
        Value(0),
    )


def plan_window(contract: Contract) -> schedule.DateWindow:
    """The days the dates of `contract`'s rollout may fall on (`schedule.term_window`)."""
    return _term_window(contract.start_date, contract.term_years)


@functools.lru_cache(maxsize=4096)
def _term_window(start_date: dt.date, term_years: int) -> schedule.DateWindow:
    """Pure, and asked for once per wave across every plan (`seats_going_live_by_month`):
    contracts starting on the same day for the same term share one answer."""
    try:
        end = values.end_date(start_date, term_years)
    except (ValueError, OverflowError):  # a term running past the year 9999
        end = dt.date.max
    return schedule.term_window(start_date, end)


def contract_seats(*, contract: Contract) -> int:
    """The seats a contract's rollout may plan for (see `schedule.contracted_seats`)."""
    lines = contract.lines.values_list("service__kind", "seats")
    return schedule.contracted_seats(
        schedule.ContractLineSeats(is_core=kind == ServiceKind.CORE, seats=seats)
        for kind, seats in lines
    )


def plan_queryset(*, milestones: bool = True) -> QuerySet[RolloutPlan]:
    """Plans with their contract, organisation, template, waves and (unless not wanted)
    milestones, and `seats_contracted`: three queries however many plans and waves."""
    queryset = (
        RolloutPlan.objects.select_related("contract__organisation", "template")
        .annotate(seats_contracted=contract_seats_expression())
        .prefetch_related(Prefetch("waves", queryset=Wave.objects.order_by("order")))
    )
    if milestones:
        queryset = queryset.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk"))
        )
    return queryset


def plan_list(*, user: AnyUser, milestones: bool = True) -> QuerySet[RolloutPlan]:
    return permissions.scope_rollouts(user, plan_queryset(milestones=milestones)).order_by(
        "contract__start_date", "pk"
    )


def plan_get(*, user: AnyUser, pk: int) -> RolloutPlan:
    """One plan the user may see; 404 otherwise, so other organisations' plans stay unseen."""
    return get_object_or_404(permissions.scope_rollouts(user, plan_queryset()), pk=pk)


def wave_get(*, plan: RolloutPlan, pk: int) -> Wave:
    """A wave of an already-scoped plan (from its prefetched waves: no query)."""
    for wave in plan.waves.all():
        if wave.pk == pk:
            return wave
    raise Wave.DoesNotExist


def wave_facts(wave: Wave) -> schedule.WaveFacts:
    return schedule.WaveFacts(
        seats=wave.seats,
        status=wave.status,
        planned_start=wave.planned_start,
        planned_end=wave.planned_end,
        actual_end=wave.actual_end,
    )


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    overdue: bool


@dataclass(frozen=True)
class PlanSummary:
    """A plan with its progress on `today`: what the list, detail page and API show."""

    plan: RolloutPlan
    progress: schedule.Progress
    waves: list[WaveRow]

    @property
    def overdue_waves(self) -> list[Wave]:
        return [row.wave for row in self.waves if row.overdue]


def plan_summary(plan: RolloutPlan, *, today: dt.date) -> PlanSummary:
    """`plan` comes from `plan_queryset` (waves prefetched, seats annotated)."""
    waves = list(plan.waves.all())
    facts = [wave_facts(w) for w in waves]
    return PlanSummary(
        plan=plan,
        progress=schedule.progress(facts, seats_contracted=plan.seats_contracted, today=today),
        waves=[
            WaveRow(wave=w, overdue=schedule.is_overdue(f, today=today))
            for w, f in zip(waves, facts, strict=True)
        ],
    )


@dataclass(frozen=True)
class GoingLive:
    totals: list[schedule.MonthTotal]
    seats_left_out: int  # of waves going live outside their contract's `plan_window`


def seats_going_live_by_month(*, user: AnyUser) -> GoingLive:
    """Across every plan the user may see: one query. A wave dated outside its contract's
    window (stored before the services refused such dates) is left out and counted, so one
    bad row cannot stretch or break the chart everyone sees. On PostgreSQL the database sums
    the seats (`_going_live_in_sql`); elsewhere each wave is read (`_going_live_in_python`)."""
    plans = permissions.scope_rollouts(user, RolloutPlan.objects.all())
    waves = Wave.objects.filter(plan__in=plans)
    if connection.vendor == "postgresql":
        return _going_live_in_sql(waves)
    return _going_live_in_python(waves)


def _going_live_in_python(waves: QuerySet[Wave]) -> GoingLive:
    rows = waves.values_list(
        "seats",
        "status",
        "planned_start",
        "planned_end",
        "actual_end",
        "plan__contract__start_date",
        "plan__contract__term_years",
    )
    kept, left_out = [], 0
    for *fields, start_date, term_years in rows:
        wave = schedule.WaveFacts(*fields)
        if schedule.going_live_on(wave) in _term_window(start_date, term_years):
            kept.append(wave)
        else:
            left_out += wave.seats
    return GoingLive(schedule.seats_going_live_by_month(kept), left_out)


def _going_live_in_sql(waves: QuerySet[Wave]) -> GoingLive:
    """`seats_going_live_by_month` with the database summing seats by month, live or planned,
    and inside or outside the contract's `plan_window`: a few rows a month, however many waves.
    The same rules as `schedule.going_live_on` and `schedule.term_window`, in SQL."""
    live = Q(status=schedule.DONE, actual_end__isnull=False)
    start = F("plan__contract__start_date")
    rows = (
        waves.annotate(
            day=Case(When(live, then=F("actual_end")), default=F("planned_end")),
            live=Case(When(live, then=Value(True)), default=Value(False)),
            earliest=ExpressionWrapper(
                start - dt.timedelta(days=schedule.LEAD_IN_DAYS), output_field=DateField()
            ),
            term_end=TermEnd(start, F("plan__contract__term_years")),
        )
        .annotate(
            inside=Case(
                When(day__gte=F("earliest"), day__lt=F("term_end"), then=Value(True)),
                default=Value(False),
            )
        )
        .values("live", "inside", month=TruncMonth("day", output_field=DateField()))
        .annotate(seats=Sum("seats"))
        .order_by()
    )
    totals: dict[bool, dict[dt.date, int]] = {True: {}, False: {}}
    left_out = 0
    for row in rows:
        if row["inside"]:
            totals[row["live"]][row["month"]] = row["seats"]
        else:
            left_out += row["seats"]
    return GoingLive(schedule.months_filled(totals[True], totals[False]), left_out)


def contracts_open_for_planning(*, user: AnyUser) -> QuerySet[Contract]:
    """Active contracts the user may plan a rollout for that have no plan yet, with
    `seats_contracted`."""
    contracts = permissions.scope_contracts(user, Contract.objects.all())
    if not permissions.is_cabinet_office(user):
        if not permissions.is_cio(user):
            return contracts.none()
        contracts = contracts.filter(organisation_id=user.organisation_id)
    return (
        contracts.filter(status=ContractStatus.ACTIVE)
        .exclude(Exists(RolloutPlan.objects.filter(contract_id=OuterRef("pk"))))
        .select_related("organisation")
        .annotate(seats_contracted=contract_seats_expression("pk"))
        .order_by("start_date", "reference")
    )


def template_list() -> QuerySet[RolloutTemplate]:
    """Templates with their phases and milestones: three queries however many."""
    return RolloutTemplate.objects.prefetch_related(
        Prefetch("phases", queryset=TemplatePhase.objects.order_by("order")), "milestones"
    ).order_by("name")


# --- a contract's rollout, for the contract's own pages --------------------------------


@dataclass(frozen=True)
class RolloutStatus:
    plan: RolloutPlan | None
    summary: str


def contract_rollout_status(contract: Contract) -> RolloutStatus:
    """The contract's rollout in a sentence, from `plan_summary`, so it says
    what /rollout/ says: seats live of seats contracted, and waves overdue today."""
    plan = plan_queryset(milestones=False).filter(contract=contract).first()
    if plan is None:
        return RolloutStatus(plan=None, summary="No rollout plan yet")
    summary = plan_summary(plan, today=timezone.localdate())
    if not summary.waves:
        return RolloutStatus(plan=plan, summary="Rollout plan started; no waves scheduled yet")
    waves = Counter(row.wave.status for row in summary.waves)
    parts = [f"{waves[WaveStatus.DONE]} of {len(summary.waves)} waves done"]
    for status in (WaveStatus.IN_PROGRESS, WaveStatus.BLOCKED):
        if waves[status]:
            parts.append(f"{waves[status]} {status.label.lower()}")
    progress = summary.progress
    sentence = (
        f"{', '.join(parts)}; {progress.seats_live:,} of {progress.seats_contracted:,} seats live "
        f"({progress.percent}%)"
    )
    if progress.overdue_waves:
        overdue = progress.overdue_waves
        sentence += f"; {overdue} wave{'' if overdue == 1 else 's'} overdue"
    return RolloutStatus(plan=plan, summary=sentence)
