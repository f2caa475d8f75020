"""The framework's call-off contracts as Open Contracting Data Standard 1.1 releases, as plain
Python over dataclasses: no ORM, no I/O (opendata/selectors.py reads, this shapes).

One release per contract, describing it as its latest step left it:
- `ocid`: OCDS_OCID_PREFIX + the contract reference, stable for the contract's life;
- `id`: the reference and its latest timeline event, so a release never changes: a change,
  notice or ending makes a new release with a new id;
- the award (the signing: its lines, value over the term at the prices agreed, the supplier)
  and the contract (its lines now, each at its price at signing; its period; an amendment
  per approved change, from the contract's timeline, `contracts.ContractEvent`).

Commercially confidential figures (the organisation's previous cost per seat, and so its
savings) are never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

OCDS_VERSION = "1.1"
CURRENCY = "GBP"
SUPPLIER_ID = "flex-supplier"
LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class Line:
    """One line of a contract at one step: a service, its seats, the price at signing."""

    service_slug: str
    service_name: str
    seats: int
    unit_price_at_signing: Decimal


@dataclass(frozen=True)
class Step:
    """One event of a contract's timeline: what happened, when, why, and its lines after."""

    event_id: int
    kind: str  # contracts.models.ContractEventKind
    at: dt.datetime
    detail: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class CallOff:
    """What a release is made from."""

    reference: str
    kind_label: str
    status: str  # contracts.models.ContractStatus: active, ended
    buyer_slug: str
    buyer_name: str
    signed: dt.datetime  # the day it was signed, from midnight in London
    start: dt.datetime
    end: dt.datetime
    term_years: int
    steps: tuple[Step, ...]  # oldest first, the signing first


@dataclass(frozen=True)
class Publisher:
    ocid_prefix: str
    name: str
    supplier_name: str


def _money(amount: Decimal) -> dict[str, Any]:
    # OCDS amounts are JSON numbers; every figure here is whole pence, which a float keeps.
    return {"amount": float(amount), "currency": CURRENCY}


def _when(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def lines_value(lines: Sequence[Line], term_years: int) -> Decimal:
    """The lines over the whole term at their prices at signing (each price is whole pence, so
    the product is exact; the same figure as `contracts.values`' total value at signing)."""
    return sum((line.seats * line.unit_price_at_signing for line in lines), Decimal("0.00")) * (
        term_years
    )


def _items(lines: Sequence[Line], reference: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{reference}-{line.service_slug}",
            "description": line.service_name,
            "quantity": line.seats,
            "unit": {"name": "Seat per year", "value": _money(line.unit_price_at_signing)},
        }
        for line in lines
    ]


def ocid(publisher: Publisher, reference: str) -> str:
    return f"{publisher.ocid_prefix}{reference}"


def release_id(call_off: CallOff) -> str:
    return f"{call_off.reference}-{call_off.steps[-1].event_id}"


def release(call_off: CallOff, publisher: Publisher) -> dict[str, Any]:
    signing, latest = call_off.steps[0], call_off.steps[-1]
    changes = [step for step in call_off.steps if step.kind == "changed"]
    tag = ["award", "contract"]
    if changes:
        tag.append("contractAmendment")
    if call_off.status == "ended":
        tag.append("contractTermination")
    buyer_id = f"buyer-{call_off.buyer_slug}"
    buyer = {"id": buyer_id, "name": call_off.buyer_name}
    supplier = {"id": SUPPLIER_ID, "name": publisher.supplier_name}
    award_id = f"{call_off.reference}-award"
    period = {"startDate": _when(call_off.start), "endDate": _when(call_off.end)}
    return {
        "ocid": ocid(publisher, call_off.reference),
        "id": release_id(call_off),
        "date": _when(latest.at),
        "tag": tag,
        "initiationType": "tender",
        "language": "en",
        "parties": [
            {**buyer, "roles": ["buyer"]},
            {**supplier, "roles": ["supplier"]},
        ],
        "buyer": buyer,
        "awards": [
            {
                "id": award_id,
                "title": f"{call_off.kind_label} {call_off.reference}",
                "status": "active",
                "date": _when(call_off.signed),
                "value": _money(lines_value(signing.lines, call_off.term_years)),
                "suppliers": [supplier],
                "items": _items(signing.lines, call_off.reference),
                "contractPeriod": period,
            }
        ],
        "contracts": [
            {
                "id": call_off.reference,
                "awardID": award_id,
                "title": f"{call_off.kind_label} {call_off.reference}",
                "status": "terminated" if call_off.status == "ended" else "active",
                "period": period,
                "value": _money(lines_value(latest.lines, call_off.term_years)),
                "items": _items(latest.lines, call_off.reference),
                "dateSigned": _when(call_off.signed),
                "amendments": [
                    {
                        "id": f"{call_off.reference}-amendment-{step.event_id}",
                        "date": _when(step.at),
                        "rationale": step.detail or "Seats changed",
                        "description": "; ".join(
                            f"{line.seats:,} seats of {line.service_name}" for line in step.lines
                        ),
                    }
                    for step in changes
                ],
            }
        ],
    }


def release_package(
    *,
    releases: list[dict[str, Any]],
    publisher: Publisher,
    uri: str,
    published: dt.datetime,
    next_uri: str | None,
) -> dict[str, Any]:
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _when(published),
        "publisher": {"name": publisher.name},
        "license": LICENCE,
        "releases": releases,
    }
    if next_uri:
        # The OCDS convention for a package published a page at a time.
        package["links"] = {"next": next_uri}
    return package
