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
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from contracts import selectors as contract_selectors
from core.errors import Conflict
from core.forms import add_service_errors
from core.pagecache import cached_page
from core.pagination import govuk_pagination

from .. import selectors, services
from ..forms import ApproveForm, QueueFilterForm, RejectForm, WithdrawForm
from ..models import ApplicationStatus, ChangeRequest, ChangeStatus, SignUpApplication

Subject = SignUpApplication | ChangeRequest

QUEUE_PAGE_SIZE = 25


@login_required
@require_GET
@cached_page(permissions.page_identity)
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Procurement officers read the same queue, with nothing to decide.
    if permissions.is_approver(user) or permissions.is_procurement(user):
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
            "platform": contract_selectors.organisation_platform_contract(
                organisation_id=user.organisation_id
            ),
            "change_requests": list(selectors.change_request_list(user=user)),
        },
    )


def _approver_queue(request: HttpRequest) -> HttpResponse:
    """Sign-ups and change requests in one queue, oldest first, filtered by status and type."""
    form = QueueFilterForm(request.GET or None)
    status, kind = ApplicationStatus.SUBMITTED.value, selectors.RequestType.ALL.value
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or status
        kind = form.cleaned_data["type"]
    elif not form.is_bound:
        form = QueueFilterForm(initial={"status": status})
    page = Paginator(
        selectors.queue_keys(user=request.user, status=status, kind=kind), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/application_queue.html",
        {
            "form": form,
            "status": ApplicationStatus(status),
            "kind": selectors.RequestType(kind),
            "page": page,
            "rows": selectors.queue_rows(list(page), user=request.user),
            "lead_time": selectors.onboarding_lead_time_summary(),
            "pagination": govuk_pagination(page, {"status": status, "type": kind}),
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
        **next_item_context(user, application),
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


def next_item_context(user, subject: Subject) -> dict:
    """The next sign-up or change request an approver may decide, for "Next" on a page."""
    item = selectors.next_to_decide(user=user, after=subject)
    if item is None:
        return {"next_item": None}
    return {"next_item": item, "next_item_url": _detail_url(item), "next_item_noun": _noun(item)}


def _detail_url(subject: SignUpApplication | ChangeRequest) -> str:
    if isinstance(subject, ChangeRequest):
        return reverse("applications:change-detail", args=[subject.reference])
    return reverse("applications:application-detail", args=[subject.reference])


def _noun(subject: SignUpApplication | ChangeRequest) -> str:
    return "change request" if isinstance(subject, ChangeRequest) else "application"


def refused_unless_waiting(request: HttpRequest, subject: Subject, *, becoming: str):
    """None while `subject` (a sign-up or a change request) waits for a decision; otherwise a
    redirect to its page with a message saying why it cannot be `becoming`."""
    waiting = (
        ChangeStatus.SUBMITTED
        if isinstance(subject, ChangeRequest)
        else ApplicationStatus.SUBMITTED
    )
    if subject.status == waiting:
        return None
    messages.error(
        request,
        f"{_noun(subject).capitalize()} {subject.reference} is "
        f"{subject.get_status_display().lower()}, so it cannot be {becoming}.",
    )
    return redirect(_detail_url(subject))


def transition(
    request: HttpRequest,
    subject: Subject,
    act: Callable[[Subject], object],
    success: str,
    *,
    failure_template: str | None = None,
    form=None,
    extra: dict | None = None,
) -> HttpResponse:
    """Run a service for a page (an application's or a change request's move); a refusal
    is shown on the page it came from, and nothing has changed."""
    try:
        act(subject)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(subject))
    except ValidationError as exc:
        if form is not None and failure_template is not None:
            add_service_errors(form, exc)
            return render(
                request, failure_template, _reason_context(subject, form, extra), status=400
            )
        raise
    messages.success(request, success.format(reference=subject.reference))
    return redirect(_detail_url(subject))


def _reason_context(subject: Subject, form, extra: dict | None) -> dict:
    return {
        "subject": subject,
        "application": subject,
        "noun": _noun(subject),
        "back_url": _detail_url(subject),
        "form": form,
        **(extra or {}),
    }


def reason_page(
    request: HttpRequest,
    subject: Subject,
    form_class: type[WithdrawForm | RejectForm | ApproveForm],
    template: str,
    act: Callable[[Subject, str], object],
    success: str,
    *,
    extra: dict | None = None,
) -> HttpResponse:
    """A page asking for a reason (or an approver's note), then making the move with it."""
    form = form_class(request.POST if request.method == "POST" else None, noun=_noun(subject))
    if request.method == "POST" and form.is_valid():
        field = "note" if "note" in form.fields else "reason"
        return transition(
            request,
            subject,
            lambda s: act(s, form.cleaned_data[field]),
            success,
            failure_template=template,
            form=form,
            extra=extra,
        )
    return render(
        request,
        template,
        _reason_context(subject, form, extra),
        status=400 if form.errors else 200,
    )


def _for_action(request: HttpRequest, reference: str) -> SignUpApplication:
    return selectors.application_get(user=request.user, reference=reference, details=False)


@login_required
@require_POST
def application_submit(request: HttpRequest, reference: str) -> HttpResponse:
    return transition(
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
    return reason_page(
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
@require_http_methods(["GET", "POST"])
def application_approve(request: HttpRequest, reference: str) -> HttpResponse:
    """Approval goes through a confirmation page showing what it does to every member's
    price, with an optional note for the audit trail and the applicant."""
    application = selectors.application_get(user=request.user, reference=reference)
    if not permissions.can_decide_application(request.user, application):
        raise PermissionDenied("You cannot decide this application.")
    if (closed := refused_unless_waiting(request, application, becoming="approved")) is not None:
        return closed
    return reason_page(
        request,
        application,
        ApproveForm,
        "applications/approve.html",
        lambda a, note: services.application_approve(application=a, actor=request.user, note=note),
        "Application {reference} approved. The contract is created and every member's "
        "price is being recalculated.",
        extra={
            "impact": selectors.application_pricing_impact(application),
            "lines": list(application.lines.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_reject(request: HttpRequest, reference: str) -> HttpResponse:
    application = _for_action(request, reference)
    if not permissions.can_decide_application(request.user, application):
        raise PermissionDenied("You cannot decide this application.")
    if (closed := refused_unless_waiting(request, application, becoming="rejected")) is not None:
        return closed
    return reason_page(
        request,
        application,
        RejectForm,
        "applications/reject.html",
        lambda a, reason: services.application_reject(
            application=a, actor=request.user, reason=reason
        ),
        "Application {reference} rejected. The applicant has been told why.",
    )
