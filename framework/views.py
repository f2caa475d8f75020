"""The framework dashboard: members, seats, the core price as members joined, savings and
onboarding lead time. Anyone signed in may see it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from applications.selectors import onboarding_lead_time_summary
from catalogue.views import HISTORY_ON_PAGE, history_points
from core.charts import step_chart
from core.formatting import money

from . import selectors


@login_required
@require_GET
def framework_view(request: HttpRequest) -> HttpResponse:
    overview = selectors.framework_overview(history_limit=HISTORY_ON_PAGE)
    chart = ""
    if overview.core is not None:
        chart = step_chart(
            history_points(list(overview.core_history), drops_only=True),
            title=f"{overview.core.name}: price per seat a year as members joined",
            value_format=money,
            until=timezone.now(),
            chart_id="core-price-history",
        )
    return render(
        request,
        "framework/framework.html",
        {
            "overview": overview,
            "core": overview.core,
            "savings": overview.savings,
            "chart": chart,
            "lead_time": onboarding_lead_time_summary(),
        },
    )
