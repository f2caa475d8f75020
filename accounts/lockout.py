"""What a locked-out sign-in gets from django-axes: JSON for the API, a GOV.UK page otherwise."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

MESSAGE = "Too many failed sign-in attempts. Wait 30 minutes and try again."


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE}, status=429)
    return TemplateResponse(request, "accounts/locked_out.html", status=429).render()
