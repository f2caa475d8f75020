"""Sign-in lockout with django-axes: who is counted, when an account locks, and what a
locked-out sign-in gets (JSON for the API, a GOV.UK page otherwise, both saying how long to
wait, from AXES_COOLOFF_TIME in hours).

Two limits, each over the cool-off period (flexportal/settings/base.py):

- AXES_FAILURE_LIMIT failures for one username from one address lock that pair (someone
  mistyping, or guessing from one machine);
- ACCOUNT_LOCKOUT_FAILURE_LIMIT failures for one username from any addresses lock the
  account (password spraying: a few guesses from each of many addresses).

axes itself checks every set in AXES_LOCKOUT_PARAMETERS against one limit (the highest count of
them wins), so a per-account set would lock an account after as few failures as the pair. The
handler below keeps axes' counting and gives each set its own limit. A successful sign-in
forgives the failures from its own address only: failures from elsewhere keep counting
towards the account limit until they age out.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from rest_framework.throttling import BaseThrottle

ACCOUNT = "username"  # the lockout parameter set of one account, whatever the address


def client_ip(request: HttpRequest) -> str | None:
    """The address a sign-in is counted against: the one DRF's throttles count (REMOTE_ADDR,
    or what NUM_PROXIES trusted proxies put in X-Forwarded-For), so a forwarded header the
    client wrote itself cannot give each guess a fresh address."""
    return BaseThrottle().get_ident(request)


class AccountLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with a limit of its own for the per-account parameter set."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count, on the scale of AXES_FAILURE_LIMIT: each parameter set's
        count is scaled by that limit over the set's own limit, so the result reaches
        AXES_FAILURE_LIMIT exactly when some set reaches its own limit."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return max(
            (
                count * limit // self._limit_of(parameter, limit)
                for parameter, count in zip(parameters, counts, strict=True)
            ),
            default=0,
        )

    @staticmethod
    def _limit_of(parameter, limit: int) -> int:
        return settings.ACCOUNT_LOCKOUT_FAILURE_LIMIT if parameter == ACCOUNT else limit

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful sign-in: forget the failures from this address only."""
        attempts = [
            queryset
            for parameter, queryset in zip(
                get_lockout_parameters(request, credentials),
                self.filter_user_attempts(request, credentials),
                strict=True,
            )
            if parameter != ACCOUNT
        ]
        return sum(queryset.delete()[0] for queryset in attempts)


def wait_minutes() -> int:
    return round(float(settings.AXES_COOLOFF_TIME) * 60)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    minutes = wait_minutes()
    if request.path.startswith("/api/"):
        message = f"Too many failed sign-in attempts. Wait {minutes} minutes and try again."
        return JsonResponse({"detail": message}, status=429)
    return TemplateResponse(
        request, "accounts/locked_out.html", {"minutes": minutes}, status=429
    ).render()
