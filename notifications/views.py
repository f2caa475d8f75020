"""The outbox page: what the portal has told whom, and whether Notify has it. Cabinet Office
staff only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import govuk_pagination

from . import selectors
from .models import NotificationStatus

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_notifications(request.user):
        raise PermissionDenied
    # Only a known status filters; anything else (a hand-edited link) shows them all.
    status = request.GET.get("status", "")
    status = status if status in NotificationStatus.values else ""
    page = Paginator(selectors.notification_list(status=status or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = [
        {"label": "All", "status": "", "current": not status},
        *(
            {"label": label, "status": value, "current": status == value}
            for value, label in NotificationStatus.choices
        ),
    ]
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "pagination": govuk_pagination(page, {"status": status}),
            "filters": filters,
            "status": status,
        },
    )
