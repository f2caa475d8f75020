"""The framework dashboard: totals, members grouped and paged, seats, the core price as members
joined, savings and onboarding lead time. Anyone signed in may see it; each member's previous
cost and saving only Cabinet Office staff (a CIO sees their own organisation's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import permissions
from applications.selectors import onboarding_lead_time_summary
from catalogue.views import HISTORY_ON_PAGE, history_points
from core.charts import step_chart
from core.formatting import money
from core.pagecache import cached_page
from core.pagination import query_string

from . import selectors


@login_required
@require_GET
@cached_page(permissions.page_identity)
def framework_view(request: HttpRequest) -> HttpResponse:
    overview = selectors.framework_overview(
        history_limit=HISTORY_ON_PAGE, members_page=request.GET.get("page")
    )
    savings_page = None
    own_savings = ()
    core = overview.core
    if core is not None and overview.savings is not None:
        if permissions.can_see_members_costs(request.user):
            savings_page = selectors.member_savings_page(core, page=request.GET.get("savings_page"))
        elif permissions.is_cio(request.user):
            own_savings = selectors.organisation_savings(
                core, organisation_id=request.user.organisation_id
            )
    chart = ""
    if core is not None:
        chart = step_chart(
            history_points(list(overview.core_history), drops_only=True),
            title=f"{core.name}: price per seat a year as members joined",
            value_format=money,
            until=timezone.now(),
            chart_id="core-price-history",
        )
    members_at = {"page": request.GET["page"]} if request.GET.get("page") else {}
    savings_at = (
        {"savings_page": request.GET["savings_page"]} if request.GET.get("savings_page") else {}
    )
    return render(
        request,
        "framework/framework.html",
        {
            "overview": overview,
            "core": core,
            "savings": overview.savings,
            "savings_page": savings_page,
            "savings_pagination": (
                _pagination(savings_page.page, members_at, key="savings_page", anchor="savings")
                if savings_page is not None
                else None
            ),
            "own_savings": own_savings,
            "members_pagination": _pagination(
                overview.members_page, savings_at, key="page", anchor="members"
            ),
            "chart": chart,
            "lead_time": onboarding_lead_time_summary(),
        },
    )


def _pagination(page, params: dict[str, str], *, key: str, anchor: str) -> dict:
    """Context for templates/includes/pagination.html for one of the page's two paged tables:
    its own query parameter `key`, the other table's kept in `params`, links back to it."""

    def link(number: int) -> str:
        return f"{query_string(params, **{key: number})}#{anchor}"

    items = [
        {"ellipsis": True}
        if number == page.paginator.ELLIPSIS
        else {"number": number, "url": link(number), "current": number == page.number}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "items": items,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }
