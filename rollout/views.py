"""Rollout pages: plans with progress, a plan's timeline, editing waves, creating a plan from a
template, saving a plan as a template, and seats going live per month across government."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permissions
from core.forms import add_service_errors
from core.pagination import govuk_pagination

from . import charts, selectors, services
from .forms import PlanFromTemplateForm, SaveAsTemplateForm, WaveForm
from .models import Wave, WaveStatus

PLANS_PAGE_SIZE = 20


def _gantt_rows(summary: selectors.PlanSummary) -> list[charts.GanttRow]:
    return [
        charts.GanttRow(
            label=row.wave.name,
            status=row.wave.status,
            status_label=row.wave.get_status_display(),
            start=row.wave.planned_start,
            end=row.wave.planned_end,
            overdue=row.overdue,
            actual_start=row.wave.actual_start,
            actual_end=row.wave.actual_end,
        )
        for row in summary.waves
    ]


def _gantt_description(summary: selectors.PlanSummary, gantt: charts.Gantt | None, today) -> str:
    if gantt is None:
        return ""
    counts = Counter(row.wave.status for row in summary.waves)
    by_status = ", ".join(
        f"{counts[status]} {label.lower()}"
        for status, label in WaveStatus.choices
        if counts[status]
    )
    waves = len(summary.waves)
    text = (
        f"{waves} wave{'s' if waves != 1 else ''} between {gantt.first_day:%-d %B %Y} "
        f"and {gantt.last_day:%-d %B %Y}: {by_status}."
    )
    if summary.progress.overdue_waves:
        text += f" {summary.progress.overdue_waves} overdue."
    if gantt.today_x is not None:
        text += f" Today, {today:%-d %B %Y}, is marked with a dashed line."
    return text + " The table after the chart gives the same data."


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # A page at a time: Cabinet Office staff and procurement see every member's plans.
    page = Paginator(selectors.plan_list(user=request.user, milestones=False), PLANS_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    summaries = [selectors.plan_summary(p, today=today) for p in page.object_list]
    can_plan = (
        permissions.is_cio(request.user) or permissions.is_cabinet_office(request.user)
    ) and selectors.contracts_open_for_planning(user=request.user).exists()
    return render(
        request,
        "rollout/plan_list.html",
        {
            "summaries": summaries,
            "page": page,
            "pagination": govuk_pagination(page, {}),
            "today": today,
            "can_plan": can_plan,
            "sees_all": permissions.can_see_all_organisations_records(request.user),
            "is_cabinet_office": permissions.is_cabinet_office(request.user),
        },
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    plan = selectors.plan_get(user=request.user, pk=pk)
    summary = selectors.plan_summary(plan, today=today)
    gantt = charts.gantt(
        _gantt_rows(summary), today=today, window=selectors.plan_window(plan.contract)
    )
    return render(
        request,
        "rollout/plan_detail.html",
        {
            "plan": plan,
            "summary": summary,
            "gantt": gantt,
            "description": _gantt_description(summary, gantt, today),
            "today": today,
            "can_edit": permissions.can_edit_rollout(request.user, plan),
            "can_manage_templates": permissions.can_manage_templates(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wave_edit(request: HttpRequest, pk: int, wave_pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        wave = selectors.wave_get(plan=plan, pk=wave_pk)
    except Wave.DoesNotExist:
        raise Http404("No such wave.") from None
    if not permissions.can_edit_rollout(request.user, plan):
        raise PermissionDenied("You cannot change this rollout plan.")
    others = sum(w.seats for w in plan.waves.all() if w.pk != wave.pk)
    seats_hint = (
        f"{plan.contract.reference} has {plan.seats_contracted:,} seats; "
        f"the other waves use {others:,}"
    )
    if request.method == "POST":
        form = WaveForm(request.POST, seats_hint=seats_hint)
        if form.is_valid():
            change = services.WaveChange(**form.cleaned_data)
            try:
                services.wave_update(actor=request.user, wave=wave, change=change)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{change.name.strip()} updated")
                return redirect("rollout:detail", pk=plan.pk)
    else:
        form = WaveForm(initial=services.WaveChange.of(wave).__dict__, seats_hint=seats_hint)
    return render(
        request,
        "rollout/wave_form.html",
        {"plan": plan, "wave": wave, "form": form, "statuses": WaveStatus},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (permissions.is_cio(user) or permissions.is_cabinet_office(user)):
        raise PermissionDenied("Only CIOs plan rollouts.")
    contracts = selectors.contracts_open_for_planning(user=user)
    templates = selectors.template_list()
    form = PlanFromTemplateForm(request.POST or None, contracts=contracts, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.rollout_plan_create_from_template(
                actor=user,
                contract=data["contract"],
                template=data["template"],
                start_date=data["start_date"],
                seats=data["seats"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Rollout plan created for {plan.contract.reference}")
            return redirect("rollout:detail", pk=plan.pk)
    return render(
        request,
        "rollout/plan_create.html",
        {
            "form": form,
            "has_contracts": contracts.exists(),
            "has_templates": templates.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_save_as_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not permissions.can_manage_templates(request.user):
        raise PermissionDenied("Only Cabinet Office staff save templates.")
    form = SaveAsTemplateForm(request.POST or None, initial={"name": f"{plan.name} template"})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.rollout_template_create_from_plan(
                actor=request.user,
                plan=plan,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Template “{template.name}” saved")
            return redirect("rollout:detail", pk=plan.pk)
    return render(request, "rollout/template_form.html", {"plan": plan, "form": form})


@login_required
@require_GET
def going_live(request: HttpRequest) -> HttpResponse:
    if not permissions.is_cabinet_office(request.user):
        raise PermissionDenied("Only Cabinet Office staff see rollouts across government.")
    going_live = selectors.seats_going_live_by_month(user=request.user)
    totals = going_live.totals
    running = 0
    rows = []
    for total in totals:
        running += total.seats
        rows.append({"total": total, "cumulative": running})
    return render(
        request,
        "rollout/going_live.html",
        {
            "rows": rows,
            "chart": charts.month_chart(totals),
            "seats_live": sum(t.seats_live for t in totals),
            "seats_planned": sum(t.seats_planned for t in totals),
            "seats_left_out": going_live.seats_left_out,
        },
    )
