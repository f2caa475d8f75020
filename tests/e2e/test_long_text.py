"""Long text that people type (a wave name, an unbroken rejection reason) wraps where it is
shown: no page scrolls sideways, on a desktop (1280 px) or a phone (375 px)."""

from __future__ import annotations

import pytest
from django.db import connection

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# PostgreSQL holds a wave's name to its column's length; SQLite stores whatever it is given,
# as an old row or a direct write may have.
NAME_LENGTH = 500
REASON = "x" * 2000  # the longest reason an approver may give, with no space to break at


def _wave_name_length() -> int:
    from rollout.models import Wave

    limit = Wave._meta.get_field("name").max_length
    return NAME_LENGTH if connection.vendor == "sqlite" else limit


@pytest.fixture
def long_text(committed_demo):
    from accounts.models import User
    from applications import services
    from applications.models import SignUpApplication
    from rollout.models import RolloutPlan

    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    plan.waves.filter(order=1).update(name="W" * _wave_name_length(), site="S" * 120)
    plan.waves.filter(order=2).update(status="blocked", blocked_reason=REASON)
    application = SignUpApplication.objects.get(organisation__slug="agency")
    services.application_reject(
        application=application, actor=User.objects.get(username="approver"), reason=REASON
    )
    return {"plan": plan.pk, "application": application.reference}


def _scrolls_sideways(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", [1280, 375])
def test_long_text_wraps_instead_of_widening_the_page(page, long_text, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "approver")
    for url in (f"/rollout/{long_text['plan']}/", f"/applications/{long_text['application']}/"):
        page.goto(url)
        page.wait_for_load_state("load")
        scroll_width, inner_width = _scrolls_sideways(page)
        assert scroll_width <= inner_width, f"{url} at {width} px is {scroll_width} px wide"
