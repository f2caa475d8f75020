"""/api/v1/contracts/: fields, filters, bad filters, one contract, routing and query counts."""

import pytest
from django.urls import resolve, reverse

from accounts.models import User
from contracts.models import ContractDownload
from tests import factories

pytestmark = pytest.mark.django_db
LIST = "/api/v1/contracts/"


@pytest.fixture
def officer(api_client, demo):
    api_client.force_authenticate(User.objects.get(username="procurement"))
    return api_client


def test_contract_fields_follow_the_interface(officer):
    response = officer.get("/api/v1/contracts/CON-2026-0004/")
    assert response.status_code == 200
    body = response.json()
    history = body.pop("history")  # one contract's timeline: its detail only
    assert [(event["kind"], event["actor"]) for event in history] == [("signed", None)]
    assert history[0]["lines"][0] == {
        "service": "desktop",
        "seats": 1000,
        "unit_price_at_signing": "2142.68",
    }
    assert body == {
        "reference": "CON-2026-0004",
        "organisation": "dius",
        "kind": "platform",
        "status": "active",
        "signed_on": "2026-11-16",
        "start_date": "2027-06-01",
        "end_date": "2034-06-01",
        "term_years": 7,
        "lines": [
            {
                "service": "desktop",
                "seats": 1000,
                "unit_price_at_signing": "2142.68",
                "current_unit_price": "2142.68",
            },
            {
                "service": "collaboration",
                "seats": 1000,
                "unit_price_at_signing": "150.00",
                "current_unit_price": "150.00",
            },
            {
                "service": "wireless",
                "seats": 400,
                "unit_price_at_signing": "95.00",
                "current_unit_price": "95.00",
            },
        ],
        "annual_value": "2330680.00",
        "total_value": "16314760.00",
        "core_value": "14998760.00",
        "previous_cost_per_seat": "2850.00",
        "savings_per_year": "707320.00",
        "savings_percent": "24.8",
        "notice_on": None,
        "ended_on": None,
    }


def test_list_is_paginated_latest_signed_first(officer):
    body = officer.get(LIST).json()
    assert body["count"] == 4
    assert (body["next"], body["previous"]) == (None, None)
    assert [c["reference"] for c in body["results"]] == [
        "CON-2026-0004",
        "CON-2026-0003",
        "CON-2026-0002",
        "CON-2026-0001",
    ]
    ons = body["results"][2]
    # ONS signed desktop at 2559.68 (3,100 framework seats); 600 x 2142.68 + 300 x 95.00 now
    assert ons["lines"][0]["unit_price_at_signing"] == "2559.68"
    assert ons["lines"][0]["current_unit_price"] == "2142.68"
    assert ons["annual_value"] == "1314108.00"
    assert ons["total_value"] == "3942324.00"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=dius", ["CON-2026-0004", "CON-2026-0003"]),
        ("kind=integration", ["CON-2026-0003"]),
        ("status=active&organisation=ons", ["CON-2026-0002"]),
        ("status=ended", []),
        ("signed_after=2026-09-14&signed_before=2026-10-05", ["CON-2026-0003", "CON-2026-0002"]),
        ("signed_before=2026-02-16", ["CON-2026-0001"]),
        ("q=statistics", ["CON-2026-0002"]),
        ("sort=reference", ["CON-2026-0001", "CON-2026-0002", "CON-2026-0003", "CON-2026-0004"]),
    ],
)
def test_filters(officer, query, expected):
    response = officer.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == expected


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("status=open", {"status": ["Select a status from the list"]}),
        ("kind=both", {"kind": ["Select a kind of contract from the list"]}),
        (
            "organisation=atlantis",
            {"organisation": ["Enter the name of an organisation that has contracts you can see"]},
        ),
        (
            "signed_after=16/11/2026",
            {
                "signed_after": [
                    "Signed on or after must be a real date, for example 5 10 2026 (or 2026-10-05)"
                ]
            },
        ),
        (
            "signed_after=2026-12-01&signed_before=2026-01-01",
            {
                "signed_before": [
                    "Signed on or before must be the same as or after signed on or after"
                ]
            },
        ),
        ("sort=-password", {"sort": ["Sort by one of the table's columns"]}),
    ],
)
def test_bad_filters_are_400_with_field_errors(officer, query, errors):
    response = officer.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert response.json() == errors


def test_a_cio_cannot_filter_by_another_organisation(api_client, demo):
    api_client.force_authenticate(User.objects.get(username="cio-ons"))
    assert api_client.get(f"{LIST}?organisation=dius").json() == {
        "organisation": ["Enter the name of an organisation that has contracts you can see"]
    }
    body = api_client.get(LIST).json()
    assert [c["reference"] for c in body["results"]] == ["CON-2026-0002"]


def test_exports_are_routed_before_references():
    assert resolve("/api/v1/contracts/export.csv").url_name == "api-contract-export-csv"
    assert resolve("/api/v1/contracts/export.xlsx").url_name == "api-contract-export-xlsx"
    assert resolve("/contracts/export.csv").url_name == "export-csv"
    assert resolve("/contracts/downloads/").url_name == "downloads"
    assert reverse("contracts:summary-pdf", args=["CON-2026-0001"]) == (
        "/contracts/CON-2026-0001/summary.pdf"
    )


def test_summary_pdf_answers_whatever_the_client_accepts(officer):
    response = officer.get(
        "/api/v1/contracts/CON-2026-0002/summary.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    missing = officer.get("/api/v1/contracts/CON-NONE/summary.pdf", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    assert ContractDownload.objects.count() == 1


def test_api_list_queries_stay_constant_as_contracts_grow(
    api_client, procurement, django_assert_num_queries
):
    api_client.force_login(procurement)
    service = factories.ServiceFactory()

    def add(count):
        for _ in range(count):
            line = factories.ContractLineFactory(service=service)
            factories.ContractLineFactory(contract=line.contract)

    # the session with its user and groups, count, the page of contracts with organisations,
    # their lines with services
    add(2)
    with django_assert_num_queries(4):
        api_client.get(LIST)
    add(60)
    with django_assert_num_queries(4):
        response = api_client.get(f"{LIST}?kind=platform&sort=-total_value")
    assert len(response.json()["results"]) == 50
