"""The pages every GOV.UK service has: cookies, accessibility statement, privacy notice,
feedback and service status. Thin: the feedback rules are in services.py and selectors.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permissions
from accounts.lockout import client_ip
from core.forms import add_service_errors
from core.health import broker_status, database_status
from core.pagination import govuk_pagination
from core.throttling import THROTTLE_CACHE, window_count

from . import selectors, services
from .forms import FeedbackForm

RESPONSES_PAGE_SIZE = 25
# Anyone may send feedback, signed in or not: a limit per address keeps a script from filling
# the table. A person sends one or two; 20 an hour from one address is not a person.
FEEDBACK_PER_HOUR = 20
FEEDBACK_LIMIT_MESSAGE = (
    "You have sent a lot of feedback in the last hour. Try again later, or email "
    "flex-portal@cabinetoffice.gov.uk"
)


def duration_in_words(seconds: int) -> str:
    """A cookie's lifetime as the cookies page says it: "2 weeks", "8 hours", "1 year" (Django's
    CSRF cookie lasts 52 weeks, which people call a year)."""
    for unit, length in (
        ("year", 52 * 7 * 86400),
        ("week", 7 * 86400),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    ):
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_lasts": duration_in_words(settings.SESSION_COOKIE_AGE),
            "session_ends_with_browser": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_lasts": duration_in_words(settings.CSRF_COOKIE_AGE),
            "messages_cookie": CookieStorage.cookie_name,
        },
    )


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility_statement.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {"lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60)},
    )


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _over_feedback_limit(request):
            form.add_error(None, FEEDBACK_LIMIT_MESSAGE)
        else:
            try:
                services.feedback_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("pages:feedback-sent")
    return render(
        request,
        "pages/feedback.html",
        {"form": form, "can_read_responses": permissions.is_cabinet_office(request.user)},
        status=400 if form.is_bound and form.errors else 200,
    )


def _over_feedback_limit(request: HttpRequest) -> bool:
    address = client_ip(request) or "unknown"
    try:
        count = window_count(caches[THROTTLE_CACHE], f"feedback:{address}", timeout=3600)
    except Exception:  # the limit slows abuse down; it never stops a person sending feedback
        return False
    return count > FEEDBACK_PER_HOUR


@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/feedback_sent.html")


@login_required
@require_GET
def feedback_responses(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.feedback_list(user=request.user), RESPONSES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pages/feedback_responses.html",
        {
            "page": page,
            "pagination": govuk_pagination(page, {}),
            "satisfaction_counts": selectors.feedback_satisfaction_counts(user=request.user),
        },
    )


@never_cache
@require_GET
def service_status(request: HttpRequest) -> HttpResponse:
    """The status of the portal in words, for people; /healthz says the same to machines."""
    database, broker = database_status(), broker_status()
    if database != "ok":
        # The header would look up the signed-in user in the database that is down.
        request.user = AnonymousUser()
    return render(
        request,
        "pages/service_status.html",
        {
            "database": database,
            "broker": broker,
            "working": database == "ok" and broker in ("ok", "eager"),
        },
    )
