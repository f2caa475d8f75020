"""Celery tasks of the exports. They take only ids and call services (procurement/services.py)."""

from uuid import UUID

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def export_job_run(job_id: str) -> str | None:
    """Make one export job's file; a job already finished is left as it is."""
    status = services.export_job_run(job_id=UUID(job_id))
    return status.value if status else None


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_export_jobs() -> int:
    """Run by Celery beat: resend jobs whose message was lost, delete files past expiry."""
    result = services.export_jobs_sweep()
    return result.republished + result.expired
