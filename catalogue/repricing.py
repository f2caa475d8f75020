"""Repricing the framework: recompute every service's price from the active contract lines
after sign-ups and scheme changes, and keep every active contract line at that price."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from contracts.models import ContractLine, ContractStatus
from departments.models import Organisation

from .models import PriceSnapshot, RepricingRequest, RepricingRun, Service
from .selectors import framework_seats_by_service, scheme_for, service_list

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises repricing runs across workers.
REPRICING_LOCK = "flexportal.repricing"


@dataclass(frozen=True)
class RepricingResult:
    requests_processed: int
    services_changed: int
    snapshots_written: int
    lines_updated: int


def repricing_request(*, reason: str, caused_by: Organisation | None = None) -> RepricingRequest:
    """Record that prices must be recomputed, and send the task once the caller's
    transaction commits. The row makes the request durable: if the broker is down the
    periodic sweeper finds it later."""
    request = RepricingRequest.objects.create(
        requested_at=timezone.now(), reason=reason, caused_by=caused_by
    )
    transaction.on_commit(_enqueue_repricing)
    return request


def _enqueue_repricing() -> None:
    from .tasks import reprice_framework

    try:
        reprice_framework.delay()
    except Exception:
        # The commit stands; the pending RepricingRequest is picked up by the sweeper.
        logger.exception("Could not enqueue repricing; the sweeper will run it later")


def _lock_repricing() -> None:
    """Serialise runs: a second worker waits, then finds nothing pending and does nothing."""
    if connection.vendor == "postgresql":
        import pglock

        pglock.advisory(REPRICING_LOCK, xact=True).acquire()
    # SQLite allows one writer at a time already.


def _reason(requests: list[RepricingRequest]) -> tuple[str, Organisation | None]:
    """Label a run by the requests it serves: "DIUS joined", or several joined by "; "."""
    if not requests:
        return "Recalculated", None
    reasons = "; ".join(dict.fromkeys(r.reason for r in requests))
    causes = {r.caused_by_id for r in requests}
    caused_by = requests[0].caused_by if len(causes) == 1 else None
    return reasons[:200], caused_by


def framework_reprice(*, at: dt.datetime | None = None, force: bool = False) -> RepricingResult:
    """Recompute every service's framework seats and unit price from the active contract
    lines, snapshot what changed, and bring every active contract line to its service's price.

    Runs only when a RepricingRequest is pending (or `force`), so running it again with
    nothing new writes nothing. The work is set-based: a fixed number of queries however many
    organisations and contract lines there are.
    """
    at = at or timezone.now()
    with transaction.atomic():
        _lock_repricing()
        pending = list(
            RepricingRequest.objects.filter(processed_at__isnull=True).select_related("caused_by")
        )
        if not pending and not force:
            return RepricingResult(0, 0, 0, 0)
        reason, caused_by = _reason(pending)

        seats = framework_seats_by_service()
        services = list(service_list(include_inactive=True))
        changed: list[Service] = []
        for service in services:
            new_seats = seats.get(service.pk, 0)
            new_price = scheme_for(service).unit_price(new_seats)
            if service.framework_seats != new_seats or service.current_unit_price != new_price:
                service.framework_seats = new_seats
                service.current_unit_price = new_price
                changed.append(service)
        if changed:
            Service.objects.bulk_update(changed, ["framework_seats", "current_unit_price"])
            PriceSnapshot.objects.bulk_create(
                PriceSnapshot(
                    service=service,
                    effective_at=at,
                    framework_seats=service.framework_seats,
                    unit_price=service.current_unit_price,
                    reason=reason,
                    caused_by=caused_by,
                )
                for service in changed
            )
        lines_updated = (
            ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
            .exclude(current_unit_price=F("service__current_unit_price"))
            .update(current_unit_price=_service_price_subquery())
        )
        if pending:
            RepricingRequest.objects.filter(pk__in=[r.pk for r in pending]).update(processed_at=at)
        result = RepricingResult(len(pending), len(changed), len(changed), lines_updated)
        RepricingRun.objects.create(
            started_at=at,
            finished_at=timezone.now(),
            requests_processed=result.requests_processed,
            snapshots_written=result.snapshots_written,
            lines_updated=result.lines_updated,
        )
    logger.info("framework repriced", extra={"result": result.__dict__})
    return result


def _service_price_subquery() -> Subquery:
    return Subquery(
        Service.objects.filter(pk=OuterRef("service_id")).values("current_unit_price")[:1]
    )
