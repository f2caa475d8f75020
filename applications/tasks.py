"""Celery tasks of the contract lifecycle. They take no model instances and only call services;
ending is idempotent, so a message delivered twice (or a beat tick run twice) changes nothing."""

from celery import shared_task

from .lifecycle import contracts_end_due


@shared_task(acks_late=True, reject_on_worker_lost=True)
def end_due_contracts() -> int:
    """Run by Celery beat: end the contracts whose term or notice has run out, each with its
    repricing request in the same transaction."""
    result = contracts_end_due(history_source="contract expiry task")
    return result.ended + result.expired
