"""Application pages shared by CIOs and Cabinet Office approvers: the list (a CIO's own
applications, or the approver's queue), one application, and the transitions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from core.forms import add_service_errors
from core.pagination import govuk_pagination

from .. import selectors, services
from ..forms import QueueFilterForm, RejectForm, WithdrawForm
from ..models import ApplicationStatus, SignUpApplication

QUEUE_PAGE_SIZE = 25


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if permissions.is_approver(user):
        return _approver_queue(request)
    if not permissions.is_cio(user):
        raise PermissionDenied("Only CIOs and Cabinet Office approvers work with applications.")
    applications = list(selectors.application_list(user=user))
    return render(
        request,
        "applications/application_list.html",
        {
            "applications": applications,
            "open_application": next(
                (a for a in applications if a.status in selectors.OPEN_STATUSES), None
            ),
        },
    )


def _approver_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    status = ApplicationStatus.SUBMITTED.value
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        status = form.cleaned_data["status"]
    elif not form.is_bound:
        form = QueueFilterForm(initial={"status": status})
    page = Paginator(
        selectors.application_list(user=request.user, status=status), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [
        (
            application,
            selectors.age_in_days(application),
            max((line.seats for line in application.lines.all()), default=0),
        )
        for application in page
    ]
    return render(
        request,
        "applications/application_queue.html",
        {
            "form": form,
            "status": ApplicationStatus(status),
            "page": page,
            "rows": rows,
            "lead_time": selectors.onboarding_lead_time_summary(),
            "pagination": govuk_pagination(page, {"status": status}),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, reference=reference)
    return _render_detail(request, application)


def _render_detail(request: HttpRequest, application: SignUpApplication) -> HttpResponse:
    user = request.user
    deciding = permissions.is_approver(user)
    actions = selectors.application_actions(user=user, application=application)
    context = {
        "application": application,
        "organisation": application.organisation,
        "lines": list(application.lines.all()),
        "events": list(application.events.all()),
        "can_decide": selectors.ApplicationMove.APPROVE in actions,
        # An approver shown a submitted application they may not decide: their own
        # organisation's.
        "own_organisation": deciding
        and application.status == ApplicationStatus.SUBMITTED
        and selectors.ApplicationMove.APPROVE not in actions,
        "can_withdraw": selectors.ApplicationMove.WITHDRAW in actions,
        "can_submit": selectors.ApplicationMove.SUBMIT in actions,
        # Once decided the figures would count the organisation's seats twice (approved) or
        # describe what did not happen (rejected, withdrawn).
        "impact": selectors.application_pricing_impact(application)
        if application.status in selectors.OPEN_STATUSES
        else None,
        "next_application": selectors.application_next_to_decide(user=user, after=application)
        if deciding
        else None,
        "age_in_days": selectors.age_in_days(application),
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_GET
def application_confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, reference=reference)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("applications:application-detail", reference=reference)
    return render(request, "applications/confirmation.html", {"application": application})


def _transition(
    request: HttpRequest,
    application: SignUpApplication,
    act: Callable[[SignUpApplication], SignUpApplication],
    success: str,
    *,
    failure_template: str | None = None,
    form=None,
) -> HttpResponse:
    """Run a service for a page; a refusal is shown on the page it came from, and nothing
    has changed."""
    reference = application.reference
    try:
        application = act(application)
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("applications:application-detail", reference=reference)
    except ValidationError as exc:
        if form is not None and failure_template is not None:
            add_service_errors(form, exc)
            return render(
                request,
                failure_template,
                {"application": application, "form": form},
                status=400,
            )
        raise
    messages.success(request, success.format(reference=reference))
    return redirect("applications:application-detail", reference=reference)


def _reason_page(
    request: HttpRequest,
    application: SignUpApplication,
    form_class: type[WithdrawForm | RejectForm],
    template: str,
    act: Callable[[SignUpApplication, str], SignUpApplication],
    success: str,
) -> HttpResponse:
    """A page asking for a reason, then making the transition with it."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _transition(
            request,
            application,
            lambda a: act(a, form.cleaned_data["reason"]),
            success,
            failure_template=template,
            form=form,
        )
    return render(
        request,
        template,
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


def _for_action(request: HttpRequest, reference: str) -> SignUpApplication:
    return selectors.application_get(user=request.user, reference=reference, details=False)


@login_required
@require_POST
def application_submit(request: HttpRequest, reference: str) -> HttpResponse:
    return _transition(
        request,
        _for_action(request, reference),
        lambda a: services.application_submit(application=a, actor=request.user),
        "Application {reference} submitted. The Cabinet Office will review it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = _for_action(request, reference)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied("Only the applying organisation's CIO can withdraw its application.")
    return _reason_page(
        request,
        application,
        WithdrawForm,
        "applications/withdraw.html",
        lambda a, reason: services.application_withdraw(
            application=a, actor=request.user, reason=reason
        ),
        "Application {reference} withdrawn.",
    )


@login_required
@require_POST
def application_approve(request: HttpRequest, reference: str) -> HttpResponse:
    return _transition(
        request,
        _for_action(request, reference),
        lambda a: services.application_approve(application=a, actor=request.user),
        "Application {reference} approved. The contract is created and every member's "
        "price is being recalculated.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_reject(request: HttpRequest, reference: str) -> HttpResponse:
    application = _for_action(request, reference)
    if not permissions.can_decide_application(request.user, application):
        raise PermissionDenied("You cannot decide this application.")
    if application.status != ApplicationStatus.SUBMITTED:
        messages.error(
            request,
            f"Application {reference} is {application.get_status_display().lower()}, "
            "so it cannot be rejected.",
        )
        return redirect("applications:application-detail", reference=reference)
    return _reason_page(
        request,
        application,
        RejectForm,
        "applications/reject.html",
        lambda a, reason: services.application_reject(
            application=a, actor=request.user, reason=reason
        ),
        "Application {reference} rejected. The applicant has been told why.",
    )
