"""The export jobs API: a large CSV/XLSX asked for through `/api/v1/contracts/export.csv|xlsx`
answers 202 with the job's address; the caller polls it, then fetches the file."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict

from .. import selectors, services
from ..export_views import CONTENT_TYPES, export_file_response
from ..models import ExportJob, ExportStatus
from .views import JsonErrorsNegotiation

NOT_FOUND = OpenApiResponse(description="No such export, or one another user asked for.")


class ExportJobOutputSerializer(serializers.ModelSerializer):
    format = serializers.CharField(source="kind")
    status = serializers.ChoiceField(choices=ExportStatus.choices)
    url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "format",
            "status",
            "filters",
            "rows_done",
            "rows_total",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "file_url",
        ]

    def get_url(self, job: ExportJob) -> str:
        return _absolute(self.context["request"], "api-export-job", job.pk)

    def get_file_url(self, job: ExportJob) -> str | None:
        if not services.export_job_is_downloadable(job):
            return None
        return _absolute(self.context["request"], "api-export-job-file", job.pk)


def _absolute(request: Request, name: str, job_id: UUID) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"job_id": job_id}))


def export_job_accepted(request: Request, job: ExportJob) -> Response:
    """202 Accepted: the job's status, with its address in `Location`."""
    data = ExportJobOutputSerializer(job, context={"request": request}).data
    return Response(data, status=202, headers={"Location": data["url"]})


@extend_schema(tags=["contracts"])
class ExportJobApi(APIView):
    """A contract list export made in the background: its status and progress. Only the user
    who asked for it sees it."""

    @extend_schema(responses={200: ExportJobOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, job_id: UUID) -> Response:
        job = selectors.export_job_get(user=request.user, job_id=job_id)
        return Response(ExportJobOutputSerializer(job, context={"request": request}).data)


@extend_schema(tags=["contracts"])
class ExportJobFileApi(APIView):
    """The finished file of an export job (each fetch is recorded in the download log)."""

    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(
        operation_id="contracts_export_job_file",
        responses={
            (200, CONTENT_TYPES["csv"]): OpenApiResponse(
                OpenApiTypes.BINARY, description="The CSV or XLSX file, as an attachment."
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(description="The file is not ready yet, or has expired."),
        },
    )
    def get(self, request: Request, job_id: UUID) -> HttpResponse:
        job = selectors.export_job_get(user=request.user, job_id=job_id)
        if not services.export_job_is_downloadable(job):
            raise Conflict(
                "The file has expired." if job.finished else "The file is not ready yet."
            )
        response = export_file_response(job)
        services.export_job_download_record(job=job, user=request.user)
        return response
