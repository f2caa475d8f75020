"""Pages of an export made in the background: its progress, then its file. Only the user who
asked sees either (404 for anyone else)."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.pagination import query_string

from . import exports, selectors, services
from .models import ExportJob

# Seconds between reloads of the progress page (a meta refresh: no JavaScript needed).
REFRESH_SECONDS = 3
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": exports.XLSX_CONTENT_TYPE}


def export_filename(job: ExportJob) -> str:
    return f"contracts-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.{job.kind}"


def export_file_response(job: ExportJob) -> FileResponse:
    """The finished file as an attachment; the caller has checked it may be downloaded and
    records the download."""
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=export_filename(job),
        content_type=CONTENT_TYPES[job.kind],
    )


@login_required
@require_GET
def export_job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, job_id=job_id)
    downloadable = services.export_job_is_downloadable(job)
    filters = query_string(job.filters)
    export_url = reverse("contracts:export-xlsx" if job.kind == "xlsx" else "contracts:export-csv")
    return render(
        request,
        "contracts/export_job.html",
        {
            "job": job,
            "downloadable": downloadable,
            "expired": job.finished and not downloadable and job.status != "failed",
            "refresh_seconds": None if job.finished else REFRESH_SECONDS,
            "list_url": reverse("contracts:list") + filters,
            "again_url": export_url + filters,
        },
    )


@login_required
@require_GET
def export_job_file(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, job_id=job_id)
    if not services.export_job_is_downloadable(job):
        raise Http404("This export is not ready, or has expired")
    response = export_file_response(job)
    services.export_job_download_record(job=job, user=request.user)
    return response
