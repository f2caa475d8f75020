"""The portal's URLs plus the baselines the HTTP benchmark compares against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


def minimal(request: HttpRequest) -> HttpResponse:
    """The baseline: the full middleware stack, no database, a constant body."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


class SignedInApi(APIView):
    """What any API view pays before its own work: DRF's authentication (a token: one query)."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/minimal/", minimal),
    # What any page pays before its own work: the session and the user (two queries).
    path("bench/signed-in/", login_required(minimal)),
    path("bench/signed-in-api/", SignedInApi.as_view()),
    path("", include("flexportal.urls")),
]
