"""The contracts page's organisation filter in a browser: with JavaScript, accessible-
autocomplete suggests names from the suggestions endpoint and the chosen name filters the list;
without it, the plain text field does the same (tests/contracts/test_organisation_filter.py
covers the server side of both)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _references(page) -> list[str]:
    return page.locator("#contracts tbody th a").all_inner_texts()


def test_the_autocomplete_suggests_organisations_and_filters_by_the_chosen_one(page):
    sign_in(page, "procurement")
    page.goto("/contracts/")
    field = page.get_by_role("combobox", name="Organisation", exact=True)
    expect(field).to_be_visible()
    field.fill("statis")
    option = page.get_by_role("option", name="Office for National Statistics")
    expect(option).to_be_visible()
    check_accessibility(page, "60-contracts-organisation-autocomplete")
    option.click()
    expect(field).to_have_value("Office for National Statistics")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]organisation=Office\+for\+National\+Statistics(&|$)"))
    assert _references(page) == ["CON-2026-0002"]
    # The enhanced field shows the choice again after the page reloads.
    expect(page.get_by_role("combobox", name="Organisation", exact=True)).to_have_value(
        "Office for National Statistics"
    )


def test_the_filter_works_without_javascript(browser, live_server, committed_demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "procurement")
        page.goto("/contracts/")
        field = page.get_by_role("textbox", name="Organisation", exact=True)
        field.fill("ONS")
        page.get_by_role("button", name="Apply filters").click()
        assert _references(page) == ["CON-2026-0002"]
        expect(page.get_by_role("textbox", name="Organisation", exact=True)).to_have_value(
            "Office for National Statistics"
        )
    finally:
        context.close()
