"""The start page: what Flex is, and for a member's CIO what has changed since their last
visit (their price, and contracts due to end)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import permissions
from contracts import selectors as contract_selectors

from ..price_notices import price_changes_to_show


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {}
    if user.is_authenticated and permissions.is_cio(user):
        today = timezone.localdate()
        context["price_changes"] = price_changes_to_show(user)
        context["ending_soon"] = [
            contract
            for contract in contract_selectors.organisation_active_contracts(
                organisation_id=user.organisation_id
            )
            if contract_selectors.contract_ending_soon(contract, today=today)
        ]
    return render(request, "home.html", context)
