"""Writes to contracts: signing one, keeping its lines at the framework price, and recording
downloads. Every write to the contracts tables goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from catalogue.models import Service
from catalogue.pricing import unit_price_if_joined
from catalogue.selectors import scheme_for
from core.references import reference_next
from organisations.models import Organisation

from .models import (
    Contract,
    ContractDownload,
    ContractLine,
    ContractStatus,
    DownloadKind,
)

REFERENCE_PREFIX = "CON"


@dataclass(frozen=True)
class LineInput:
    """Seats of one service (its bands prefetched) to put on a contract."""

    service: Service
    seats: int


@transaction.atomic
def contract_create(
    *,
    organisation: Organisation,
    kind: str,
    lines: Sequence[LineInput],
    signed_on: dt.date,
    start_date: dt.date,
    term_years: int,
    previous_cost_per_seat: Decimal | None = None,
) -> Contract:
    """An active contract, signed on `signed_on`.

    Each line's price at signing is the price the organisation was quoted: its service's price
    with the organisation's own seats added to the framework's ("if joined"). The repricing
    that the caller requests then brings every other member to the same price.
    """
    contract = Contract.objects.create(
        reference=reference_next(prefix=REFERENCE_PREFIX, year=signed_on.year, model=Contract),
        organisation=organisation,
        kind=kind,
        status=ContractStatus.ACTIVE,
        signed_on=signed_on,
        start_date=start_date,
        term_years=term_years,
        previous_cost_per_seat=previous_cost_per_seat,
    )
    ContractLine.objects.bulk_create(
        ContractLine(
            contract=contract,
            service=line.service,
            seats=line.seats,
            unit_price_at_signing=(
                price := unit_price_if_joined(
                    scheme_for(line.service),
                    framework_seats=line.service.framework_seats,
                    seats=line.seats,
                )
            ),
            current_unit_price=price,
        )
        for line in lines
    )
    return contract


def contract_lines_reprice() -> int:
    """Bring every active contract line to its service's current price, in one set-based
    statement however many lines there are. Returns the number of lines changed; the caller
    (the repricing run) holds the transaction."""
    return (
        ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
        .exclude(current_unit_price=F("service__current_unit_price"))
        .update(current_unit_price=_service_price_subquery())
    )


def _service_price_subquery() -> Subquery:
    return Subquery(
        Service.objects.filter(pk=OuterRef("service_id"))
        .order_by()  # one row by primary key: no need for the catalogue's ordering
        .values("current_unit_price")[:1]
    )


@transaction.atomic
def contract_download_record(
    *,
    user: User,
    kind: DownloadKind,
    contract: Contract | None = None,
    filters: dict[str, str] | None = None,
    rows: int | None = None,
) -> ContractDownload:
    """Record a download that has been served: one contract's summary, or a filtered list."""
    download = ContractDownload(
        user=user,
        at=timezone.now(),
        kind=kind,
        contract=contract,
        filters=filters or {},
        rows=rows,
    )
    download.full_clean()
    download.save()
    return download
