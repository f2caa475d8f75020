"""A member changes its contract in a real browser: DIUS adds extras through the question
page and check your answers, and an approver approves it from the queue with a note. Every
page checked with axe-core (WCAG 2.2 AA) at 1,280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_dius_adds_extras_and_an_approver_approves_them(page):
    from applications.models import ChangeRequest
    from catalogue.models import PriceSnapshot
    from contracts.models import Contract

    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    sign_in(page, "cio-dius")
    page.get_by_role("link", name="Applications", exact=True).first.click()
    check_accessibility(page, "change-01-member-applications")
    page.get_by_role("link", name=f"change your contract {dius.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How many seats of each service should the contract have?"
    )
    check_accessibility(page, "change-02-seats")
    page.get_by_label("Wireless access").fill("1000")
    page.get_by_label("Human resources systems").fill("1000")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before asking for the change"
    )
    # Human resources systems: 600,000 / 3,500 + 40 = 211.43 for everyone (from 280.00).
    expect(page.locator("#impact-hr-systems")).to_contain_text("£211.43")
    check_accessibility(page, "change-03-check")
    page.get_by_role("button", name="Send change request").click()
    change = ChangeRequest.objects.get(contract=dius)
    expect(page.get_by_text(f"Change request {change.reference} sent.")).to_be_visible()
    check_accessibility(page, "change-04-request")
    sign_out(page)

    sign_in(page, "approver")
    page.get_by_role("link", name="Applications", exact=True).first.click()
    page.get_by_label("Type").select_option("change")
    page.get_by_role("button", name="Show requests").click()
    check_accessibility(page, "change-05-queue")
    page.get_by_role("link", name=change.reference).click()
    check_accessibility(page, "change-06-decide")
    page.get_by_role("button", name="Approve change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve this change request?")
    check_accessibility(page, "change-07-confirm")
    page.get_by_label(re.compile("Decision note")).fill("Within the agreed budget")
    page.get_by_role("button", name="Approve change request").click()
    expect(page.get_by_text(f"Change request {change.reference} approved.")).to_be_visible()
    check_accessibility(page, "change-08-approved")

    change.refresh_from_db()
    assert (change.status, change.reason) == ("approved", "Within the agreed budget")
    assert dict(dius.lines.values_list("service__slug", "seats"))["hr-systems"] == 1000
    assert (
        PriceSnapshot.objects.filter(service__slug="hr-systems")
        .latest()
        .reason.startswith("DIUS added 1,000 human resources systems seats")
    )
    page.goto(page.url.split("/applications/")[0] + f"/contracts/{dius.reference}/")
    expect(page.locator("#timeline")).to_contain_text("Changed")
    check_accessibility(page, "change-09-contract-timeline")
