"""The sign-up journey completed with the keyboard alone: every control is reached with Tab
and operated with Enter, Space or typing, never the mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import PASSWORD, start_date_ahead

pytestmark = pytest.mark.django_db(transaction=True)
MAX_TABS = 80


def tab_to(page, locator) -> None:
    """Press Tab until `locator` has the focus; fail if the keyboard never reaches it."""
    handle = locator.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, locator, key: str = "Enter", *, navigates: bool = False) -> None:
    """Reach `locator` with Tab and press `key`; with `navigates`, wait for the page it loads
    (else the next step's controls may be looked for on the page being left)."""
    tab_to(page, locator)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


@pytest.fixture
def keyboard_cio(committed_demo):
    organisation = factories.OrganisationFactory(
        slug="keyboard-agency", name="Keyboard Agency", kind="agency", staff=300, desktops=300
    )
    return factories.CIOFactory(
        username="cio-keyboard", organisation=organisation, password=PASSWORD
    )


def test_sign_up_with_the_keyboard_only(page, keyboard_cio):
    page.goto("/accounts/login/")
    type_into(page, page.get_by_label("Username"), "cio-keyboard")
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page, page.get_by_role("button", name="Sign in"), navigates=True)
    expect(page.locator("#signed-in-as")).to_contain_text("cio-keyboard")

    page.goto("/applications/new/")
    press(page, page.get_by_role("button", name="Start now"), navigates=True)
    press(page, page.get_by_label("Keyboard Agency"), "Space")
    press(page, page.get_by_role("button", name="Continue"), navigates=True)

    type_into(page, page.get_by_label("Standard desktop"), "300")
    press(page, page.get_by_role("button", name="Continue"), navigates=True)
    type_into(page, page.get_by_role("textbox"), "3")
    press(page, page.get_by_role("button", name="Continue"), navigates=True)
    start = start_date_ahead()
    type_into(page, page.get_by_label("Day"), str(start.day))
    type_into(page, page.get_by_label("Month"), str(start.month))
    type_into(page, page.get_by_label("Year"), str(start.year))
    press(page, page.get_by_role("button", name="Continue"), navigates=True)
    # Today's cost is optional: leave it empty.
    press(page, page.get_by_role("button", name="Continue"), navigates=True)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    press(page, page.get_by_role("button", name="Accept and send"), navigates=True)
    expect(page.locator(".govuk-panel")).to_contain_text(re.compile(r"FLEX-\d{4}-\d{4}"))

    from applications.models import SignUpApplication

    application = SignUpApplication.objects.get(organisation__slug="keyboard-agency")
    assert application.status == "submitted"
    assert application.term_years == 3
    assert application.requested_start == start
    assert [(line.service.slug, line.seats) for line in application.lines.all()] == [
        ("desktop", 300)
    ]
