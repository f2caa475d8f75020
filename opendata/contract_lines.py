"""The contract-lines CSV: every published call-off contract flattened to one row per line of
its latest release. Made a page of contracts at a time (three queries a page, bounded memory),
whether streamed to a small framework's visitors or written to the file a worker publishes
(opendata/services.py)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings

from core.spreadsheets import neutralise

from . import ocds, selectors

HEADER = [
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


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines() -> Iterator[str]:
    """The header, then one CSV line (with its line ending) per contract line."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
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
