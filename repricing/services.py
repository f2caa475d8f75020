"""Repricing the framework: recompute every service's price from the active contract lines
after sign-ups and scheme changes, and keep every active contract line at that price.

How a sign-up reaches every member's price, and why none is lost:

1. Durable request. `repricing_request` writes a RepricingRequest in the caller's transaction
   (an approval), so the request commits with the approval or not at all.
2. Publish after commit. Once the transaction commits the Celery task is published. If the
   broker is down, publishing fails fast (CELERY_TASK_PUBLISH_RETRY_POLICY and the broker
   timeouts), the error is logged and the approval stands; the request stays pending and the
   beat sweeper (`sweep_pending_repricing`) runs it later.
3. One run at a time. `framework_reprice` holds a PostgreSQL advisory transaction lock, reads
   the pending requests, recomputes from the latest committed contract lines with a fixed
   number of set-based queries, and marks those requests done, all in one transaction. A
   worker killed mid-run rolls back; with `acks_late` and `reject_on_worker_lost` its message
   returns to the queue and the requests are still pending.
4. Coalescing (trailing-edge single flight, window W = CELERY_REPRICING_COALESCE_SECONDS):
   a request publishes the task (delayed by W) only when no older request is pending, since
   the run scheduled for that one will cover it; a task runs no sooner than W after the
   previous run finished (one that arrives sooner re-publishes itself for the remainder); and
   after each run the task re-publishes itself if requests arrived meanwhile. Runs are
   therefore at least W apart, so a burst of approvals lasting D seconds costs at most
   ceil(D / W) + 1 recomputations, however many approvals it holds; each recomputes from the
   latest state, so the last equals a recomputation from scratch.
5. Why skipping is safe: a request that does not publish saw an older pending request, whose
   run either has not read the pending requests yet (and will see this one), or is in
   progress; a run checks for pending requests after it commits, and of the two checks, each
   made after its own commit, one must see the other's commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalogue import pricing
from catalogue import services as catalogue_services
from catalogue.models import Service
from catalogue.selectors import scheme_for, service_list
from catalogue.services import ServicePrice, service_prices_record
from contracts.selectors import framework_seats_by_service
from contracts.services import contract_lines_reprice
from core.history import history_context, history_note
from organisations.models import Organisation

from .models import RepricingRequest, RepricingRun
from .notices import price_changes_notify

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises repricing runs across workers.
REPRICING_LOCK = "flexportal.repricing"
# An older pending request this old has probably lost its task (the broker was down when it
# committed): a new request publishes anyway rather than wait for the sweeper.
STALE_REQUEST_SECONDS = 60.0


@dataclass(frozen=True)
class RepricingResult:
    requests_processed: int
    services_changed: int
    snapshots_written: int
    lines_updated: int
    # Set when the run was refused because the previous run finished less than the coalescing
    # window ago: seconds to wait before trying again. Nothing was written.
    deferred_for: float | None = None

    @property
    def wrote_anything(self) -> bool:
        return bool(self.requests_processed or self.services_changed or self.lines_updated)


def coalesce_seconds() -> float:
    return float(settings.CELERY_REPRICING_COALESCE_SECONDS)


# --- requesting ---------------------------------------------------------------------------


def repricing_request(
    *,
    reason: str,
    caused_by: Organisation | None = None,
    requested_at: dt.datetime | None = None,
) -> RepricingRequest:
    """Record that prices must be recomputed, and publish the task once the caller's
    transaction commits. The row makes the request durable: if the broker is down the
    periodic sweeper finds it later."""
    request = RepricingRequest.objects.create(
        requested_at=requested_at or timezone.now(), reason=reason[:200], caused_by=caused_by
    )
    # Every write that moves prices asks for a repricing: its cause is the change's reason.
    history_note(reason=reason)
    transaction.on_commit(partial(repricing_publish_after_request, request_id=request.pk))
    return request


def repricing_publish_after_request(*, request_id: int) -> bool:
    """On commit of a request: publish the task unless an older request's run will cover
    this one (see the module docstring, 4 and 5). Returns whether a task was published."""
    if not _eager() and _older_request_pending(request_id):
        return False
    return repricing_publish(countdown=coalesce_seconds())


def repricing_publish(*, countdown: float = 0.0) -> bool:
    """Publish the repricing task; never raises, since the pending request (and the sweeper)
    guarantee the run happens even when this fails."""
    from .tasks import reprice_framework

    try:
        reprice_framework.apply_async(countdown=countdown if countdown > 0 else None)
    except Exception:
        logger.exception(
            "Could not publish the repricing task; the sweeper will run it later",
            extra={"countdown": countdown},
        )
        return False
    return True


def _eager() -> bool:
    from .tasks import reprice_framework

    return bool(reprice_framework.app.conf.task_always_eager)


def _older_request_pending(request_id: int) -> bool:
    fresh = timezone.now() - dt.timedelta(
        seconds=max(STALE_REQUEST_SECONDS, 10 * coalesce_seconds())
    )
    return RepricingRequest.objects.filter(
        processed_at__isnull=True, pk__lt=request_id, requested_at__gte=fresh
    ).exists()


# --- catalogue changes that move prices ----------------------------------------------------

SCHEME_REASON = "Price scheme changed"
ADDED_REASON = "Service added"


@transaction.atomic
def service_add(*, scheme: pricing.Scheme, **details) -> Service:
    """Add a service (catalogue.services.service_create); repricing then gives it its first
    price and snapshot."""
    service = catalogue_services.service_create(scheme=scheme, **details)
    repricing_request(reason=ADDED_REASON)
    return service


@transaction.atomic
def service_scheme_change(*, service: Service, scheme: pricing.Scheme) -> Service:
    """Replace a service's pricing scheme, then reprice the whole framework the way a sign-up
    does: snapshots of what changed, every active contract line at the new price. Raises
    ValidationError (field -> messages) for a scheme that breaks the pricing rules; nothing is
    written then."""
    service = catalogue_services.service_update_scheme(service=service, scheme=scheme)
    repricing_request(reason=SCHEME_REASON)
    return service


# --- running ------------------------------------------------------------------------------


def repricing_run_coalesced(*, window: float) -> RepricingResult:
    """What the Celery task does: one run, no sooner than `window` seconds after the last,
    then one more later if requests arrived during it. `window` 0 (eager Celery) runs at
    once and never re-publishes."""
    result = framework_reprice(min_interval=window)
    if result.deferred_for is not None:
        repricing_publish(countdown=result.deferred_for)
    elif window > 0 and RepricingRequest.objects.filter(processed_at__isnull=True).exists():
        repricing_publish(countdown=window)
    return result


def repricing_sweep(*, window: float) -> RepricingResult:
    """What the beat sweeper does: run any request still pending (its task was lost)."""
    if not RepricingRequest.objects.filter(processed_at__isnull=True).exists():
        return RepricingResult(0, 0, 0, 0)
    logger.info("Sweeper found pending repricing requests")
    return repricing_run_coalesced(window=window)


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
    if len(reasons) > 200:
        reasons = f"{len(requests)} changes, including {requests[0].reason}"[:200]
    return reasons, caused_by


def _wait_before_next_run(*, at: dt.datetime, min_interval: float) -> float:
    last_finished = (
        RepricingRun.objects.order_by("-finished_at").values_list("finished_at", flat=True).first()
    )
    if last_finished is None:
        return 0.0
    # Capped at the window, so a clock that jumped back cannot hold repricing off for longer.
    return min(min_interval, min_interval - (at - last_finished).total_seconds())


def framework_reprice(
    *, at: dt.datetime | None = None, force: bool = False, min_interval: float = 0.0
) -> RepricingResult:
    """Recompute every service's framework seats and unit price from the active contract
    lines, snapshot what changed, and bring every active contract line to its service's price.

    Runs only when a RepricingRequest is pending (or `force`), and writes only what changed,
    so running it again with nothing new writes nothing. With `min_interval`, a run that
    would start less than that many seconds after the previous one finished writes nothing
    and says how long to wait. The work is set-based: a fixed number of queries however many
    organisations and contract lines there are.
    """
    with transaction.atomic():
        _lock_repricing()
        # Taken once the lock is held, so runs' times reflect when they really ran.
        at = at or timezone.now()
        pending = list(
            RepricingRequest.objects.filter(processed_at__isnull=True).select_related("caused_by")
        )
        if not pending and not force:
            return RepricingResult(0, 0, 0, 0)
        if min_interval > 0 and not force:
            wait = _wait_before_next_run(at=at, min_interval=min_interval)
            if wait > 0:
                return RepricingResult(0, 0, 0, 0, deferred_for=wait)
        reason, caused_by = _reason(pending)
        with history_context(reason=reason):
            result = _reprice(at=at, pending=pending, reason=reason, caused_by=caused_by)
    if result.wrote_anything:
        logger.info("framework repriced", extra={"result": result.__dict__})
    return result


def _reprice(
    *,
    at: dt.datetime,
    pending: list[RepricingRequest],
    reason: str,
    caused_by: Organisation | None,
) -> RepricingResult:
    """The run itself, inside framework_reprice's transaction and history context."""
    seats = framework_seats_by_service()
    changed: list[ServicePrice] = []
    for service in service_list(include_inactive=True):
        new_seats = seats.get(service.pk, 0)
        new_price = scheme_for(service).unit_price(new_seats)
        if service.framework_seats != new_seats or service.current_unit_price != new_price:
            changed.append(
                ServicePrice(service=service, framework_seats=new_seats, unit_price=new_price)
            )
    price_changes_notify(changes=changed, reason=reason, at=at)  # before the prices move
    service_prices_record(changes=changed, at=at, reason=reason, caused_by=caused_by)
    lines_updated = contract_lines_reprice()
    if pending:
        RepricingRequest.objects.filter(pk__in=[r.pk for r in pending]).update(processed_at=at)
    result = RepricingResult(len(pending), len(changed), len(changed), lines_updated)
    if result.wrote_anything:
        RepricingRun.objects.create(
            started_at=at,
            finished_at=timezone.now(),
            requests_processed=result.requests_processed,
            snapshots_written=result.snapshots_written,
            lines_updated=result.lines_updated,
        )
    return result
