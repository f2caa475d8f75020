"""A member changing its contract: one question page (the seats each service should have),
"Check your answers" with what the change costs and does to every member's price, then
submit; and the change request's own page, where the CIO may withdraw it and an approver
decides it, as for sign-ups (applications/views/applications.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permissions
from catalogue.models import Service
from contracts import selectors as contract_selectors
from contracts.models import Contract, ContractStatus
from contracts.services import ContractNotActive
from core.forms import service_error_items

from .. import changes, selectors
from ..forms import SEATS_PREFIX, ApproveForm, ChangeSeatsForm, RejectForm, WithdrawForm
from ..models import ChangeRequest, ChangeStatus
from ..services import TransitionNotAllowed
from .applications import next_item_context, reason_page, refused_unless_waiting

SESSION_KEY = "applications.change_journey"


def _contract_for_change(request: HttpRequest, reference: str) -> Contract:
    """The CIO's own active contract (404 for one they cannot see, 403 for one they see but
    may not change, e.g. as procurement)."""
    contract = contract_selectors.contract_get(user=request.user, reference=reference)
    if not permissions.can_request_change(request.user, contract):
        raise PermissionDenied("Only the organisation's CIO can change this contract.")
    return contract


def _services_for(contract: Contract) -> list[Service]:
    """The services a change may name: every one offered, and any withdrawn one still on the
    contract (which can only be reduced or removed)."""
    on_contract = {line.service_id for line in contract.lines.all()}
    return list(
        Service.objects.filter(Q(active=True) | Q(pk__in=on_contract))
        .prefetch_related("bands")
        .order_by("kind", "name")
    )


def _answers(request: HttpRequest, contract: Contract) -> dict[str, int] | None:
    saved = request.session.get(SESSION_KEY)
    if not saved or saved.get("contract") != contract.reference:
        return None
    return saved["seats_after"]


def _seats_after(answers: dict[str, int], services: list[Service]) -> list[changes.SeatsAfter]:
    by_slug = {s.slug: s for s in services}
    return [
        changes.SeatsAfter(by_slug[slug], seats)
        for slug, seats in answers.items()
        if slug in by_slug
    ]


@login_required
@require_http_methods(["GET", "POST"])
def change_seats(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_for_change(request, reference)
    if contract.status != ContractStatus.ACTIVE:
        messages.error(request, f"Contract {reference} has ended, so it cannot change.")
        return redirect("contracts:detail", reference=reference)
    open_request = selectors.contract_open_change_request(contract_id=contract.pk)
    if open_request is not None:
        return redirect("applications:change-detail", reference=open_request.reference)
    services = _services_for(contract)
    current = {line.service.slug: line.seats for line in contract.lines.all()}
    answers = _answers(request, contract)
    initial = {SEATS_PREFIX + slug: seats for slug, seats in {**current, **(answers or {})}.items()}
    form = ChangeSeatsForm(
        request.POST if request.method == "POST" else None,
        services=services,
        current=current,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        after = form.seats_after()
        try:
            changes.change_lines_validate(
                contract=contract, seats_after=_seats_after(after, services)
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("lines", []):
                form.add_error(SEATS_PREFIX + services[0].slug, message)
        else:
            request.session[SESSION_KEY] = {"contract": contract.reference, "seats_after": after}
            return redirect("lifecycle:change-check", reference=reference)
    return render(
        request,
        "applications/change/seats.html",
        {"form": form, "contract": contract},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_check(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_for_change(request, reference)
    answers = _answers(request, contract)
    if answers is None:
        return redirect("lifecycle:change-seats", reference=reference)
    services = _services_for(contract)
    seats_after = _seats_after(answers, services)
    errors: list[tuple[str, str]] = []
    seats_url = reverse("lifecycle:change-seats", args=[reference])
    if request.method == "POST":
        try:
            change_request = changes.change_request_create(
                actor=request.user, contract=contract, seats_after=seats_after
            )
        except ValidationError as exc:
            errors = [(message, seats_url) for _, message in service_error_items(exc)]
        except (TransitionNotAllowed, ContractNotActive) as exc:
            errors = [(str(exc), reverse("contracts:detail", args=[reference]))]
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                f"Change request {change_request.reference} sent. The Cabinet Office will "
                "review it; your contract stays as it is until then.",
            )
            return redirect("applications:change-detail", reference=change_request.reference)
    try:
        found = changes.change_lines_validate(contract=contract, seats_after=seats_after)
    except ValidationError as exc:
        found = []
        errors = errors or [(message, seats_url) for _, message in service_error_items(exc)]
    by_pk = {s.pk: s for s in services}
    preview = selectors.change_preview(
        contract=contract,
        seats_after={c.service.pk: c.seats_after for c in found},
        services=by_pk,
    )
    return render(
        request,
        "applications/change/check.html",
        {"contract": contract, "changes": found, "preview": preview, "errors": errors},
        status=400 if errors else 200,
    )


# --- the change request's page and its moves -----------------------------------------------


@login_required
@require_GET
def change_detail(request: HttpRequest, reference: str) -> HttpResponse:
    change_request = selectors.change_request_get(user=request.user, reference=reference)
    user = request.user
    actions = selectors.change_request_actions(user=user, change_request=change_request)
    deciding = permissions.is_approver(user)
    return render(
        request,
        "applications/change/detail.html",
        {
            "change_request": change_request,
            "lines": list(change_request.lines.all()),
            "events": list(change_request.events.all()),
            "can_decide": selectors.ApplicationMove.APPROVE in actions,
            "can_withdraw": selectors.ApplicationMove.WITHDRAW in actions,
            "own_organisation": deciding
            and change_request.status == ChangeStatus.SUBMITTED
            and selectors.ApplicationMove.APPROVE not in actions,
            "preview": selectors.change_request_preview(change_request)
            if change_request.status == ChangeStatus.SUBMITTED
            else None,
            "age_in_days": selectors.age_in_days(change_request),
            **(next_item_context(user, change_request) if deciding else {"next_item": None}),
        },
    )


def _for_action(request: HttpRequest, reference: str) -> ChangeRequest:
    return selectors.change_request_get(user=request.user, reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def change_approve(request: HttpRequest, reference: str) -> HttpResponse:
    change_request = _for_action(request, reference)
    if not permissions.can_decide_application(request.user, change_request):
        raise PermissionDenied("You cannot decide this change request.")
    if (closed := refused_unless_waiting(request, change_request, becoming="approved")) is not None:
        return closed
    return reason_page(
        request,
        change_request,
        ApproveForm,
        "applications/approve.html",
        lambda c, note: changes.change_request_approve(
            change_request=c, actor=request.user, note=note
        ),
        "Change request {reference} approved. The contract has changed and every member's "
        "price is being recalculated.",
        extra={
            "impact": selectors.change_request_preview(change_request).impact,
            "lines": list(change_request.lines.all()),
            "signed": True,
            "seats_heading": "Change in seats",
            "impact_when": "if this change is approved",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_reject(request: HttpRequest, reference: str) -> HttpResponse:
    change_request = _for_action(request, reference)
    if not permissions.can_decide_application(request.user, change_request):
        raise PermissionDenied("You cannot decide this change request.")
    if (closed := refused_unless_waiting(request, change_request, becoming="rejected")) is not None:
        return closed
    return reason_page(
        request,
        change_request,
        RejectForm,
        "applications/reject.html",
        lambda c, reason: changes.change_request_reject(
            change_request=c, actor=request.user, reason=reason
        ),
        "Change request {reference} rejected. The member has been told why.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    change_request = _for_action(request, reference)
    if not permissions.owns(request.user, change_request.organisation_id):
        raise PermissionDenied("Only the organisation's CIO can withdraw its change request.")
    if (
        closed := refused_unless_waiting(request, change_request, becoming="withdrawn")
    ) is not None:
        return closed
    return reason_page(
        request,
        change_request,
        WithdrawForm,
        "applications/withdraw.html",
        lambda c, reason: changes.change_request_withdraw(
            change_request=c, actor=request.user, reason=reason
        ),
        "Change request {reference} withdrawn. Your contract stays as it is.",
    )
