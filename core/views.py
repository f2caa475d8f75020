from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .health import broker_status, database_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public, unauthenticated: load balancers and `docker compose` probe it."""
    body = {"database": database_status(), "broker": broker_status()}
    healthy = body["database"] == "ok" and body["broker"] in ("ok", "eager")
    return JsonResponse(body, status=200 if healthy else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Every /api/ path that is no route, whatever the method and whatever DEBUG is: routed
    here by flexportal/urls.py's last /api/ pattern, as Django answers a Resolver404 under DEBUG
    with its own HTML page and never calls `page_not_found`.

    A GET of a route without its slash (`/api/docs`) is still sent to the route, as
    CommonMiddleware's APPEND_SLASH did before this pattern matched everything under /api/."""
    if _slash_appended_is_a_route(request):
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse({"detail": "Not found."}, status=404)


def _slash_appended_is_a_route(request: HttpRequest) -> bool:
    path = request.path_info
    if not settings.APPEND_SLASH or path.endswith("/") or request.method not in ("GET", "HEAD"):
        return False
    try:
        return resolve(f"{path}/").func is not api_not_found
    except Resolver404:
        return False


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """API clients get JSON even for a URL that matches no route; people get the GOV.UK page."""
    if _is_api(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Server error. Nothing was changed."}, status=500)
    return defaults.server_error(request)
