"""The portal's URLs plus the baselines the HTTP benchmark compares against."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, resolve, reverse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from catalogue import selectors as catalogue_selectors
from catalogue import views as catalogue_views
from catalogue.api.views import ServiceListApi
from core import pagecache

# The demo CIO whose catalogue page the ceiling renders, as the benchmark signs in.
CEILING_USER = "cio-dius"


def minimal(request: HttpRequest) -> HttpResponse:
    """The baseline: the full middleware stack, no database, a constant body."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


class SignedInApi(APIView):
    """What any API view pays before its own work: DRF's authentication (a token: one query)."""

    def get(self, request):
        return Response({"ok": True})


# --- Ceilings: the two measured endpoints with every read done once, at the first request ----
#
# What /catalogue/ and /api/v1/services/ would cost if signing in and reading the catalogue
# were free (a cache of users, sessions, tokens and catalogue versions that never missed):
# the page and the list are the real ones, rendered by the portal's own template, serializer,
# paginator and renderer, for the same user. No cache could make the endpoints cheaper.


@cache
def _ceiling_user():
    """The signed-in CIO with their organisation and roles, read once per process."""
    user = get_user_model().objects.select_related("organisation").get(username=CEILING_USER)
    permissions.role_names(user)  # reads and keeps the user's groups on the object
    return user


@cache
def _ceiling_catalogue_content() -> str:
    return catalogue_views.whole_catalogue_content(
        can_manage=False, price_for=catalogue_selectors.price_for_you(_ceiling_user())
    )


def catalogue_ceiling(request: HttpRequest) -> HttpResponse:
    """/catalogue/ for the CIO, as service_list_view renders it, reading nothing."""
    request.user = _ceiling_user()
    request.path = reverse("catalogue:list")  # so the navigation marks Catalogue as current
    return catalogue_views.render_service_list(
        request, form=None, content=_ceiling_catalogue_content()
    )


class ServicesCeilingApi(ServiceListApi):
    """/api/v1/services/ as ServiceListApi answers it, reading nothing: the same list(), with
    the whole list kept from the first request instead of looked up per catalogue version."""

    authentication_classes = []
    permission_classes = [AllowAny]

    serialized: list | None = None

    def whole_list(self) -> list:
        cls = type(self)
        if cls.serialized is None:
            cls.serialized = self.serialize_all()
        return cls.serialized


# --- Ceilings of the pages measured at scale (bench/bench_scale.py) --------------------------
#
# /contracts/, /framework/ and /applications/ for the user each is measured as, rendered once by
# the portal's own view at the first request and then served as the page cache serves a hit
# (core.pagecache.served_from: the caller's own CSRF token and CSP nonce put in, so the page's
# form and script still work), to that user held in memory: what a per-user page cache that
# never missed and a session and user that cost nothing to read would give, through the same
# middleware.


@cache
def _bench_user(username: str):
    user = get_user_model().objects.select_related("organisation").get(username=username)
    permissions.role_names(user)
    return user


# What each page ceiling keeps: (path, username) -> the page cache's entry for it.
kept_pages: dict[tuple[str, str], dict] = {}


def page_ceiling(path: str, username: str):
    """A view answering `path` as the portal does for `username`, with nothing read after the
    first request."""

    def view(request: HttpRequest) -> HttpResponse:
        request.user = _bench_user(username)
        entry = kept_pages.get((path, username))
        if entry is None:
            match = resolve(path)
            request.path = request.path_info = path
            entry = pagecache.entry_of(request, match.func(request, *match.args, **match.kwargs))
            if entry is None:
                raise RuntimeError(f"{path} for {username} is not a page the cache would keep")
            kept_pages[(path, username)] = entry
        return pagecache.served_from(request, entry)

    return view


# (path, the user the benchmark signs in as): the rows bench/bench_scale.py adds.
SCALE_PAGES = {
    "contracts": ("/contracts/", "procurement"),
    "framework": ("/framework/", "approver"),
    "applications": ("/applications/", "approver"),
}

urlpatterns = [
    *(
        path(f"bench/ceiling/{name}/", page_ceiling(page, username))
        for name, (page, username) in SCALE_PAGES.items()
    ),
    path("bench/minimal/", minimal),
    # What any page pays before its own work: the session with its user (one query).
    path("bench/signed-in/", login_required(minimal)),
    path("bench/signed-in-api/", SignedInApi.as_view()),
    path("bench/ceiling/catalogue/", catalogue_ceiling),
    path("bench/ceiling/services/", ServicesCeilingApi.as_view()),
    path("", include("flexportal.urls")),
]
