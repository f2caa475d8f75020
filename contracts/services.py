"""Writes to contracts: signing one, keeping its lines at the framework price, notice and
ending, and recording downloads. Every write to the contracts tables goes through here, and
every change to a contract writes a ContractEvent (its timeline) in the same transaction.

Ending a contract changes framework seats, so callers that end one (applications/lifecycle.py)
also ask for a repricing in the same transaction; this app knows contracts, not prices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from catalogue.models import Service
from catalogue.pricing import unit_price_if_joined
from catalogue.selectors import scheme_for
from core.errors import Conflict
from core.references import reference_next
from organisations.models import Organisation

from . import tally
from .models import (
    Contract,
    ContractDownload,
    ContractEvent,
    ContractEventKind,
    ContractLine,
    ContractStatus,
    DownloadKind,
)
from .selectors import framework_seats_by_service

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
    actor: User | None = None,
) -> Contract:
    """An active contract, signed on `signed_on` (`actor`: who approved it; None for the
    portal itself, as in the demo loader).

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
    contract_annual_values_refresh(contracts=Contract.objects.filter(pk=contract.pk))
    contract.refresh_from_db(fields=["annual_value"])
    _event(
        contract=contract,
        kind=ContractEventKind.SIGNED,
        actor=actor,
        detail=f"Signed for {contract.term_years} years from {contract.start_date:%-d %B %Y}.",
    )
    return contract


class ContractNotActive(Conflict):
    """The contract has ended (or never started): it cannot change (HTTP 409)."""


def contract_lock(*, contract_id: int) -> Contract:
    """The contract re-read under a row lock for the rest of the caller's transaction."""
    return (
        Contract.objects.select_related("organisation")
        .select_for_update(of=("self",))
        .get(pk=contract_id)
    )


def _require_active(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise ContractNotActive(
            f"Contract {contract.reference} is {contract.get_status_display().lower()}, "
            "so it cannot change."
        )


def contract_end_date_validate(*, contract: Contract, on: dt.date, today: dt.date) -> None:
    """A contract can be ended from today until the end of its term, not before or after."""
    if on < today:
        raise ValidationError({"on": ["The end date must be today or in the future."]})
    if on > contract.end_date:
        raise ValidationError(
            {
                "on": [
                    f"The end date must be on or before the end of the contract's term, "
                    f"{contract.end_date:%-d %B %Y}."
                ]
            }
        )


@transaction.atomic
def contract_notice_give(
    *, contract: Contract, on: dt.date, actor: User, reason: str = "", today: dt.date | None = None
) -> Contract:
    """Record notice to end the contract on `on`, a later day within its term; the daily
    expiry (applications/lifecycle.py) ends it then. The caller checked the actor's right."""
    today = today or timezone.localdate()
    contract = contract_lock(contract_id=contract.pk)
    _require_active(contract)
    contract_end_date_validate(contract=contract, on=on, today=today)
    if on == today:
        raise ValidationError({"on": ["To end the contract today, end it now."]})
    contract.notice_on = on
    contract.save(update_fields=["notice_on"])
    _event(
        contract=contract,
        kind=ContractEventKind.NOTICE_GIVEN,
        actor=actor,
        detail=f"To end on {on:%-d %B %Y}. {reason}".strip(),
    )
    return contract


@transaction.atomic
def contract_end(
    *,
    contract: Contract,
    on: dt.date,
    actor: User | None,
    reason: str = "",
    expired: bool = False,
) -> Contract:
    """End the contract on `on` (today, or the day its notice or term ran out): it becomes
    `ended` and its seats stop counting towards framework seats. Its lines keep the last price
    they were charged. The caller asks for the repricing in the same transaction."""
    contract = contract_lock(contract_id=contract.pk)
    _require_active(contract)
    contract.status = ContractStatus.ENDED
    contract.ended_on = on
    contract.save(update_fields=["status", "ended_on"])
    _event(
        contract=contract,
        kind=ContractEventKind.EXPIRED if expired else ContractEventKind.ENDED,
        actor=actor,
        detail=reason,
    )
    return contract


@transaction.atomic
def contract_lines_change(
    *, contract: Contract, seats_after: Sequence[LineInput], actor: User, detail: str
) -> Contract:
    """Set the seats each named service should have on the contract (0 removes its line; the
    services not named keep theirs), in one transaction. A new line is priced as if its seats
    joined the framework (the price the change makes); a changed line keeps its price at
    signing, and the change is on the contract's timeline. The caller checked the change (see
    applications) and asks for the repricing in the same transaction.

    Raises ContractNotActive (409), or ValidationError when no line would be left (that is
    leaving, not a change)."""
    contract = contract_lock(contract_id=contract.pk)
    _require_active(contract)
    lines = {line.service_id: line for line in contract.lines.all()}
    # Committed seats, read before any line changes: a repricing still pending does not
    # change what a new line is priced at.
    committed = framework_seats_by_service(
        change.service.pk for change in seats_after if change.service.pk not in lines
    )
    for change in seats_after:
        line = lines.get(change.service.pk)
        if change.seats == 0:
            if line is not None:
                line.delete()
                del lines[change.service.pk]
        elif line is not None:
            line.seats = change.seats
            line.full_clean()
            line.save(update_fields=["seats"])
        else:
            price = unit_price_if_joined(
                scheme_for(change.service),
                framework_seats=committed.get(change.service.pk, 0),
                seats=change.seats,
            )
            lines[change.service.pk] = ContractLine.objects.create(
                contract=contract,
                service=change.service,
                seats=change.seats,
                unit_price_at_signing=price,
                current_unit_price=price,
            )
    if not lines:
        raise ValidationError(
            {"lines": ["A contract needs at least one line: to end it, give notice instead."]}
        )
    contract_annual_values_refresh(contracts=Contract.objects.filter(pk=contract.pk))
    contract.refresh_from_db(fields=["annual_value"])
    _event(contract=contract, kind=ContractEventKind.CHANGED, actor=actor, detail=detail)
    return contract


def _event(*, contract: Contract, kind: str, actor: User | None, detail: str = "") -> None:
    ContractEvent.objects.create(
        contract=contract,
        at=timezone.now(),
        actor=actor,
        kind=kind,
        detail=detail,
        lines=[
            {"service": slug, "seats": seats, "unit_price_at_signing": str(price)}
            for slug, seats, price in contract.lines.order_by(
                "service__kind", "service__name"
            ).values_list("service__slug", "seats", "unit_price_at_signing")
        ],
    )


def contract_lines_reprice() -> int:
    """Bring every active contract line to its service's current price, and every active
    contract's stored annual value with it: two set-based statements however many lines there
    are, in the caller's transaction (the repricing run holds it). Returns the number of lines
    changed."""
    changed = (
        ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
        .exclude(current_unit_price=F("service__current_unit_price"))
        .update(current_unit_price=_service_price_subquery())
    )
    if changed:
        _annual_values_store(Contract.objects.filter(status=ContractStatus.ACTIVE))
    return changed


ANNUAL_VALUE_FIELD = DecimalField(max_digits=16, decimal_places=2)


def annual_value_expression() -> Coalesce:
    """A contract's annual value in SQL, for the contract in the outer query: the sum of its
    lines' seats times their current unit prices, the same sum as
    `values.contract_figures(...).annual_value` (whole seats times prices already rounded to
    the penny, so nothing rounds again). tests/contracts/test_annual_value.py holds the two
    equal after every write."""
    per_contract = (
        ContractLine.objects.filter(contract_id=OuterRef("pk"))
        .order_by()
        .values("contract_id")
        .annotate(total=Sum(F("seats") * F("current_unit_price"), output_field=ANNUAL_VALUE_FIELD))
        .values("total")
    )
    return Coalesce(
        Subquery(per_contract, output_field=ANNUAL_VALUE_FIELD),
        Value(Decimal("0.00")),
        output_field=ANNUAL_VALUE_FIELD,
    )


@transaction.atomic
def contract_annual_values_refresh(*, contracts: QuerySet[Contract]) -> int:
    """Store the annual value of each of `contracts` from its lines, in one statement; only rows
    whose stored value is out of date are written. Called by every write here that changes
    lines or their prices, and by loaders that bulk-insert lines (demo/scale.py)."""
    return _annual_values_store(contracts)


def _annual_values_store(contracts: QuerySet[Contract]) -> int:
    """`contract_annual_values_refresh` in the caller's transaction (no savepoint)."""
    value = annual_value_expression()
    return (
        contracts.order_by()
        .annotate(fresh_annual_value=value)
        .exclude(annual_value=F("fresh_annual_value"))
        .update(annual_value=annual_value_expression())
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


def contract_tally_compact() -> int:
    """Fold the running tallies (contracts/tally.py) into one row per status and kind, and the
    download log's count into one row, a statement each; the sums stay as they were. Nothing
    to do on SQLite. Returns the rows left."""
    if connection.vendor != "postgresql":
        return 0
    left = 0
    with connection.cursor() as cursor:
        for statement in (tally.COMPACT, tally.DOWNLOADS_COMPACT):
            cursor.execute(statement)
            left += cursor.rowcount
    return left
