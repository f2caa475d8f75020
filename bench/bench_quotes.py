"""Quotes per second: through the pure engine (`catalogue.pricing.quote`) and through
`POST /api/v1/quotes/` (Django's test client, in process: routing, token authentication, DRF
validation, the two catalogue queries, pricing and JSON, without a network or a web server).

Runs on a throwaway database that it creates and drops: a PostgreSQL database next to
DATABASE_URL's when that is PostgreSQL, otherwise a temporary SQLite file. Never the
developer's data.

    .venv/bin/python -m bench.bench_quotes
"""

from __future__ import annotations

import json
from decimal import Decimal

from bench.support import SECONDS, rate, throwaway_django

# The agency's application: three services, 2,000 seats each, five years.
QUOTE = {
    "lines": [
        {"service": "desktop", "seats": 2000},
        {"service": "email", "seats": 2000},
        {"service": "hr-systems", "seats": 2000},
    ],
    "term_years": 5,
    "current_cost_per_seat": "2400.00",
}


def run() -> list[dict]:
    with throwaway_django("quotes"):
        return _measure()


def _measure() -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.services import api_token_issue
    from catalogue import pricing, selectors
    from demo.loader import load_flex_demo

    load_flex_demo(with_users=True)
    services = selectors.active_services_by_slug()
    lines = [
        pricing.QuoteRequestLine(
            service=selectors.priced_service(services[line["service"]]), seats=line["seats"]
        )
        for line in QUOTE["lines"]
    ]
    expected_total = Decimal("3880360.00")

    def engine_quote() -> None:
        result = pricing.quote(lines, term_years=5, current_cost_per_seat=Decimal("2400.00"))
        assert result.annual_total == expected_total

    engine_rate, engine_count = rate(engine_quote)

    _, key = api_token_issue(user=get_user_model().objects.get(username="procurement"))
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    body = json.dumps(QUOTE)

    def api_quote() -> None:
        response = client.post("/api/v1/quotes/", body, content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["annual_total"] == str(expected_total)

    api_rate, api_count = rate(api_quote)
    return [
        {
            "benchmark": "quotes/s via pricing.quote() (3 lines)",
            "figure": f"{engine_rate:,.0f} quotes/s ({engine_count:,} in {SECONDS:g} s)",
            "target": ">= 10,000 quotes/s",
        },
        {
            "benchmark": "quotes/s via POST /api/v1/quotes/ (3 lines, in-process)",
            "figure": f"{api_rate:,.0f} quotes/s ({api_count:,} in {SECONDS:g} s)",
            "target": ">= 100 quotes/s",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['figure']} (target {row['target']})")
