"""Celery tasks of the catalogue. They take no model instances and only call services."""

from celery import shared_task

from .models import RepricingRequest
from .repricing import framework_reprice


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reprice_framework() -> int:
    """Recompute prices for every member. Idempotent: with nothing pending it does nothing."""
    return framework_reprice().requests_processed


@shared_task(acks_late=True)
def sweep_pending_repricing() -> int:
    """Run by Celery beat: finish any repricing whose task was never delivered."""
    if not RepricingRequest.objects.filter(processed_at__isnull=True).exists():
        return 0
    return framework_reprice().requests_processed
