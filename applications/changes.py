"""Writes to change requests: a member asks to change its active contract (add optional
extras, remove them, change any line's seats, all in one request), and a Cabinet Office
approver decides it, in the same queue and under the same rules as sign-ups.

    submitted -> approved | rejected | withdrawn

Every transition locks the request row, checks the move and the actor, and writes a
ChangeRequestEvent in the same transaction. Approval changes the contract's lines through
contracts.services.contract_lines_change (new lines at the price the approval makes, changed
lines keep their signing price) and requests one repricing whose reason names the change
("DIUS added 600 wireless access seats"), all or nothing. Refusals raise before anything is
written: PermissionDenied (403), TransitionNotAllowed / ContractNotActive (409),
ValidationError (400).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from catalogue.models import Category, Service, ServiceKind
from catalogue.pricing import MAX_SEATS
from contracts import services as contract_services
from contracts.models import Contract, ContractKind, ContractStatus
from core.references import reference_next
from repricing.services import repricing_request

from .models import (
    ApplicationAction,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    ChangeStatus,
)
from .notices import change_decision_notify
from .services import TransitionNotAllowed, clean_reason, require_decider

REFERENCE_PREFIX = "CHG"

LEAVING = (
    "That would remove every service from the contract, which is leaving Flex. "
    "To leave, end the contract instead."
)


@dataclass(frozen=True)
class SeatsAfter:
    """The seats a service should have on the contract after the change (0 removes it)."""

    service: Service
    seats: int


@dataclass(frozen=True)
class LineChange:
    """One line a change request changes, as checked against the contract."""

    service: Service
    seats_before: int
    seats_after: int

    @property
    def difference(self) -> int:
        return self.seats_after - self.seats_before


def change_lines_validate(
    *, contract: Contract, seats_after: Sequence[SeatsAfter]
) -> list[LineChange]:
    """The lines a change would make to `contract` (whose lines are read here), or the field
    errors saying why it cannot: the rules the pages, the API and the service share."""
    current = {line.service_id: line.seats for line in contract.lines.all()}
    errors: list[str] = []
    if not seats_after:
        errors.append("Enter the seats of at least one service to change.")
    elif len({line.service.pk for line in seats_after}) != len(seats_after):
        errors.append("Enter each service only once.")
    elif any(not 0 <= line.seats <= MAX_SEATS for line in seats_after):
        errors.append(f"Seats must be between 0 and {MAX_SEATS:,} for each service.")
    if errors:
        raise ValidationError({"lines": errors})
    changes = []
    for line in seats_after:
        before = current.get(line.service.pk, 0)
        name = line.service.name
        if line.seats == before:
            if before:
                errors.append(
                    f"{name} already has {before:,} seats on this contract: enter a different "
                    "number, or leave it out."
                )
            else:
                errors.append(f"{name} is not on this contract, so it cannot be removed.")
            continue
        if not line.service.active and line.seats > before:
            errors.append(f"{name} is no longer offered: you can only reduce or remove its seats.")
            continue
        if (
            contract.kind == ContractKind.INTEGRATION
            and before == 0
            and line.service.category != Category.INTEGRATION
        ):
            errors.append(
                f"An integration call-off covers integration services only, so {name} cannot "
                "be added to it. Add it to your full platform contract instead."
            )
            continue
        changes.append(LineChange(line.service, before, line.seats))
    if errors:
        raise ValidationError({"lines": errors})
    after = dict(current)
    for change in changes:
        after[change.service.pk] = change.seats_after
    if not any(after.values()):
        raise ValidationError({"lines": [LEAVING]})
    core_dropped = [
        c.service.name
        for c in changes
        if c.service.kind == ServiceKind.CORE and c.seats_after == 0 and c.seats_before
    ]
    if contract.kind == ContractKind.PLATFORM and core_dropped:
        raise ValidationError(
            {
                "lines": [
                    f"A full platform contract keeps {core_dropped[0].lower()}: reduce its "
                    "seats instead, or end the contract to leave Flex."
                ]
            }
        )
    return changes


def change_cause(*, organisation_name: str, changes: Sequence[LineChange]) -> str:
    """The reason a change's repricing gives, naming what changed: "DIUS added 600 wireless
    access seats and removed 200 human resources systems seats"."""
    parts = []
    for change in changes:
        name = change.service.name.lower()
        if change.difference > 0:
            parts.append(f"added {change.difference:,} {name} seats")
        elif change.seats_after == 0:
            parts.append(f"removed {name} ({change.seats_before:,} seats)")
        else:
            parts.append(f"removed {-change.difference:,} {name} seats")
    if len(parts) > 1:
        parts = [", ".join(parts[:-1]), parts[-1]]
    return f"{organisation_name} {' and '.join(parts)}"


def change_summary(changes: Sequence[LineChange]) -> str:
    return "; ".join(
        f"{c.service.name}: {c.seats_before:,} to {c.seats_after:,} seats" for c in changes
    )


@transaction.atomic
def change_request_create(
    *,
    actor: User,
    contract: Contract,
    seats_after: Sequence[SeatsAfter],
    at: dt.datetime | None = None,
) -> ChangeRequest:
    """A submitted change request for the actor's organisation's active contract. The
    contract row lock serialises two requests for the same contract, so the "one open
    request" rule cannot be raced (the unique constraint has the last word)."""
    if not permissions.can_request_change(actor, contract):
        raise PermissionDenied("Only the organisation's CIO can change this contract.")
    contract = contract_services.contract_lock(contract_id=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise contract_services.ContractNotActive(
            f"Contract {contract.reference} is {contract.get_status_display().lower()}, "
            "so it cannot change."
        )
    changes = change_lines_validate(contract=contract, seats_after=seats_after)
    open_request = ChangeRequest.objects.filter(
        contract=contract, status=ChangeStatus.SUBMITTED
    ).first()
    if open_request is not None:
        raise TransitionNotAllowed(
            f"Contract {contract.reference} already has a change waiting for a decision, "
            f"{open_request.reference}: withdraw it, or wait for the decision."
        )
    now = at or timezone.now()
    change_request = ChangeRequest(
        reference=reference_next(
            prefix=REFERENCE_PREFIX, year=timezone.localdate(now).year, model=ChangeRequest
        ),
        contract=contract,
        organisation_id=contract.organisation_id,
        status=ChangeStatus.SUBMITTED,
        created_by=actor,
        submitted_at=now,
    )
    try:
        with transaction.atomic():
            change_request.save()
    except IntegrityError as exc:  # another writer, bypassing the row lock
        raise TransitionNotAllowed(
            f"Contract {contract.reference} already has a change waiting for a decision."
        ) from exc
    ChangeRequestLine.objects.bulk_create(
        ChangeRequestLine(
            change_request=change_request,
            service=c.service,
            seats_before=c.seats_before,
            seats_after=c.seats_after,
        )
        for c in changes
    )
    _event(change_request, actor, ApplicationAction.SUBMITTED, now, change_summary(changes))
    return change_request


@transaction.atomic
def change_request_withdraw(
    *, change_request: ChangeRequest, actor: User, reason: str = ""
) -> ChangeRequest:
    change_request = _lock(change_request)
    if not permissions.owns(actor, change_request.organisation_id):
        raise PermissionDenied("Only the organisation's CIO can withdraw its change request.")
    reason = clean_reason(reason, required=False)
    _require_submitted(change_request, "withdrawn")
    change_request.status = ChangeStatus.WITHDRAWN
    change_request.reason = reason
    change_request.save(update_fields=["status", "reason"])
    _event(change_request, actor, ApplicationAction.WITHDRAWN, timezone.now(), reason)
    return change_request


@transaction.atomic
def change_request_reject(
    *, change_request: ChangeRequest, actor: User, reason: str
) -> ChangeRequest:
    change_request = _lock(change_request)
    require_decider(change_request, actor, what="change requests")
    reason = clean_reason(reason, required=True, what="the change request")
    _require_submitted(change_request, "rejected")
    now = timezone.now()
    change_request.status = ChangeStatus.REJECTED
    change_request.decided_at = now
    change_request.decided_by = actor
    change_request.reason = reason
    change_request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    _event(change_request, actor, ApplicationAction.REJECTED, now, reason)
    change_decision_notify(change_request=change_request)
    return change_request


@transaction.atomic
def change_request_approve(
    *, change_request: ChangeRequest, actor: User, note: str = ""
) -> ChangeRequest:
    """Approve: the contract's lines change and one repricing is requested, naming the
    change, in one transaction. A contract that ended while the request waited cannot change
    (409: reject the request instead)."""
    change_request = _lock(change_request)
    require_decider(change_request, actor, what="change requests")
    note = clean_reason(note, required=False)
    _require_submitted(change_request, "approved")
    contract = contract_services.contract_lock(contract_id=change_request.contract_id)
    lines = list(change_request.lines.select_related("service").prefetch_related("service__bands"))
    current = {line.service_id: line.seats for line in contract.lines.all()}
    if any(current.get(line.service_id, 0) != line.seats_before for line in lines):
        raise TransitionNotAllowed(
            f"Contract {contract.reference}'s seats have changed since {change_request.reference}"
            " was made: reject it and ask for a new one."
        )
    changes = [LineChange(line.service, line.seats_before, line.seats_after) for line in lines]
    contract_services.contract_lines_change(
        contract=contract,
        seats_after=[contract_services.LineInput(c.service, c.seats_after) for c in changes],
        actor=actor,
        detail=f"Change {change_request.reference} approved. {change_summary(changes)}.",
    )
    now = timezone.now()
    change_request.status = ChangeStatus.APPROVED
    change_request.decided_at = now
    change_request.decided_by = actor
    change_request.reason = note
    change_request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    organisation = contract.organisation
    repricing_request(
        reason=change_cause(organisation_name=organisation.display_name, changes=changes),
        caused_by=organisation,
    )
    _event(
        change_request,
        actor,
        ApplicationAction.APPROVED,
        now,
        f"Contract {contract.reference} changed. {note}".strip(),
    )
    change_decision_notify(change_request=change_request)
    return change_request


def _lock(change_request: ChangeRequest) -> ChangeRequest:
    return ChangeRequest.objects.select_for_update().get(pk=change_request.pk)


def _require_submitted(change_request: ChangeRequest, becoming: str) -> None:
    if change_request.status != ChangeStatus.SUBMITTED:
        raise TransitionNotAllowed(
            f"Change request {change_request.reference} is "
            f"{change_request.get_status_display().lower()}, so it cannot be {becoming}."
        )


def _event(
    change_request: ChangeRequest,
    actor: User,
    action: ApplicationAction,
    at: dt.datetime,
    detail: str = "",
) -> None:
    ChangeRequestEvent.objects.create(
        change_request=change_request, at=at, actor=actor, action=action, detail=detail
    )
