"""/open-data/: what the framework publishes, for anyone: the OCDS release package and a CSV
with one row per contract line."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.spreadsheets import neutralise

from . import ocds, selectors

CSV_HEADER = [
    "ocid",
    "release_id",
    "contract_reference",
    "contract_kind",
    "contract_status",
    "buyer",
    "supplier",
    "date_signed",
    "contract_start",
    "contract_end",
    "term_years",
    "amendments",
    "item_id",
    "service",
    "seats",
    "unit_value_at_signing_gbp",
    "annual_value_at_signing_gbp",
]


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/open_data.html",
        {"ocid_prefix": settings.OCDS_OCID_PREFIX, "page_size": settings.OCDS_PAGE_SIZE},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def contract_lines_csv(request: HttpRequest) -> HttpResponse:
    """Every published contract's current lines, a page of contracts at a time (bounded
    memory, three queries a page)."""
    response = StreamingHttpResponse(_csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="flex-contract-lines.csv"'
    return response


def _csv_lines() -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    publisher = selectors.publisher()
    for call_off in selectors.call_offs(size=settings.OCDS_PAGE_SIZE):
        latest = call_off.steps[-1]
        amendments = sum(1 for step in call_off.steps if step.kind == "changed")
        for line in latest.lines:
            row = [
                ocds.ocid(publisher, call_off.reference),
                ocds.release_id(call_off),
                call_off.reference,
                call_off.kind_label,
                "terminated" if call_off.status == "ended" else "active",
                call_off.buyer_name,
                publisher.supplier_name,
                call_off.signed.date().isoformat(),
                call_off.start.date().isoformat(),
                call_off.end.date().isoformat(),
                call_off.term_years,
                amendments,
                f"{call_off.reference}-{line.service_slug}",
                line.service_name,
                line.seats,
                f"{line.unit_price_at_signing:.2f}",
                f"{line.seats * line.unit_price_at_signing:.2f}",
            ]
            yield writer.writerow([neutralise(str(cell)) for cell in row])
