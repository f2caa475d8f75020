"""The portal as its users meet it, in a real browser: every page checked with axe-core for
WCAG 2.2 AA and saved as a screenshot under var/screenshots/."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import PASSWORD, check_accessibility, sign_in, sign_out, start_date_ahead

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newcomer(committed_demo):
    """The CIO of a body about to join: a 1,500-desktop agency with no application yet."""
    organisation = factories.OrganisationFactory(
        slug="valuation-agency", name="Valuation Agency", kind="agency", staff=1500, desktops=1500
    )
    return factories.CIOFactory(
        username="cio-valuation", organisation=organisation, password=PASSWORD
    )


def test_a_cio_joins_and_every_member_pays_less(page, newcomer):
    from catalogue.models import Service

    price_before = Service.objects.get(slug="desktop").current_unit_price
    sign_in(page, "cio-valuation")
    check_accessibility(page, "01-start-page")

    page.get_by_role("link", name="Catalogue", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue")
    check_accessibility(page, "02-catalogue")
    page.get_by_role("link", name="Standard desktop").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Standard desktop")
    check_accessibility(page, "03-service-detail")

    page.get_by_role("link", name="Get a quote", exact=True).first.click()
    page.get_by_label("Standard desktop (seats)").fill("1500")
    page.get_by_label("Wireless access (seats)").fill("1500")
    page.get_by_label("Contract term, in years").fill("7")
    page.get_by_label(re.compile("Today's cost per seat")).fill("2600")
    page.get_by_role("button", name=re.compile("quote", re.I)).click()
    # 5,300,000 / (4,100 + 1,500) + 850 = 1,796.43 (946.428… rounds down)
    expect(page.get_by_text("falls from £2,142.68 to £1,796.43")).to_be_visible()
    check_accessibility(page, "04-quote")

    page.get_by_role("button", name="Apply to join with this quote").click()
    check_accessibility(page, "05-apply-start")
    # The answers from the quote are in: the start button continues the journey.
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Valuation Agency").check()
    check_accessibility(page, "06-apply-organisation")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Standard desktop")).to_have_value("1500")  # from the quote
    check_accessibility(page, "07-apply-services")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("textbox")).to_have_value("7")
    page.get_by_role("button", name="Continue").click()
    start = start_date_ahead()
    page.get_by_label("Day").fill(str(start.day))
    page.get_by_label("Month").fill(str(start.month))
    page.get_by_label("Year").fill(str(start.year))
    check_accessibility(page, "08-apply-start-date")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("textbox")).to_have_value("2600.00")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    check_accessibility(page, "09-apply-check-answers")
    page.get_by_role("button", name="Accept and send").click()

    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Application submitted")
    reference = re.search(r"FLEX-\d{4}-\d{4}", panel.inner_text()).group(0)
    check_accessibility(page, "10-apply-confirmation")
    page.get_by_role("link", name="Applications", exact=True).first.click()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Submitted")
    check_accessibility(page, "11-cio-applications")
    sign_out(page)

    sign_in(page, "approver")
    page.get_by_role("link", name="Applications", exact=True).first.click()
    check_accessibility(page, "12-approver-queue")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    check_accessibility(page, "13-approver-application")
    page.get_by_role("button", name="Approve application").click()
    # The confirmation page shows what approval does to every member's price, and takes a
    # note for the audit trail.
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve this application?")
    expect(page.locator("#impact-desktop")).to_contain_text("£1,796.43")
    check_accessibility(page, "13b-approver-confirmation")
    page.get_by_label(re.compile("Decision note")).fill("Business case checked")
    page.get_by_role("button", name="Approve application").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("approved")
    expect(page.locator("#events")).to_contain_text("Business case checked")
    sign_out(page)

    # Eager Celery here: the repricing ran when the approval committed.
    price_after = Service.objects.get(slug="desktop").current_unit_price
    assert price_after == Decimal("1796.43") < price_before

    sign_in(page, "cio-valuation")
    page.get_by_role("link", name="Catalogue", exact=True).first.click()
    expect(page.get_by_text("£1,796.43").first).to_be_visible()
    page.get_by_role("link", name="Contracts", exact=True).first.click()
    check_accessibility(page, "14-cio-contracts")
    row = page.locator("tbody tr").filter(has_text="Valuation Agency")
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.get_by_text("£1,796.43").first).to_be_visible()
    check_accessibility(page, "15-cio-contract-detail")


def test_a_procurement_officer_filters_contracts_and_downloads(page):
    sign_in(page, "procurement")
    page.get_by_role("link", name="Contracts", exact=True).first.click()
    check_accessibility(page, "20-contracts")
    # A text field the autocomplete enhances (no 40,000-option list): type, pick a suggestion.
    page.get_by_label("Organisation", exact=True).fill("Innovation")
    page.get_by_role("option", name="Department for Innovation, Universities and Skills").click()
    page.get_by_role("button", name=re.compile("Apply filters|Filter|Search", re.I)).first.click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # DIUS: integration and platform
    check_accessibility(page, "21-contracts-filtered")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name=re.compile("CSV")).first.click()
    csv_text = csv_download.value.path().read_text(encoding="utf-8-sig")
    assert "CON-2026-0003" in csv_text and "CON-2026-0004" in csv_text
    assert "CON-2026-0001" not in csv_text

    page.get_by_role("link", name="CON-2026-0004").click()
    check_accessibility(page, "22-contract-detail")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    assert pdf_download.value.path().read_bytes()[:5] == b"%PDF-"

    from contracts.models import ContractDownload

    assert sorted(ContractDownload.objects.values_list("kind", flat=True)) == ["csv", "pdf"]


def test_a_cio_edits_a_rollout_wave(page):
    sign_in(page, "cio-dius")
    page.get_by_role("link", name="Rollout", exact=True).first.click()
    check_accessibility(page, "30-rollout")
    page.locator(
        "a", has_text=re.compile("CON-2026-0004|Department for Innovation|DIUS")
    ).first.click()
    check_accessibility(page, "31-rollout-plan")
    page.get_by_role("link", name=re.compile("^Change")).first.click()
    check_accessibility(page, "32-rollout-wave")
    page.get_by_label("Site or business unit").fill("Sheffield, Moorfoot")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("Sheffield, Moorfoot").first).to_be_visible()

    from rollout.models import Wave

    assert (
        Wave.objects.filter(
            site="Sheffield, Moorfoot", plan__contract__reference="CON-2026-0004"
        ).count()
        == 1
    )


def test_the_framework_dashboard_is_accessible(page):
    sign_in(page, "cio-ons")
    page.get_by_role("link", name="Framework", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Flex framework")
    check_accessibility(page, "40-framework")
