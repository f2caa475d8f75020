"""Export jobs: when a contract list is too large to make in a request, and the background run.

A list of more than `settings.EXPORT_SYNC_MAX_ROWS` contracts is not made inside the web
request (a sync gunicorn worker is killed after 30 s, and a few such downloads would occupy
every worker): the request records an `ExportJob` and the Celery task `procurement.tasks
.export_job_run` is sent when that transaction commits. The worker makes the file with the same
writers as an immediate download (procurement/exports.py), so the two cannot differ.

The run is idempotent: it takes only the job's id, claims the job with a conditional update,
makes the whole file again if the job was left half-done (a worker that died: acks_late with
reject_on_worker_lost redelivers the message), and a run that finds the job finished does
nothing. If the broker is down when the job is requested, beat's `sweep_export_jobs` sends it
again; the same sweep deletes the files of jobs past `EXPORT_FILE_TTL_HOURS`.

Who downloaded is recorded as for an immediate download (`contracts.services
.contract_download_record`), each time the finished file is fetched.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User
from contracts import selectors as contract_selectors
from contracts.models import Contract, ContractLine, DownloadKind
from contracts.services import contract_download_record

from . import exports
from .filters import ContractFilter
from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

FAILURE_MESSAGE = "The file could not be made. Try again, or ask the Flex team if it fails again."
UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_sync_max_rows() -> int:
    return int(settings.EXPORT_SYNC_MAX_ROWS)


def export_needs_job(*, rows: int) -> bool:
    """Whether a list of `rows` contracts is made in the background rather than at once."""
    return rows > export_sync_max_rows()


# --- requesting ---------------------------------------------------------------------------


@transaction.atomic
def export_job_request(
    *, user: User, kind: DownloadKind, filters: dict[str, str], rows_total: int
) -> ExportJob:
    """The user's background export of this list: an unfinished one already asked for with the
    same format and filters (so following a download link twice makes one file), else a new
    job, whose task is sent once the transaction commits."""
    existing = (
        ExportJob.objects.select_for_update()
        .filter(user=user, kind=kind, filters=filters, status__in=UNFINISHED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    job = ExportJob(
        user=user,
        kind=kind,
        filters=filters,
        rows_total=rows_total,
        created_at=timezone.now(),
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: export_job_publish(job_id=job.pk))
    return job


def export_job_publish(*, job_id: UUID) -> bool:
    """Send the job's task; never raises, since the queued job (and the sweeper) make sure it
    runs even when the broker cannot be reached now."""
    from .tasks import export_job_run

    try:
        export_job_run.delay(str(job_id))
    except Exception:
        logger.exception(
            "Could not publish the export task; the sweeper will send it later",
            extra={"export_job": str(job_id)},
        )
        return False
    return True


# --- the run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    """What ContractFilter reads of a request: who is asking (for the organisation choices)."""

    user: User


def _contracts_for(job: ExportJob) -> QuerySet[Contract]:
    """The job's list as the requesting user may see it now, filtered and sorted as asked."""
    filterset = ContractFilter(
        job.filters,
        queryset=contract_selectors.contracts_visible(user=job.user),
        request=_Request(job.user),
    )
    if not filterset.is_valid():
        raise ValueError(f"the saved filters are no longer valid: {dict(filterset.errors)}")
    return filterset.qs


@contextmanager
def _progress(job_id: UUID, rows_total: int) -> Iterator[None]:
    """Record rows done as the writers read the list: each chunk of `exports.EXPORT_CHUNK_SIZE`
    contracts reads its lines in one query (contracts.selectors.contract_rows), so each such
    read means the chunk before it is written. Observed through Django's documented
    `execute_wrapper`, so the writers stay the same as for an immediate download."""
    line_table = ContractLine._meta.db_table
    chunks = 0
    reporting = False

    def observe(execute, sql, params, many, context):
        nonlocal chunks, reporting
        result = execute(sql, params, many, context)
        if not reporting and sql.lstrip().startswith("SELECT") and f'FROM "{line_table}"' in sql:
            chunks += 1
            done = min(rows_total, (chunks - 1) * exports.EXPORT_CHUNK_SIZE)
            reporting = True
            try:
                ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
                    rows_done=done
                )
            finally:
                reporting = False
        return result

    with connection.execute_wrapper(observe):
        yield


def _write(job: ExportJob, contracts: QuerySet[Contract]) -> tuple[Any, int]:
    """An open temporary file holding the export, at its start, and its row count."""
    if job.kind == DownloadKind.XLSX:
        return exports.xlsx_file(contracts)
    rows: list[int] = []
    handle = tempfile.TemporaryFile(suffix=".csv")  # noqa: SIM115 (closed by the caller)
    try:
        for text in exports.csv_lines(contracts, on_complete=rows.append):
            handle.write(text.encode("utf-8"))
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, rows[0]


def _claim(job_id: UUID) -> ExportJob | None:
    """Mark the job running (again, if a worker died during it); None when it has finished."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
        status=ExportStatus.RUNNING, started_at=now, rows_done=0, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("user").get(pk=job_id)


def export_job_run(*, job_id: UUID) -> ExportStatus | None:
    """Make the job's file and store it (Django's default storage, under MEDIA_ROOT). Returns
    the job's new status, or None when there was nothing to do (finished, or unknown)."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        contracts = _contracts_for(job)
        rows_total = contracts.count()
        ExportJob.objects.filter(pk=job_id).update(rows_total=rows_total)
        with _progress(job.pk, rows_total):
            handle, rows = _write(job, contracts)
        with handle:
            job.file.save(f"{job.pk}.{job.kind}", File(handle), save=False)
    except Exception:
        logger.exception("An export job failed", extra={"export_job": str(job_id)})
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=FAILURE_MESSAGE, finished_at=timezone.now()
        )
        return ExportStatus.FAILED
    finished = timezone.now()
    stored = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.READY,
        file=job.file.name,
        rows_total=rows,
        rows_done=rows,
        error="",
        finished_at=finished,
        expires_at=finished + dt.timedelta(hours=settings.EXPORT_FILE_TTL_HOURS),
    )
    if not stored:
        # Another delivery of the same message finished first: keep its file, drop ours.
        job.file.storage.delete(job.file.name)
        return None
    return ExportStatus.READY


# --- downloading and expiry ----------------------------------------------------------------


def export_job_is_downloadable(job: ExportJob, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return job.status == ExportStatus.READY and (job.expires_at is None or job.expires_at > now)


def export_job_download_record(*, job: ExportJob, user: User) -> None:
    """Record a download of the finished file, as for an immediate download."""
    contract_download_record(
        user=user, kind=DownloadKind(job.kind), filters=job.filters, rows=job.rows_total
    )


@dataclass(frozen=True)
class SweepResult:
    republished: int
    expired: int


def export_jobs_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Send again the tasks of jobs still queued a while after they were asked for (a lost
    message, or a broker that was down), and delete the files of jobs past their expiry."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.EXPORT_REQUEUE_SECONDS)
    republished = 0
    for job_id in ExportJob.objects.filter(
        status=ExportStatus.QUEUED, created_at__lt=stale
    ).values_list("pk", flat=True):
        republished += export_job_publish(job_id=job_id)
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        if job.file:
            job.file.storage.delete(job.file.name)
        expired += ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return SweepResult(republished=republished, expired=expired)
