"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Never `playwright install`: the wheel ships its driver, and the browser is the system's
(`apt-get install chromium`, done by .ci/run). Without Chromium these tests skip, except in CI
where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
# Served from node_modules by the test settings only (flexportal/settings/test.py), never built
# into production static.
AXE_URL = "/static/test-only/axe-core/axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "flex-demo-password"


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = _chromium()
    if executable is None:
        message = "needs Chromium at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # themselves (fixtures, assertions) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def committed_demo(transactional_db) -> None:
    """The demo data, committed so the live server's own connection sees it."""
    from demo.loader import load_flex_demo

    load_flex_demo(with_users=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_in_call = report.failed
    return report


# Every page reports a Content-Security-Policy violation to its console, so a journey that
# met one fails however it otherwise went.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def _is_csp_violation(message) -> bool:
    return message.type == "error" and (
        "CSP violation" in message.text or "Content Security Policy" in message.text
    )


@pytest.fixture
def page(request, browser, live_server, committed_demo) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text) if _is_csp_violation(message) else None
        ),
    )
    yield page
    if getattr(request.node, "failed_in_call", False):
        # Where the journey stopped, for whoever reads the failure.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()
    if not getattr(request.node, "failed_in_call", False):
        assert not page.csp_violations, "\n".join(page.csp_violations)


def start_date_ahead(days: int = 120) -> dt.date:
    """A start date the sign-up journey accepts whenever the tests run: `days` after today by
    the server's own clock (a start must be today or later, and within 3 years)."""
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#signed-in-as").wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


# Every page a journey checks is also checked at a phone's width (issue 14: tables were up to
# 1,006 px wide at 375).
PHONE_WIDTH = 375


def scroll_width(page) -> tuple[int, int]:
    """The page's full width and the width it is shown in: equal unless it scrolls sideways."""
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def assert_no_sideways_scrolling(page, name: str) -> None:
    full, shown = scroll_width(page)
    assert full <= shown, f"{name}: the page scrolls sideways ({full} px wide in {shown} px)"


def check_accessibility(page, name: str) -> None:
    """Run axe-core against the page for WCAG 2.2 AA at its own width (1,280 px in journeys)
    and again at PHONE_WIDTH, where it must not scroll sideways either; save a screenshot of
    each for review. The viewport is put back afterwards, so the journey carries on as it was."""
    wide = page.viewport_size
    _axe(page, name)
    if wide["width"] == PHONE_WIDTH:
        assert_no_sideways_scrolling(page, name)
        return
    page.set_viewport_size({"width": PHONE_WIDTH, "height": wide["height"]})
    try:
        assert_no_sideways_scrolling(page, f"{name} at {PHONE_WIDTH} px")
        _axe(page, f"{name}-{PHONE_WIDTH}px")
    finally:
        page.set_viewport_size(wide)


def _axe(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # From the portal's own origin: the Content-Security-Policy refuses an inline copy.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not violations, f"{name}: " + "\n".join(violations)
