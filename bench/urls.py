from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def minimal(request: HttpRequest) -> HttpResponse:
    """The baseline: the full middleware stack, no database, a constant body."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("flexportal.urls")),
]
