"""The catalogue API with the demo data: exact JSON, as INTERFACE.md describes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Service

pytestmark = pytest.mark.django_db

DESKTOP_QUOTE = {
    "lines": [{"service": "desktop", "seats": 2000}],
    "term_years": 5,
    "current_cost_per_seat": "2400.00",
}


@pytest.fixture
def api(api_client, demo_user):
    api_client.force_authenticate(demo_user("procurement"))
    return api_client


def post_quote(api, body):
    return api.post(reverse("api-quote"), body, format="json")


# --- services -------------------------------------------------------------------------------


def test_service_list(api):
    response = api.get(reverse("api-service-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7 and body["next"] is None and body["previous"] is None
    assert [s["slug"] for s in body["results"]] == [
        "desktop",
        "email",
        "hr-systems",
        "intranet",
        "collaboration",
        "staff-directory",
        "wireless",
    ]
    desktop = body["results"][0]
    assert desktop == {
        "slug": "desktop",
        "name": "Standard desktop",
        "kind": "core",
        "category": "infrastructure",
        "description": Service.objects.get(slug="desktop").description,
        "pricing": {
            "scheme": "cost_share",
            "fixed_annual_cost": "5300000.00",
            "marginal_cost": "850.00",
            "floor": "900.00",
        },
        "current_unit_price": "2142.68",
        "framework_seats": 4100,
    }
    by_slug = {s["slug"]: s for s in body["results"]}
    assert by_slug["wireless"]["pricing"] == {
        "scheme": "volume",
        "bands": [
            {"up_to": 1000, "unit_price": "120.00"},
            {"up_to": 5000, "unit_price": "95.00"},
            {"up_to": 20000, "unit_price": "80.00"},
            {"up_to": None, "unit_price": "70.00"},
        ],
    }
    assert by_slug["wireless"]["current_unit_price"] == "95.00"
    assert by_slug["wireless"]["framework_seats"] == 1500
    assert by_slug["intranet"]["pricing"] == {"scheme": "flat", "unit_price": "25.00"}
    assert by_slug["hr-systems"]["current_unit_price"] == "280.00"
    assert by_slug["hr-systems"]["kind"] == "extra"
    assert by_slug["hr-systems"]["category"] == "business_applications"


def test_service_list_filters(api):
    body = api.get(reverse("api-service-list"), {"category": "integration"}).json()
    assert [s["slug"] for s in body["results"]] == ["email", "intranet", "staff-directory"]
    body = api.get(reverse("api-service-list"), {"kind": "core"}).json()
    assert [s["slug"] for s in body["results"]] == ["desktop"]
    body = api.get(reverse("api-service-list"), {"q": "wireless"}).json()
    assert [s["slug"] for s in body["results"]] == ["wireless"]


def test_service_list_bad_filter_is_400(api):
    response = api.get(reverse("api-service-list"), {"category": "bogus"})
    assert response.status_code == 400
    assert response.json() == {"category": ["Choose a category from the list"]}


def test_service_list_is_paginated(api):
    response = api.get(reverse("api-service-list"), {"page": 2})
    assert response.status_code == 404  # 7 services fit on page 1 of 50


def test_service_detail(api):
    response = api.get(reverse("api-service-detail", args=["collaboration"]))
    assert response.status_code == 200
    assert response.json()["pricing"] == {
        "scheme": "volume",
        "bands": [
            {"up_to": 2000, "unit_price": "150.00"},
            {"up_to": 10000, "unit_price": "125.00"},
            {"up_to": None, "unit_price": "100.00"},
        ],
    }
    assert response.json()["current_unit_price"] == "150.00"


def test_unknown_service_is_404(api):
    assert api.get(reverse("api-service-detail", args=["nope"])).status_code == 404
    assert api.get(reverse("api-service-price-history", args=["nope"])).status_code == 404


def test_price_history(api):
    response = api.get(reverse("api-service-price-history", args=["desktop"]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["results"] == [
        {
            "effective_at": "2026-02-16T10:00:00Z",
            "unit_price": "2970.00",
            "framework_seats": 2500,
            "reason": "Cabinet Office joined",
        },
        {
            "effective_at": "2026-09-14T10:00:00+01:00",
            "unit_price": "2559.68",
            "framework_seats": 3100,
            "reason": "ONS joined",
        },
        {
            "effective_at": "2026-11-16T10:00:00Z",
            "unit_price": "2142.68",
            "framework_seats": 4100,
            "reason": "DIUS joined",
        },
    ]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/services/", None),
        ("get", "/api/v1/services/desktop/", None),
        ("get", "/api/v1/services/desktop/price-history/", None),
        ("post", "/api/v1/quotes/", DESKTOP_QUOTE),
    ],
)
def test_api_needs_sign_in(api_client, demo, method, url, body):
    response = getattr(api_client, method)(url, body, format="json")
    assert response.status_code in (401, 403)


# --- quotes ---------------------------------------------------------------------------------


def test_quote_2000_desktops(api):
    response = post_quote(api, DESKTOP_QUOTE)
    assert response.status_code == 200
    assert response.json() == {
        "lines": [
            {
                "service": "desktop",
                "seats": 2000,
                "unit_price_now": "2142.68",
                # 5,300,000 / 6,100 = 868.852459... -> 868.85 + 850.
                "unit_price_if_joined": "1718.85",
                "annual_cost": "3437700.00",
            }
        ],
        "annual_total": "3437700.00",
        "term_total": "17188500.00",
        "savings_per_year": "1362300.00",
        "savings_percent": "28.4",
    }


def test_quote_for_the_agency_application(api):
    response = post_quote(
        api,
        {
            "lines": [
                {"service": "desktop", "seats": 2000},
                {"service": "email", "seats": 2000},
                {"service": "hr-systems", "seats": 2000},
            ],
            "term_years": 5,
            "current_cost_per_seat": "2400.00",
        },
    )
    body = response.json()
    assert [
        (line["service"], line["unit_price_now"], line["unit_price_if_joined"], line["annual_cost"])
        for line in body["lines"]
    ] == [
        ("desktop", "2142.68", "1718.85", "3437700.00"),
        ("email", "60.00", "48.00", "96000.00"),
        ("hr-systems", "280.00", "173.33", "346660.00"),
    ]
    assert body["annual_total"] == "3880360.00"
    assert body["term_total"] == "19401800.00"
    # Today's cost per desktop seat against the 2,000 core desktops (the one savings rule,
    # README "Pricing"): 2,400 x 2,000 - 3,437,700 = 1,362,300, 28.4% of 4,800,000. (Before the
    # rule was shared, the quote compared with every line's cost: 919,640.00, 19.2%.)
    assert body["savings_per_year"] == "1362300.00"
    assert body["savings_percent"] == "28.4"


def test_quote_without_current_cost_has_no_savings(api):
    body = post_quote(
        api, {"lines": [{"service": "intranet", "seats": 10}], "term_years": 3}
    ).json()
    assert body == {
        "lines": [
            {
                "service": "intranet",
                "seats": 10,
                "unit_price_now": "25.00",
                "unit_price_if_joined": "25.00",
                "annual_cost": "250.00",
            }
        ],
        "annual_total": "250.00",
        "term_total": "750.00",
    }


def test_quote_with_null_current_cost_has_no_savings(api):
    body = post_quote(api, {**DESKTOP_QUOTE, "current_cost_per_seat": None}).json()
    assert "savings_per_year" not in body and "savings_percent" not in body


def test_quote_with_zero_current_cost(api):
    body = post_quote(api, {**DESKTOP_QUOTE, "current_cost_per_seat": "0"}).json()
    assert body["savings_per_year"] == "-3437700.00"
    assert body["savings_percent"] is None


def test_quote_stores_nothing(api, django_assert_num_queries):
    # Queries: services; their bands. Authentication is forced, so none for the user.
    with django_assert_num_queries(2):
        assert post_quote(api, DESKTOP_QUOTE).status_code == 200


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"lines": [{"service": "desktop", "seats": 0}]},
            {"lines": {"0": {"seats": ["Seats must be 1 or more."]}}},
        ),
        (
            {"lines": [{"service": "desktop", "seats": -3}]},
            {"lines": {"0": {"seats": ["Seats must be 1 or more."]}}},
        ),
        (
            {"lines": [{"service": "desktop", "seats": "many"}]},
            {"lines": {"0": {"seats": ["Seats must be a whole number, like 2000."]}}},
        ),
        (
            {"lines": [{"service": "desktop", "seats": 2.5}]},
            {"lines": {"0": {"seats": ["Seats must be a whole number, like 2000."]}}},
        ),
        (
            {"lines": [{"service": "desktop", "seats": 1_000_001}]},
            {"lines": {"0": {"seats": ["Seats must be 1,000,000 or fewer."]}}},
        ),
        (
            {"lines": [{"service": "desktop"}]},
            {"lines": {"0": {"seats": ["Enter the number of seats."]}}},
        ),
        (
            {"lines": [{"service": "mainframe", "seats": 10}]},
            {"lines": {"0": {"service": ["There is no service with this slug in the catalogue."]}}},
        ),
        (
            {"lines": [{"service": "desktop", "seats": 10}, {"service": "desktop", "seats": 20}]},
            {
                "lines": {
                    "1": {
                        "service": [
                            "This service is quoted on an earlier line: one line per service."
                        ]
                    }
                }
            },
        ),
        ({"lines": []}, {"lines": {"non_field_errors": ["This list may not be empty."]}}),
        (
            {"lines": "desktop"},
            {"lines": {"non_field_errors": ['Expected a list of items but got type "str".']}},
        ),
        ({"term_years": 0}, {"term_years": ["The term must be between 1 and 10 years."]}),
        ({"term_years": 11}, {"term_years": ["The term must be between 1 and 10 years."]}),
        (
            {"term_years": "ten"},
            {"term_years": ["The term must be a whole number of years, like 5."]},
        ),
        (
            {"current_cost_per_seat": "12.345"},
            {
                "current_cost_per_seat": [
                    "The cost per seat must have no more than 2 decimal places."
                ]
            },
        ),
        (
            {"current_cost_per_seat": "abc"},
            {"current_cost_per_seat": ["Enter an amount in pounds, like 2400.00."]},
        ),
        (
            {"current_cost_per_seat": "NaN"},
            {"current_cost_per_seat": ["Enter an amount in pounds, like 2400.00."]},
        ),
        (
            {"current_cost_per_seat": "-1.00"},
            {"current_cost_per_seat": ["The cost per seat must be 0 or more."]},
        ),
        (
            {"current_cost_per_seat": "123456789.00"},
            {"current_cost_per_seat": ["The cost per seat must be 99999999.99 or less."]},
        ),
    ],
)
def test_bad_quote_is_400_with_field_errors(api, change, errors):
    response = post_quote(api, {**DESKTOP_QUOTE, **change})
    assert response.status_code == 400
    assert response.json() == errors


def test_quote_missing_everything(api):
    response = post_quote(api, {})
    assert response.status_code == 400
    assert response.json() == {
        "lines": ["This field is required."],
        "term_years": ["Enter the contract term in years."],
    }


def test_quote_that_is_not_json(api):
    response = api.post(reverse("api-quote"), "lines=desktop", content_type="application/json")
    assert response.status_code == 400
    response = api.post(reverse("api-quote"), {"term_years": 5}, format="multipart")
    assert response.status_code == 415


def test_quote_body_that_is_a_list(api):
    response = post_quote(api, [DESKTOP_QUOTE])
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_inactive_service_cannot_be_quoted(api):
    Service.objects.filter(slug="intranet").update(active=False)
    response = post_quote(api, {"lines": [{"service": "intranet", "seats": 10}], "term_years": 1})
    assert response.status_code == 400
    assert response.json() == {
        "lines": {"0": {"service": ["There is no service with this slug in the catalogue."]}}
    }
