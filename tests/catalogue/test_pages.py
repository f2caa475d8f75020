"""Catalogue pages with the demo data: figures written by hand from the pricing rules."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from catalogue.models import Service
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's main content as plain text, whitespace collapsed."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


@pytest.fixture
def signed_in(client, demo_user):
    client.force_login(demo_user("procurement"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/",
        "/catalogue/desktop/",
        "/catalogue/desktop/price-history.csv",
        "/quote/",
        "/framework/",
    ],
)
def test_pages_need_sign_in(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- /catalogue/ ----------------------------------------------------------------------------


def test_catalogue_groups_services_by_category_with_prices(signed_in):
    response = signed_in.get(reverse("catalogue:list"))
    assert response.status_code == 200
    text = text_of(response)
    headings = re.findall(r'<h2 class="govuk-heading-l">([^<]+)</h2>', response.content.decode())
    assert headings == ["Infrastructure", "Collaboration", "Business applications", "Integration"]
    assert "7 services" in text
    assert "Standard desktop" in text and "£2,142.68" in text
    assert re.search(r"Standard desktop.*?Core service.*?£2,142\.68", text)
    assert re.search(r"Wireless access.*?Optional extra.*?£95\.00", text)
    assert re.search(r"Human resources systems.*?Optional extra.*?£280\.00", text)
    assert re.search(r"Staff directory integration.*?Optional extra.*?£12\.00", text)
    body = response.content.decode()
    assert body.count("govuk-tag--blue") == 1  # one core service
    assert body.count("Optional extra</strong>") == 6


def test_catalogue_keyword_search(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:list"), {"q": "wireless"}))
    assert "1 service found" in text
    assert "Wireless access" in text and "Standard desktop" not in text


def test_catalogue_keyword_search_matches_what_is_included(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:list"), {"q": "payroll"}))
    assert "1 service found" in text and "Human resources systems" in text


def test_catalogue_category_filter(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:list"), {"category": "integration"}))
    assert "3 services found" in text
    for name in ("Email integration", "Intranet integration", "Staff directory integration"):
        assert name in text
    assert "Standard desktop" not in text


def test_catalogue_search_with_no_match(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:list"), {"q": "mainframe"}))
    assert "0 services found" in text
    assert "No services match your search" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "bogus"}, "Choose a category from the list"),
        ({"kind": "premium"}, "Choose core service or optional extra"),
        ({"q": "x" * 101}, "Search words must be 100 characters or fewer"),
    ],
)
def test_catalogue_bad_search_shows_the_error_summary(signed_in, params, message):
    response = signed_in.get(reverse("catalogue:list"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Catalogue" in body
    assert "govuk-error-summary" in body
    assert message in body


def test_inactive_service_is_not_listed(signed_in):
    Service.objects.filter(slug="intranet").update(active=False)
    text = text_of(signed_in.get(reverse("catalogue:list")))
    assert "Intranet integration" not in text
    detail = signed_in.get(reverse("catalogue:detail", args=["intranet"]))
    assert detail.status_code == 200
    assert "no longer offered" in text_of(detail)


# --- /catalogue/<slug>/ ---------------------------------------------------------------------


def test_desktop_detail_explains_the_cost_share(signed_in):
    response = signed_in.get(reverse("catalogue:detail", args=["desktop"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Standard desktop" in text
    assert "A managed, secure desktop" in text
    assert "Windows and office software" in text  # what is included
    assert "£2,142.68" in text
    assert "a fixed annual cost of £5,300,000.00 is shared equally by every seat" in text
    assert "each seat also pays a marginal cost of £850.00" in text
    assert "the price never falls below the floor of £900.00 per seat" in text
    # 5,300,000 / (900.005 - 850) = 105,989.4: the shown price is £900.00 from 105,990 seats.
    assert "the floor is reached when the framework has 105,990 seats" in text
    assert "With 4,100 seats on the framework today, every member pays £2,142.68" in text


def test_volume_detail_explains_the_bands(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:detail", args=["wireless"])))
    assert "every member pays £120.00 while the framework has 1,000 seats or fewer" in text
    assert "every member pays £95.00 while the framework has 1,001 to 5,000 seats" in text
    assert "every member pays £80.00 while the framework has 5,001 to 20,000 seats" in text
    assert "every member pays £70.00 once the framework has more than 20,000 seats" in text
    assert "With 1,500 seats on the framework today, every member pays £95.00" in text


def test_flat_detail(signed_in):
    text = text_of(signed_in.get(reverse("catalogue:detail", args=["intranet"])))
    assert "Every member pays £25.00 per seat a year, however many seats the framework has." in text


def test_detail_has_an_accessible_chart_and_data_table(signed_in):
    response = signed_in.get(reverse("catalogue:detail", args=["desktop"]))
    body = response.content.decode()
    svg = re.search(r"<svg class=\"flex-chart\".*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="price-history-desktop-title price-history-desktop-desc"' in svg
    assert (
        '<title id="price-history-desktop-title">Standard desktop: price per seat a year over time</title>'
        in svg
    )
    assert "£2,970.00 at first, £2,142.68 now" in svg
    table = body[body.index('id="price-history-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split() for row in rows]
    assert [" ".join(c) for c in cells] == [
        "16 February 2026 Cabinet Office joined 2,500 £2,970.00",
        "14 September 2026 ONS joined 3,100 £2,559.68",
        "16 November 2026 DIUS joined 4,100 £2,142.68",
    ]
    assert reverse("catalogue:price-history-csv", args=["desktop"]) in body


def test_price_history_csv(signed_in):
    response = signed_in.get(reverse("catalogue:price-history-csv", args=["desktop"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="desktop-price-history.csv"'
    assert response.content.decode().splitlines() == [
        "effective_at,framework_seats,unit_price,reason,caused_by",
        "2026-02-16T10:00:00+00:00,2500,2970.00,Cabinet Office joined,Cabinet Office",
        "2026-09-14T09:00:00+00:00,3100,2559.68,ONS joined,Office for National Statistics",
        '2026-11-16T10:00:00+00:00,4100,2142.68,DIUS joined,"Department for Innovation, Universities and Skills"',
    ]


def test_price_history_csv_defuses_formulas(signed_in):
    desktop = Service.objects.get(slug="desktop")
    factories.PriceSnapshotFactory(service=desktop, reason='=HYPERLINK("x")')
    lines = (
        signed_in.get(reverse("catalogue:price-history-csv", args=["desktop"]))
        .content.decode()
        .splitlines()
    )
    assert lines[-1].endswith(',"\'=HYPERLINK(""x"")",')


@pytest.mark.parametrize(
    "trigger", ["+", "-", "@", "\t", "\r"], ids=["plus", "minus", "at", "tab", "cr"]
)
def test_price_history_csv_defuses_every_formula_trigger(signed_in, trigger):
    desktop = Service.objects.get(slug="desktop")
    member = factories.OrganisationFactory(slug="hostile", name=f"{trigger}SUM(A1) agency")
    factories.PriceSnapshotFactory(
        service=desktop, reason=f"{trigger}cmd|'/C calc'!A0", caused_by=member
    )
    content = signed_in.get(reverse("catalogue:price-history-csv", args=["desktop"])).content
    rows = list(csv.DictReader(io.StringIO(content.decode(), newline="")))
    row = next(r for r in rows if r["caused_by"].endswith("SUM(A1) agency"))
    assert row["reason"] == f"'{trigger}cmd|'/C calc'!A0"
    assert row["caused_by"] == f"'{trigger}SUM(A1) agency"


@pytest.mark.parametrize(
    "url", ["/catalogue/no-such-service/", "/catalogue/no-such-service/price-history.csv"]
)
def test_unknown_service_is_404(signed_in, url):
    assert signed_in.get(url).status_code == 404


# --- /framework/ ----------------------------------------------------------------------------


def test_framework_dashboard_with_the_demo(signed_in):
    response = signed_in.get(reverse("framework:framework"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Standard desktop price per seat a year now £2,142.68" in text
    assert "Standard desktop seats on the framework 4,100" in text
    assert "Members 3" in text
    # Members: DIUS's two contracts add up; extras listed by name.
    assert (
        "Cabinet Office 16 February 2026 2,500 Email integration: 2,500 Human resources systems: 2,500 Intranet integration: 2,500 Wireless access: 800"
        in text
    )
    assert (
        "Department for Innovation, Universities and Skills 5 October 2026 1,000 Email integration: 1,000"
        in text
    )
    assert "Office for National Statistics 14 September 2026 600 Wireless access: 300" in text
    # Seats per service: members, seats, price.
    assert "Standard desktop Core service 3 4,100 £2,142.68" in text
    assert "Wireless access Optional extra 3 1,500 £95.00" in text
    assert "Email integration Optional extra 2 3,500 £60.00" in text
    # Savings: (3300-2142.68)*2500 + (2800-2142.68)*600 + (2850-2142.68)*1000.
    assert "£3,995,012.00 a year" in text
    assert "That is 31.3% less than the £12,780,000.00 a year they paid before" in text
    assert "Aim met Members pay 31.3% less, beyond the 20% aim." in text
    # Each member's previous cost and saving are for Cabinet Office staff only
    # (tests/framework/test_confidentiality.py): a procurement officer sees the totals.
    assert "£3,300.00" not in text and "CON-2026-0001" not in text


def test_framework_chart_labels_each_drop_with_its_member(signed_in):
    body = signed_in.get(reverse("framework:framework")).content.decode()
    svg = re.search(r"<svg class=\"flex-chart\".*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and '<title id="core-price-history-title">' in svg
    labels = re.findall(
        r'<tspan x="[\d.]+" font-weight="bold">([^<]+)</tspan><tspan x="[\d.]+" dy="16">([^<]+)</tspan>',
        svg,
    )
    assert labels == [("Cabinet Office", "£2,970.00"), ("ONS", "£2,559.68"), ("DIUS", "£2,142.68")]
    table = body[body.index('id="core-price-table"') :]
    assert "ONS joined" in table and "DIUS joined" in table


def test_framework_savings_fall_short_of_the_aim(client, db):
    desktop = factories.CostShareServiceFactory(
        slug="desktop", current_unit_price="950.00", framework_seats=100
    )
    contract = factories.ContractFactory(previous_cost_per_seat="1000.00")
    factories.ContractLineFactory(contract=contract, service=desktop, seats=100)
    client.force_login(factories.ProcurementOfficerFactory())
    text = text_of(client.get(reverse("framework:framework")))
    assert "£5,000.00 a year" in text
    assert "Not yet met Members pay 5.0% less: 25.0% of the way to the 20% aim." in text


def test_framework_dashboard_with_no_members(client, db):
    client.force_login(factories.ProcurementOfficerFactory())
    response = client.get(reverse("framework:framework"))
    assert response.status_code == 200
    assert "There are no members yet." in text_of(response)


def test_framework_dashboard_shows_the_onboarding_lead_time(client, demo):
    import datetime as dt

    from applications.models import ApplicationStatus, SignUpApplication

    client.force_login(factories.ProcurementOfficerFactory())
    assert "No applications decided yet" in client.get("/framework/").content.decode()

    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")
    application.status = ApplicationStatus.REJECTED
    application.reason = "Test"
    application.decided_at = application.submitted_at + dt.timedelta(days=30, hours=12)
    application.decided_by = factories.ApproverFactory()
    application.save()
    body = client.get("/framework/").content.decode()
    assert "30.5 days from submission to decision, over 1 decided application" in body
    assert "About 4 months" in body
