"""The notifications page in a browser: accessible (axe-core, served to the tests only, from
node_modules) at desktop and phone widths, and never scrolling sideways on a phone."""

from __future__ import annotations

from .conftest import check_accessibility, sign_in


def test_staff_read_the_notifications_at_desktop_and_phone_widths(page):
    sign_in(page, "approver")
    page.goto("/notifications/")
    # The demo's submitted application told its applicant and the approver.
    assert page.locator("#notifications tbody tr").count() == 2
    check_accessibility(page, "notifications-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/notifications/")
    check_accessibility(page, "notifications-375")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
