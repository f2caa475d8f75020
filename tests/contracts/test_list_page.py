"""/contracts/: filters, search, sorting, pagination, totals, download links, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from contracts.models import ContractKind
from tests import factories

D = Decimal
pytestmark = pytest.mark.django_db
URL = reverse("contracts:list")


@pytest.fixture
def contracts():
    """Three organisations' contracts, each with one line of `seats` x `price`.

    annual values: ALPHA-1 1,000.00 (x 5 = 5,000.00); ALPHA-2 300.00 (x 1);
    BETA-1 20,000.00 (x 3 = 60,000.00); GAMMA-1 draft 50.00 (x 2 = 100.00)
    """
    alpha = factories.OrganisationFactory(slug="alpha", name="Alpha Agency", member=True)
    beta = factories.OrganisationFactory(slug="beta", name="Beta Board", member=True)
    gamma = factories.OrganisationFactory(slug="gamma", name="Gamma Office", member=True)
    service = factories.ServiceFactory(slug="svc", name="Svc")
    specs = [
        ("ALPHA-1", alpha, ContractKind.PLATFORM, "active", dt.date(2026, 2, 16), 5, 10, "100.00"),
        ("ALPHA-2", alpha, ContractKind.INTEGRATION, "ended", dt.date(2025, 10, 5), 1, 3, "100.00"),
        ("BETA-1", beta, ContractKind.PLATFORM, "active", dt.date(2026, 9, 14), 3, 200, "100.00"),
        ("GAMMA-1", gamma, ContractKind.PLATFORM, "draft", None, 2, 1, "50.00"),
    ]
    made = {}
    for reference, org, kind, status, signed, term, seats, price in specs:
        made[reference] = factories.ContractFactory(
            reference=reference,
            organisation=org,
            kind=kind,
            status=status,
            signed_on=signed,
            term_years=term,
        )
        factories.ContractLineFactory(
            contract=made[reference],
            service=service,
            seats=seats,
            unit_price_at_signing=D(price),
            current_unit_price=D(price),
        )
    return made


def _references(response) -> list[str]:
    return [contract.reference for contract, _ in response.context["rows"]]


@pytest.fixture
def officer_client(client, procurement):
    client.force_login(procurement)
    return client


def test_lists_every_contract_latest_signed_first_with_totals(officer_client, contracts):
    response = officer_client.get(URL)
    assert response.status_code == 200
    assert _references(response) == ["BETA-1", "ALPHA-1", "ALPHA-2", "GAMMA-1"]
    totals = response.context["totals"]
    # 1,000.00 + 300.00 + 20,000.00 + 50.00 a year; 5,000 + 300 + 60,000 + 100 over the terms
    assert totals.annual_value == D("21350.00")
    assert totals.total_value == D("65400.00")
    assertContains(response, "£21,350.00")
    assertContains(response, "£65,400.00")
    assertInHTML(
        '<a class="govuk-link" href="/contracts/export.csv" download>CSV'
        '<span class="govuk-visually-hidden"> file of the filtered contracts</span></a>',
        response.content.decode(),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"organisation": "alpha"}, ["ALPHA-1", "ALPHA-2"]),
        ({"kind": "integration"}, ["ALPHA-2"]),
        ({"status": "active"}, ["BETA-1", "ALPHA-1"]),
        ({"status": "draft"}, ["GAMMA-1"]),
        ({"signed_after": "2026-01-01"}, ["BETA-1", "ALPHA-1"]),
        ({"signed_after": "2026-02-16", "signed_before": "2026-02-16"}, ["ALPHA-1"]),
        (
            {
                "signed_after_day": "1",
                "signed_after_month": "10",
                "signed_after_year": "2025",
                "signed_before_day": "31",
                "signed_before_month": "3",
                "signed_before_year": "2026",
            },
            ["ALPHA-1", "ALPHA-2"],
        ),
        ({"q": "beta"}, ["BETA-1"]),
        ({"q": "alpha-2"}, ["ALPHA-2"]),
        ({"q": "  GAMMA office "}, ["GAMMA-1"]),
        ({"organisation": "alpha", "kind": "platform", "status": "active"}, ["ALPHA-1"]),
        ({"q": "nothing like it"}, []),
    ],
)
def test_filters(officer_client, contracts, query, expected):
    response = officer_client.get(URL, query)
    assert response.status_code == 200
    assert _references(response) == expected


def test_the_keyword_finds_an_organisation_by_its_name_as_it_is_now(officer_client, contracts):
    """The search matches the capitals the database keeps of each name and short name
    (Organisation.search_name): a rename or a new short name is found at once, the old name
    no longer, and a wildcard or a line break in the search is just text."""
    beta = contracts["BETA-1"].organisation
    beta.name, beta.short_name = "Board of Trade Remedies", "TRA"
    beta.save()
    assert _references(officer_client.get(URL, {"q": "trade REMEDIES"})) == ["BETA-1"]
    assert _references(officer_client.get(URL, {"q": "tra"})) == ["BETA-1"]
    assert _references(officer_client.get(URL, {"q": "beta board"})) == []
    assert _references(officer_client.get(URL, {"q": "Alpha%"})) == []
    assert _references(officer_client.get(URL, {"q": "_lpha"})) == []
    assert _references(officer_client.get(URL, {"q": "Remedies\nTRA"})) == []


def test_totals_cover_the_filtered_set_not_just_the_page(officer_client, contracts):
    response = officer_client.get(URL, {"organisation": "alpha"})
    totals = response.context["totals"]
    assert (totals.annual_value, totals.total_value) == (D("1300.00"), D("5300.00"))
    # Download links carry the filters, with dates in ISO form.
    response = officer_client.get(
        URL,
        {
            "organisation": "alpha",
            "signed_after_day": "5",
            "signed_after_month": "10",
            "signed_after_year": "2025",
        },
    )
    assert response.context["download_query"] == "?organisation=alpha&signed_after=2025-10-05"
    assertContains(
        response, 'href="/contracts/export.xlsx?organisation=alpha&amp;signed_after=2025-10-05"'
    )


def test_no_match_says_so(officer_client, contracts):
    response = officer_client.get(URL, {"q": "zzz"})
    assertContains(response, "No contracts found")
    assertNotContains(response, 'id="contracts"')


@pytest.mark.parametrize(
    ("sort", "expected", "header", "aria"),
    [
        ("reference", ["ALPHA-1", "ALPHA-2", "BETA-1", "GAMMA-1"], "Reference", "ascending"),
        ("-reference", ["GAMMA-1", "BETA-1", "ALPHA-2", "ALPHA-1"], "Reference", "descending"),
        ("organisation", ["ALPHA-1", "ALPHA-2", "BETA-1", "GAMMA-1"], "Organisation", "ascending"),
        (
            "-annual_value",
            ["BETA-1", "ALPHA-1", "ALPHA-2", "GAMMA-1"],
            "Annual value now",
            "descending",
        ),
        (
            "annual_value",
            ["GAMMA-1", "ALPHA-2", "ALPHA-1", "BETA-1"],
            "Annual value now",
            "ascending",
        ),
        (
            "-total_value",
            ["BETA-1", "ALPHA-1", "ALPHA-2", "GAMMA-1"],
            "Total value now",
            "descending",
        ),
        ("signed_on", ["ALPHA-2", "ALPHA-1", "BETA-1", "GAMMA-1"], "Signed on", "ascending"),
        ("-signed_on", ["BETA-1", "ALPHA-1", "ALPHA-2", "GAMMA-1"], "Signed on", "descending"),
        ("term_years", ["ALPHA-2", "GAMMA-1", "BETA-1", "ALPHA-1"], "Term", "ascending"),
    ],
)
def test_sortable_columns_announce_their_order(
    officer_client, contracts, sort, expected, header, aria
):
    response = officer_client.get(URL, {"sort": sort})
    assert _references(response) == expected
    headers = {h.label: h for h in response.context["headers"]}
    assert headers[header].aria_sort == aria
    assert [h.aria_sort for h in headers.values()].count("none") == len(headers) - 1
    assertContains(response, f'aria-sort="{aria}"')
    # Selecting the sorted column again reverses it, keeping the other filters.
    reverse_sort = sort[1:] if sort.startswith("-") else f"-{sort}"
    assert headers[header].url == f"?sort={reverse_sort}"


def test_sorting_keeps_filters_and_filters_keep_the_sort(officer_client, contracts):
    response = officer_client.get(URL, {"organisation": "alpha", "sort": "reference", "page": "1"})
    headers = {h.label: h for h in response.context["headers"]}
    assert headers["Kind"].url == "?organisation=alpha&sort=kind"
    assertContains(response, '<input type="hidden" name="sort" value="reference">', html=True)


def test_pagination_uses_the_govuk_component(officer_client):
    organisation = factories.OrganisationFactory(slug="many", name="Many", member=True)
    for number in range(30):
        factories.ContractFactory(reference=f"CON-{number:03d}", organisation=organisation)
    first = officer_client.get(URL, {"sort": "reference"})
    assert len(first.context["rows"]) == 25
    assertContains(first, 'class="govuk-pagination"')
    assertContains(first, 'href="?sort=reference&amp;page=2" rel="next"')
    assertContains(first, 'aria-current="page"')
    second = officer_client.get(URL, {"sort": "reference", "page": "2"})
    assert _references(second) == [f"CON-{n:03d}" for n in range(25, 30)]
    assertContains(second, 'href="?sort=reference&amp;page=1" rel="prev"')
    # An impossible page number shows the last page rather than an error.
    assert _references(officer_client.get(URL, {"sort": "reference", "page": "99"})) == [
        f"CON-{n:03d}" for n in range(25, 30)
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "lost"}, "status", "Select a status from the list"),
        ({"kind": "x"}, "kind", "Select a kind of contract from the list"),
        (
            {"organisation": "nowhere"},
            "organisation",
            "Enter the name of an organisation that has contracts you can see",
        ),
        (
            {"signed_after": "2026-02-30"},
            "signed_after",
            "Signed on or after must be a real date, for example 5 10 2026 (or 2026-10-05)",
        ),
        (
            {"signed_before_day": "1", "signed_before_year": "2026"},
            "signed_before",
            "Signed on or before must include a day, month and year",
        ),
        (
            # A two-digit year is refused as GOV.UK's date input pattern words it.
            {"signed_after_day": "1", "signed_after_month": "1", "signed_after_year": "26"},
            "signed_after",
            "Year must include 4 numbers",
        ),
        (
            {"signed_after": "2026-05-01", "signed_before": "2026-04-01"},
            "signed_before",
            "Signed on or before must be the same as or after signed on or after",
        ),
        ({"sort": "password"}, "sort", "Sort by one of the table's columns"),
    ],
)
def test_bad_filters_show_the_error_summary(officer_client, contracts, query, field, message):
    response = officer_client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    content = response.content.decode()
    assert "<title>Error: Contracts" in content
    assertContains(response, 'class="govuk-error-summary"')
    anchor = f"id_{field}_0" if field.startswith("signed") else f"id_{field}"
    assertInHTML(f'<li><a href="#{anchor}">{message}</a></li>', content)
    assertContains(response, f'id="id_{field}-error"')
    assert "rows" not in response.context
    assertNotContains(response, "export.csv")


def test_a_cio_may_filter_only_by_their_own_organisation(client, cio, contracts):
    own = factories.ContractFactory(reference="OWN-1", organisation=cio.organisation)
    client.force_login(cio)
    response = client.get(URL)
    assert _references(response) == [own.reference]
    # A text field, not a list: their own organisation by name works, anyone else's is
    # answered as if it did not exist.
    response = client.get(URL, {"organisation": cio.organisation.name})
    assert _references(response) == [own.reference]
    response = client.get(URL, {"organisation": "alpha"})
    assert response.context["form"].errors == {
        "organisation": ["Enter the name of an organisation that has contracts you can see"]
    }


def test_list_page_queries_stay_constant_as_contracts_grow(
    officer_client, procurement, django_assert_num_queries
):
    service = factories.ServiceFactory()

    def add(count):
        for _ in range(count):
            line = factories.ContractLineFactory(service=service)
            factories.ContractLineFactory(contract=line.contract)

    # the session with its user and groups, the count with the totals (of stored annual values) in
    # one pass, the page of contracts with organisations, their lines with services; no list
    # of organisations
    add(2)
    with django_assert_num_queries(4):
        officer_client.get(URL)
    add(30)
    with django_assert_num_queries(4):
        response = officer_client.get(URL, {"sort": "-annual_value", "kind": "platform"})
    assert len(response.context["rows"]) == 25
