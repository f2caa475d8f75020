"""Writes to contracts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.selectors import scheme_for
from departments.models import SignUpApplication

from .models import (
    Contract,
    ContractDownload,
    ContractKind,
    ContractLine,
    ContractStatus,
    DownloadKind,
)


def contract_reference_next(*, year: int) -> str:
    """The next free `CON-<year>-NNNN` reference (callers hold a transaction)."""
    prefix = f"CON-{year}-"
    last = (
        Contract.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def contract_create_from_application(
    *, application: SignUpApplication, signed_on: dt.date
) -> Contract:
    """The active platform contract an approved application becomes.

    Each line's price at signing is the price the organisation was quoted: its service's price
    with the organisation's own seats added to the framework's ("if joined"). The repricing
    that the approval requests then brings every other member down to the same price.
    """
    contract = Contract.objects.create(
        reference=contract_reference_next(year=signed_on.year),
        organisation=application.organisation,
        kind=ContractKind.PLATFORM,
        status=ContractStatus.ACTIVE,
        signed_on=signed_on,
        start_date=max(application.requested_start, signed_on),
        term_years=application.term_years,
        previous_cost_per_seat=application.current_cost_per_seat,
        application=application,
    )
    lines = application.lines.select_related("service").prefetch_related("service__bands")
    ContractLine.objects.bulk_create(
        ContractLine(
            contract=contract,
            service=line.service,
            seats=line.seats,
            unit_price_at_signing=(
                price := scheme_for(line.service).unit_price(
                    line.service.framework_seats + line.seats
                )
            ),
            current_unit_price=price,
        )
        for line in lines
    )
    return contract


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
