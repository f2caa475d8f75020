"""Celery tasks of the open data. They call services (opendata/services.py)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def publish_contract_lines(asked_at: str | None = None) -> int:
    """Make and publish the contract-lines CSV: every night (Celery beat), and when a visitor
    asks for it before there is one. Asked again for the same request (a redelivery, or many
    visitors), a file made since the asking is kept. Returns the rows published."""
    since = dt.datetime.fromisoformat(asked_at) if asked_at else None
    return services.contract_lines_publish(unless_made_since=since).rows
