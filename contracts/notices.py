"""What contracts tell their organisation's CIOs, through the notification outbox
(notifications/): that a contract ends within six months (once a contract, from the beat task
`contracts.tasks.notify_contracts_ending`), and that it has ended (from the service ending it,
inside its transaction)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.formats import date_format

from core.dates import add_months
from core.formatting import seats
from notifications.models import TemplateKey
from notifications.selectors import cio_addresses, keys_enqueued
from notifications.services import notification_enqueue

from . import values
from .models import Contract, ContractStatus

logger = logging.getLogger(__name__)

ENDING_NOTICE_MONTHS = 6


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _services(contract: Contract) -> str:
    return "\n".join(
        f"* {line.service.name}: {seats(line.seats)} seats"
        for line in contract.lines.select_related("service").order_by("service__name")
    )


def _personalisation(contract: Contract, *, ends_on: dt.date) -> dict[str, str]:
    return {
        "organisation": contract.organisation.name,
        "contract_reference": contract.reference,
        "contract_kind": contract.get_kind_display().lower(),
        "ends_on": _day(ends_on),
        "services": _services(contract),
    }


def contract_ends_on(contract: Contract) -> dt.date:
    """The day an active contract stops counting: its notice date, or the end of its term."""
    term_end = contract.end_date
    if contract.notice_on is not None and contract.notice_on < term_end:
        return contract.notice_on
    return term_end


def _ending_key(contract_id: int) -> str:
    return f"contract-ending:{contract_id}"


def contract_ended_notify(*, contract: Contract, cause: str) -> None:
    """Tell the organisation's CIOs that the contract has ended, and why."""
    ended_on = contract.ended_on or timezone.localdate()
    recipients = cio_addresses(organisation_ids=[contract.organisation_id])
    notification_enqueue(
        template=TemplateKey.CONTRACT_ENDED,
        recipients=recipients.get(contract.organisation_id, []),
        key=f"contract-ended:{contract.pk}",
        personalisation={**_personalisation(contract, ends_on=ended_on), "cause": cause},
    )


def contracts_ending_notify(*, today: dt.date | None = None) -> int:
    """Tell the CIOs of every active contract ending within six months, once a contract
    however often it runs. Returns the number of contracts newly told about."""
    today = today or timezone.localdate()
    horizon = add_months(today, ENDING_NOTICE_MONTHS)
    ending = []
    rows = Contract.objects.filter(status=ContractStatus.ACTIVE).values_list(
        "pk", "start_date", "term_years", "notice_on"
    )
    for pk, start, term, notice_on in rows.iterator(chunk_size=5000):
        term_end = values.end_date(start, term)
        ends_on = notice_on if notice_on is not None and notice_on < term_end else term_end
        if today < ends_on <= horizon:
            ending.append(pk)
    # Told already (the key would refuse them again anyway): not even read.
    told_before = keys_enqueued(_ending_key(pk) for pk in ending)
    ending = [pk for pk in ending if _ending_key(pk) not in told_before]
    if not ending:
        return 0
    contracts = Contract.objects.filter(pk__in=ending).select_related("organisation")
    addresses = cio_addresses(organisation_ids={c.organisation_id for c in contracts})
    told = 0
    for contract in contracts:
        created = notification_enqueue(
            template=TemplateKey.CONTRACT_ENDING,
            recipients=addresses.get(contract.organisation_id, []),
            key=_ending_key(contract.pk),
            personalisation=_personalisation(contract, ends_on=contract_ends_on(contract)),
        )
        told += bool(created)
    if told:
        logger.info("told CIOs of contracts ending", extra={"contracts": told})
    return told
