"""Response headers every page and endpoint carries: the Content-Security-Policy (django-csp,
with relaxed rules only where a third-party page needs them), the Permissions-Policy, and
`Cache-Control: private, no-store` wherever a response is someone's own.

The policies themselves are settings (`CONTENT_SECURITY_POLICY`, `PERMISSIONS_POLICY`,
`CSP_RELAXED_PATHS` in flexportal/settings/base.py); this module only applies them.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"
# Downloads: a contract summary and the contract list exports.
DOWNLOAD_TYPES = (
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, replacing directives for the paths in `CSP_RELAXED_PATHS`
    (the Swagger UI and Redoc pages, whose templates start their viewers from inline
    scripts and styles)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        for prefix, directives in settings.CSP_RELAXED_PATHS.items():
            if request.path_info.startswith(prefix) and not report_only:
                parts.replace = {**(parts.replace or {}), **directives}
        return parts


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` from the `PERMISSIONS_POLICY` setting: browser features the portal
    never uses (camera, microphone, location...) are switched off for it and anything it
    embeds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class PrivateResponsesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user, every API
    response and every download (PDF, CSV, XLSX), so neither a shared cache nor the browser's
    history keeps them. Static files (served before this runs) and public pages seen signed
    out stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_private(request, response):
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return False
    if request.path_info.startswith("/api/"):
        return True
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type in DOWNLOAD_TYPES or response.get("Content-Disposition", "").startswith(
        "attachment"
    ):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
