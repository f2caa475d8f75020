"""What a locked-out sign-in gets from django-axes: JSON for the API, a GOV.UK page otherwise.
Both say how long to wait, from AXES_COOLOFF_TIME (hours)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse


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
