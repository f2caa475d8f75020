"""Every page each role uses, at a desktop's width and a phone's: axe-core finds nothing
against WCAG 2.2 AA at either, and at 375 px no page scrolls sideways (wide tables scroll
inside their own `.app-table-scroll` region instead). The journeys in test_journeys.py check
the pages met on the way through a sign-up the same way (conftest.check_accessibility)."""

from __future__ import annotations

import pytest

from .conftest import PHONE_WIDTH, assert_no_sideways_scrolling, check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EVERYONE = [
    "/",
    "/cookies/",
    "/accessibility-statement/",
    "/privacy/",
    "/feedback/",
    "/status/",
]
QUOTE = "/quote/?seats_desktop=1500&seats_wireless=1500&term_years=7&current_cost_per_seat=2600"


def _pages_of(role: str) -> list[str]:
    from applications.models import SignUpApplication
    from rollout.models import RolloutPlan

    agency_application = SignUpApplication.objects.get(organisation__slug="agency").reference
    dius_plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004").pk
    return {
        "anonymous": [*EVERYONE, "/accounts/login/"],
        "cio-dius": [
            "/catalogue/",
            "/catalogue/desktop/",
            QUOTE,
            "/applications/",
            "/contracts/",
            "/contracts/CON-2026-0004/",
            "/rollout/",
            f"/rollout/{dius_plan}/",
        ],
        "cio-agency": ["/applications/", f"/applications/{agency_application}/"],
        "approver": [
            "/applications/",
            f"/applications/{agency_application}/",
            "/feedback/responses/",
            "/contracts/downloads/",
            "/rollout/going-live/",
        ],
        "procurement": ["/contracts/", "/contracts/CON-2026-0001/", "/catalogue/wireless/"],
    }[role]


@pytest.mark.parametrize("role", ["anonymous", "cio-dius", "cio-agency", "approver", "procurement"])
def test_every_page_of_each_role_fits_a_phone_and_passes_axe(page, role):
    from pages import services

    services.feedback_create(
        satisfaction="satisfied", improvement="A long answer " * 40, email="cio@example.gov.uk"
    )
    if role != "anonymous":
        sign_in(page, role)
    for url in _pages_of(role):
        response = page.goto(url)
        assert response.status == 200, url
        name = f"50-{role}{url.split('?')[0].replace('/', '-').rstrip('-')}"
        check_accessibility(page, name)  # at 1,280 px, then at 375 px


def test_a_wide_table_scrolls_in_its_own_region_with_the_keyboard(page):
    """The contracts table is wider than a phone: its region scrolls (the page does not), and
    a keyboard user reaches the region with Tab and scrolls it with the arrow keys."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 900})
    sign_in(page, "procurement")
    page.goto("/contracts/")
    assert_no_sideways_scrolling(page, "/contracts/")
    region = page.locator(".app-table-scroll", has=page.locator("#contracts"))
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == "Contracts"
    full, shown = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert full > shown, "the contracts table fits a phone: this test no longer tests scrolling"
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('app-table-scroll')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.app-table-scroll:focus').scrollLeft > 0")


SMALLEST_TEXT = """() => [...document.querySelectorAll('svg.flex-chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')]
      .map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
    return [svg.getAttribute('aria-labelledby'), Math.min(...sizes)];
  })"""


@pytest.mark.parametrize("width", [320, PHONE_WIDTH])
def test_chart_text_stays_readable_on_a_phone(page, width):
    """Charts' text is 12 px or more on a phone (it was about 6 px: a 720-unit drawing shrunk
    to the column), and the page still does not scroll sideways."""
    from rollout.models import RolloutPlan

    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004").pk
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "approver")  # Cabinet Office staff see every chart
    for url in ("/catalogue/desktop/", f"/rollout/{plan}/", "/rollout/going-live/"):
        page.goto(url)
        charts = page.evaluate(SMALLEST_TEXT)
        assert charts, f"{url} shows no chart"
        for chart, smallest in charts:
            assert smallest >= 12, f"{url}: {chart} has text of {smallest:.1f} px at {width} px"
        assert_no_sideways_scrolling(page, f"{url} at {width} px")
