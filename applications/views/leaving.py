"""Ending a contract from its page: a CIO gives notice (or ends it today), Cabinet Office
staff end any contract with a reason. The rules are applications.lifecycle's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import permissions
from contracts import selectors as contract_selectors
from contracts.models import ContractStatus
from core.errors import Conflict
from core.forms import add_service_errors

from .. import lifecycle
from ..forms import EndContractForm


@login_required
@require_http_methods(["GET", "POST"])
def contract_end_page(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_selectors.contract_get(user=request.user, reference=reference)
    if not permissions.can_end_contract(request.user, contract):
        raise PermissionDenied(
            "Only the organisation's CIO or Cabinet Office can end this contract."
        )
    if contract.status != ContractStatus.ACTIVE:
        messages.error(request, f"Contract {reference} has already ended.")
        return redirect("contracts:detail", reference=reference)
    form = EndContractForm(
        request.POST if request.method == "POST" else None,
        reason_required=not permissions.owns(request.user, contract.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"]
        try:
            lifecycle.contract_leave(
                contract=contract, actor=request.user, on=on, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("contracts:detail", reference=reference)
        else:
            if on == timezone.localdate():
                messages.success(
                    request,
                    f"Contract {reference} has ended. Its seats no longer count, and every "
                    "member's price is being recalculated.",
                )
            else:
                messages.success(
                    request, f"Notice given: contract {reference} ends on {on:%-d %B %Y}."
                )
            return redirect("contracts:detail", reference=reference)
    return render(
        request,
        "applications/contract_end.html",
        {"form": form, "contract": contract},
        status=400 if form.errors else 200,
    )
