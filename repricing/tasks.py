"""Celery tasks of the repricing. They take no model instances and only call services.

Both are idempotent (a run with nothing pending writes nothing), so a message delivered twice
is harmless; `acks_late` with `reject_on_worker_lost` puts a message back on the queue when
the worker running it dies, and the run's transaction has then rolled back.
"""

from celery import shared_task

from core.history import history_context

from .services import coalesce_seconds, repricing_run_coalesced, repricing_sweep


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def reprice_framework(self) -> int:
    """Recompute prices for every member, coalescing bursts (see catalogue/repricing.py)."""
    window = 0.0 if self.request.is_eager else coalesce_seconds()
    # In a worker no person acts: the history names the task, and the run adds its cause.
    with history_context(source="repricing task"):
        return repricing_run_coalesced(window=window).requests_processed


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def sweep_pending_repricing(self) -> int:
    """Run by Celery beat: finish any repricing whose task was never delivered."""
    window = 0.0 if self.request.is_eager else coalesce_seconds()
    with history_context(source="repricing sweeper"):
        return repricing_sweep(window=window).requests_processed
