"""The Content-Security-Policy blocks nothing the portal needs: its own pages and charts, the
Django admin, and the API documentation (Swagger UI and Redoc) all work under it, with no
violation reported (the `page` fixture fails a test that met one)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_portals_pages_and_charts_load_without_a_violation(page):
    sign_in(page, "approver")
    for url, heading in [
        ("/", None),
        ("/catalogue/", "Catalogue"),
        ("/contracts/", None),
        ("/rollout/", None),
        ("/rollout/going-live/", "Seats going live per month"),
        ("/framework/", "The Flex framework"),
    ]:
        page.goto(url)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.goto("/rollout/")
    page.locator("a", has_text=re.compile("Cabinet Office")).first.click()
    expect(page.locator("svg.flex-chart")).to_be_visible()
    # The page's inline script ran with its nonce: GOV.UK Frontend's JavaScript is on.
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)


def test_the_admin_works_under_the_policy(page):
    sign_in(page, "admin")
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/catalogue/service/")
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("form")).not_to_have_count(0)


def test_the_api_documentation_works_under_its_policy(page):
    sign_in(page, "cio-dius")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Flex Portal API")
    assert not page.csp_violations
    page.goto("/api/redoc/")
    expect(page.locator("redoc h1, [role=main] h1").first).to_contain_text("Flex Portal API")
    page.wait_for_load_state("networkidle")
    # drf-spectacular's Redoc page asks Google for fonts and Redoc's CDN for a logo: the policy
    # refuses both (the portal calls out to no one), and Redoc works without them.
    refused = page.csp_violations
    assert all(re.search(r"fonts\.googleapis\.com|cdn\.redoc\.ly", v) for v in refused), refused
    page.csp_violations.clear()
