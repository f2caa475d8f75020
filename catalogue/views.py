"""Catalogue pages: the catalogue, one service with its price history, and the quote builder
(the framework dashboard is the framework app's). Anyone signed in may see them all (docs/interface.md, "Who sees what"); only a
CIO is offered to apply with a quote."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from accounts import permissions
from core.charts import ChartPoint, step_chart
from core.formatting import money
from core.history import timeline
from core.spreadsheets import neutralise

from . import caching, selectors
from .filters import ServiceFilter
from .formatting import explain_scheme
from .forms import SEATS_PREFIX, QuoteForm
from .history import service_sources
from .models import Category, PriceSnapshot, Service, ServiceKind

# A page shows the newest changes; the CSV download has the whole history.
HISTORY_ON_PAGE = 100
QUOTE_PARAMETERS = ("term_years", "current_cost_per_seat")


@login_required
@require_GET
def service_list_view(request: HttpRequest) -> HttpResponse:
    can_manage = _can_manage(request)
    price_for = selectors.price_for_you(request.user)
    if request.GET:
        # A search is the user's own: rendered for them alone, never cached.
        filterset = _service_filter(request.GET, with_bands=price_for is not None)
        content = _service_list_content(filterset, can_manage=can_manage, price_for=price_for)
        return render_service_list(request, form=filterset.form, content=content)
    key = f"page-services:{can_manage}" + (f":{price_for.cache_key}" if price_for else "")
    content = caching.cached(
        key, lambda: whole_catalogue_content(can_manage=can_manage, price_for=price_for)
    )
    return render_service_list(request, form=None, content=content)


def whole_catalogue_content(
    *, can_manage: bool, price_for: selectors.PriceForYou | None = None
) -> str:
    """The unfiltered catalogue's content: the same for everyone who may (or may not) manage
    the catalogue and is shown the same second price, so cached per catalogue version."""
    return _service_list_content(
        _service_filter(None, with_bands=price_for is not None),
        can_manage=can_manage,
        price_for=price_for,
    )


def render_service_list(request: HttpRequest, *, form, content: str) -> HttpResponse:
    """The catalogue page around its content (rendered by `_service_list_content`)."""
    return render(
        request, "catalogue/service_list.html", {"form": form, "content": mark_safe(content)}
    )


def _service_filter(data, *, with_bands: bool = False) -> ServiceFilter:
    services = selectors.service_list() if with_bands else Service.objects.filter(active=True)
    return ServiceFilter(data or None, queryset=services.order_by("kind", "name"))


def _service_list_content(
    filterset: ServiceFilter, *, can_manage: bool, price_for: selectors.PriceForYou | None = None
) -> str:
    """The catalogue page's content, rendered without the request so that it holds nothing of
    the user's: whether they may manage the catalogue is in the cache key; the search form is
    a GET and carries no CSRF token."""
    services = list(filterset.qs)
    if price_for is not None:
        prices = selectors.unit_prices_with(services, seats=price_for.seats)
        for service in services:
            service.price_for_you = prices[service.pk]
    groups = [
        (label, [s for s in services if s.category == value])
        for value, label in Category.choices
        if any(s.category == value for s in services)
    ]
    return render_to_string(
        "catalogue/_service_list_content.html",
        {
            "form": filterset.form,
            "groups": groups,
            "count": len(services),
            "searched": filterset.is_bound,
            "can_manage_catalogue": can_manage,
            "price_for": price_for,
        },
    )


def _can_manage(request: HttpRequest) -> bool:
    """Cabinet Office staff edit services in the admin site, which needs a staff account."""
    return request.user.is_staff and permissions.can_manage_catalogue(request.user)


def _get_service(slug: str) -> Service:
    try:
        return selectors.service_by_slug(slug)
    except Service.DoesNotExist:
        raise Http404("No such service") from None


def history_points(history: list[PriceSnapshot], *, drops_only: bool) -> list[ChartPoint]:
    """Label each price change (or only each drop) with the member that caused it."""
    points = []
    previous = None
    for snapshot in history:
        changed = previous is None or (
            snapshot.unit_price < previous if drops_only else snapshot.unit_price != previous
        )
        label = ""
        if changed:
            label = snapshot.caused_by.display_name if snapshot.caused_by else snapshot.reason
        points.append(ChartPoint(at=snapshot.effective_at, value=snapshot.unit_price, label=label))
        previous = snapshot.unit_price
    return points


@login_required
@require_GET
def service_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_service(slug)
    scheme = selectors.scheme_for(service)
    history, history_total = selectors.latest_price_history(service, limit=HISTORY_ON_PAGE)
    chart = step_chart(
        history_points(history, drops_only=False),
        title=f"{service.name}: price per seat a year over time",
        value_format=money,
        until=timezone.now(),
        chart_id=f"price-history-{service.slug}",
    )
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "explanation": explain_scheme(scheme),
            "history": history,
            "history_total": history_total,
            "chart": chart,
            "can_manage_catalogue": _can_manage(request),
            # Who changed the scheme and when: for those who audit the framework.
            "change_history": (
                timeline(service_sources(service))
                if permissions.can_see_all_organisations_records(request.user)
                else None
            ),
        },
    )


@login_required
@require_GET
def price_history_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_service(slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{service.slug}-price-history.csv"'
    writer = csv.writer(response)
    writer.writerow(["effective_at", "framework_seats", "unit_price", "reason", "caused_by"])
    for snapshot in selectors.price_history(service).iterator(chunk_size=2000):
        writer.writerow(
            [
                snapshot.effective_at.isoformat(),
                snapshot.framework_seats,
                snapshot.unit_price,
                neutralise(snapshot.reason),
                neutralise(snapshot.caused_by.name if snapshot.caused_by else ""),
            ]
        )
    return response


def _is_quote_request(request: HttpRequest) -> bool:
    return any(k.startswith(SEATS_PREFIX) or k in QUOTE_PARAMETERS for k in request.GET)


@login_required
@require_GET
def quote_view(request: HttpRequest) -> HttpResponse:
    services = list(selectors.service_list())
    core = next((s for s in services if s.kind == ServiceKind.CORE), None)
    initial: dict[str, object] = {"term_years": 5}
    organisation = request.user.organisation if permissions.is_cio(request.user) else None
    if core is not None and organisation is not None and organisation.desktops:
        initial[SEATS_PREFIX + core.slug] = organisation.desktops
    form = QuoteForm(
        request.GET if _is_quote_request(request) else None, services=services, initial=initial
    )
    context: dict[str, object] = {"form": form, "quote": None, "core_line": None}
    if form.is_bound and form.is_valid():
        quote = selectors.quote_for(
            lines=form.lines,
            term_years=form.cleaned_data["term_years"],
            current_cost_per_seat=form.cleaned_data["current_cost_per_seat"],
        )
        context["quote"] = quote
        context["core_line"] = next(
            (line for line in quote.lines if core is not None and line.service.slug == core.slug),
            None,
        )
        # A quote without the desktop still moves prices: every member's price of each of
        # these services falls if the quoted seats take it into a cheaper band or share.
        context["falling_lines"] = [
            line for line in quote.lines if line.unit_price_if_joined < line.unit_price_now
        ]
        if permissions.can_apply(request.user):
            context["apply_url"] = (
                f"{reverse('applications:application-start')}?{request.GET.urlencode()}"
            )
    return render(request, "catalogue/quote.html", context)
