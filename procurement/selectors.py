"""Reads of export jobs: a job is seen only by the user who asked for it."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from accounts.models import User

from .models import ExportJob


def export_job_get(*, user: User, job_id: UUID) -> ExportJob:
    """The user's own job; anyone else's (or an unknown id) is a 404, revealing nothing."""
    try:
        return ExportJob.objects.get(pk=job_id, user=user)
    except ExportJob.DoesNotExist:
        raise Http404("No such export") from None
