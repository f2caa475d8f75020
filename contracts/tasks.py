"""Celery tasks of contracts. They take no model instances and only call services."""

from celery import shared_task
from django.db import transaction

from .notices import contracts_ending_notify
from .services import contract_tally_compact


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_contracts_ending() -> int:
    """Run by Celery beat: tell CIOs of contracts ending within six months, once a contract
    (the outbox's key makes a second run, or a message delivered twice, tell nobody again)."""
    with transaction.atomic():
        return contracts_ending_notify()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compact_contract_tally() -> int:
    """Run by Celery beat: fold the running tally of contracts into a row per status and kind,
    and the download log's count into one row, so the list's totals and the log's length stay
    a sum of a few rows (contracts/tally.py). Idempotent."""
    return contract_tally_compact()
