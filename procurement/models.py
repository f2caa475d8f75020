"""Export jobs: a contract list too large to make inside a web request, made by a Celery worker.

The job keeps what is needed to make the file again from scratch (who asked, which format,
the filters as canonical query parameters), so the task takes only the job's id and a message
delivered twice makes the same file.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from contracts.models import DownloadKind


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class ExportJob(models.Model):
    """A CSV or XLSX of a filtered contract list, made in the background for one user.

    The id is a random UUID so that a job's address reveals nothing about others' jobs; every
    lookup is scoped to the requesting user anyway.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(
        max_length=5,
        choices=[(DownloadKind.CSV.value, "CSV"), (DownloadKind.XLSX.value, "Excel (XLSX)")],
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/%d/", blank=True, max_length=200)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_job_user_idx"),
            models.Index(fields=["status", "created_at"], name="export_job_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="export_job_rows_done_within_total",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""),
                name="export_job_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.rows_total} contracts ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED, ExportStatus.EXPIRED)

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 100 if self.finished else 0
        return self.rows_done * 100 // self.rows_total
