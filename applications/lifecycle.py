"""A member leaving, and contracts running out: the parts of a contract's life after signing
that move every member's price.

Each function ends contracts through contracts.services, brings the organisation's membership
in line (an organisation with no active contract is no longer an active member) and asks for a
repricing in the same transaction, with a reason that names the cause ("ONS left", "DIUS's
contract expired"). The request is durable (repricing.services.repricing_request): a broker
that is down when this commits delays the repricing, never loses it (the beat sweeper runs it).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.models import Contract, ContractStatus
from contracts.notices import contract_ended_notify
from core.history import history_context
from organisations.services import organisation_lock, organisation_membership_end
from repricing.services import repricing_request

logger = logging.getLogger(__name__)


@transaction.atomic
def contract_leave(
    *, contract: Contract, actor: User, on: dt.date, reason: str = "", today: dt.date | None = None
) -> Contract:
    """End a contract on `on`: today ends it at once (its seats stop counting, and everyone is
    repriced); a later day within its term records notice, and the daily expiry ends it then.

    Cabinet Office staff ending another organisation's contract must give the reason.

    Raises PermissionDenied (not its CIO nor Cabinet Office), ValidationError (a date before
    today or after the term, or no reason from Cabinet Office) or ContractNotActive (409);
    nothing is written then."""
    today = today or timezone.localdate()
    if not permissions.can_end_contract(actor, contract):
        raise PermissionDenied(
            "Only the organisation's CIO or Cabinet Office staff can end this contract."
        )
    if not permissions.owns(actor, contract.organisation_id) and not reason.strip():
        # Cabinet Office ending another organisation's contract says why, on the record.
        raise ValidationError({"reason": ["Enter the reason for ending this contract."]})
    contract = contract_services.contract_lock(contract_id=contract.pk)
    contract_services.contract_end_date_validate(contract=contract, on=on, today=today)
    if on > today:
        return contract_services.contract_notice_give(
            contract=contract, on=on, actor=actor, reason=reason, today=today
        )
    return _end(contract=contract, on=on, actor=actor, reason=reason, expired=False)


@dataclass(frozen=True)
class ExpiryResult:
    ended: int
    expired: int


@transaction.atomic
def contracts_end_due(
    *, today: dt.date | None = None, history_source: str = "contract expiry"
) -> ExpiryResult:
    """What the daily beat task does: end every active contract whose term has passed, or whose
    notice has fallen due. Running it twice changes nothing (the second run finds none due)."""
    today = today or timezone.localdate()
    ended = expired = 0
    for due in contract_selectors.contracts_due_to_end(today=today):
        contract = contract_services.contract_lock(contract_id=due.contract_id)
        if contract.status != ContractStatus.ACTIVE:  # ended by someone else meanwhile
            continue
        # Each contract's end in a history context of its own, so each change is recorded with
        # its own cause ("DIUS's contract expired"), not the last one of the run.
        with history_context(source=history_source):
            _end(contract=contract, on=due.on, actor=None, reason="", expired=due.expired)
        if due.expired:
            expired += 1
        else:
            ended += 1
    if ended or expired:
        logger.info("contracts ended", extra={"ended": ended, "expired": expired})
    return ExpiryResult(ended=ended, expired=expired)


def _end(
    *, contract: Contract, on: dt.date, actor: User | None, reason: str, expired: bool
) -> Contract:
    contract = contract_services.contract_end(
        contract=contract, on=on, actor=actor, reason=reason, expired=expired
    )
    organisation = organisation_lock(organisation_id=contract.organisation_id)
    still_member = contract_selectors.organisation_has_active_contract(
        organisation_id=organisation.pk
    )
    if not still_member:
        organisation_membership_end(organisation=organisation)
    name, kind = organisation.display_name, contract.get_kind_display().lower()
    # A member that keeps another contract has not left: say which contract went.
    if expired:
        cause = (
            f"{name}'s {kind} contract expired" if still_member else f"{name}'s contract expired"
        )
    else:
        cause = f"{name} ended its {kind} contract" if still_member else f"{name} left"
    repricing_request(reason=cause, caused_by=organisation)
    contract_ended_notify(contract=contract, cause=cause)
    return contract
