"""The contract API: list, one contract, its summary PDF, and CSV/XLSX of the filtered list."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from applications import lifecycle
from contracts import selectors
from contracts.models import DownloadKind
from core.api import get_for_write
from core.api.filters import FilterBackend

from .. import exports, pdf, services
from ..filters import ContractFilter
from .serializers import (
    ContractDetailOutputSerializer,
    ContractEndInputSerializer,
    ContractOutputSerializer,
)

BAD_FILTERS = OpenApiResponse(description='A filter value is not valid: `{"field": ["message"]}`.')
NOT_FOUND = OpenApiResponse(description="No such contract, or one the caller may not see.")
EXPORT_ACCEPTED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="More contracts than EXPORT_SYNC_MAX_ROWS: the file is made in the background. "
    "The body is the export job (as GET /api/v1/exports/{id}/), its address in `Location`.",
)
BAD_INPUT = OpenApiResponse(description='The input is not valid: `{"field": ["message"]}`.')


class JsonErrorsNegotiation(BaseContentNegotiation):
    """Downloads answer with a file, or with JSON errors whatever the client accepts: strict
    negotiation would refuse `Accept: text/csv` (406) before the file is made."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ContractFilterMixin:
    filter_backends = [FilterBackend]
    filterset_class = ContractFilter

    def get_queryset(self):
        return selectors.contracts_visible(user=self.request.user)

    def valid_filterset(self) -> ContractFilter:
        filterset = FilterBackend().get_filterset(self.request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        return filterset


@extend_schema(tags=["contracts"])
class ContractListApi(ContractFilterMixin, generics.ListAPIView):
    """Contracts the caller may see: a CIO their own organisation's, procurement officers and
    Cabinet Office staff all."""

    serializer_class = ContractOutputSerializer

    @extend_schema(responses={200: ContractOutputSerializer(many=True), 400: BAD_FILTERS})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


def _detail_response(request: Request, reference: str) -> Response:
    contract = selectors.contract_get(user=request.user, reference=reference)
    contract.timeline = list(selectors.contract_timeline(contract))
    return Response(ContractDetailOutputSerializer(contract).data)


@extend_schema(tags=["contracts"])
class ContractDetailApi(APIView):
    @extend_schema(responses={200: ContractDetailOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return _detail_response(request, reference)


@extend_schema(tags=["contracts"])
class ContractEndApi(APIView):
    """End a contract: today ends it at once (its seats stop counting and every member is
    repriced); a later day within its term records notice. The contract's CIO or Cabinet
    Office staff; anyone else gets 403 and nothing changes."""

    @extend_schema(
        request=ContractEndInputSerializer,
        responses={
            200: ContractDetailOutputSerializer,
            400: BAD_INPUT,
            403: OpenApiResponse(description="Not this contract's CIO nor Cabinet Office staff."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="The contract has already ended."),
        },
        summary="End a contract, or give notice",
    )
    def post(self, request: Request, reference: str) -> Response:
        contract = get_for_write(
            lambda: selectors.contract_get(user=request.user, reference=reference),
            sees_everything=permissions.can_see_all_organisations_records(request.user),
            refusal="You can only end your own organisation's contracts.",
        )
        serializer = ContractEndInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lifecycle.contract_leave(
            contract=contract,
            actor=request.user,
            on=serializer.validated_data["on"],
            reason=serializer.validated_data["reason"],
        )
        return _detail_response(request, reference)


@extend_schema(tags=["contracts"])
class ContractSummaryPdfApi(APIView):
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(
        operation_id="contracts_summary_pdf",
        summary="One-page contract summary (tagged PDF)",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The summary as a PDF/UA-1 document."
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        contract = selectors.contract_get(user=request.user, reference=reference)
        return pdf.summary_pdf_response(user=request.user, contract=contract)


# The filtered list as a file: subclasses set `respond` (an `exports` response maker) and
# describe their file in the schema. A comment, not a docstring: drf-spectacular would publish
# a docstring as both exports' description.
class ContractExportApi(ContractFilterMixin, generics.GenericAPIView):
    content_negotiation_class = JsonErrorsNegotiation
    pagination_class = None
    respond: Callable[..., HttpResponse]
    kind: DownloadKind

    def get(self, request: Request) -> HttpResponse:
        # Imported here: the export jobs API module builds on this one.
        from .exports import export_job_accepted

        filterset = self.valid_filterset()
        contracts, filters = filterset.qs, filterset.canonical_params()
        rows = contracts.count()
        if services.export_needs_job(rows=rows):
            job = services.export_job_request(
                user=request.user, kind=self.kind, filters=filters, rows_total=rows
            )
            return export_job_accepted(request, job)
        return self.respond(user=request.user, contracts=contracts, filters=filters)


@extend_schema(tags=["contracts"])
@extend_schema_view(
    get=extend_schema(
        operation_id="contracts_export_csv",
        summary="The filtered contract list as CSV (streamed)",
        filters=True,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="UTF-8 CSV with a header row."
            ),
            202: EXPORT_ACCEPTED,
            400: BAD_FILTERS,
        },
    )
)
class ContractExportCsvApi(ContractExportApi):
    respond = staticmethod(exports.csv_response)
    kind = DownloadKind.CSV


@extend_schema(tags=["contracts"])
@extend_schema_view(
    get=extend_schema(
        operation_id="contracts_export_xlsx",
        summary="The filtered contract list as an Excel workbook",
        filters=True,
        responses={
            (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="One sheet, one row per contract."
            ),
            202: EXPORT_ACCEPTED,
            400: BAD_FILTERS,
        },
    )
)
class ContractExportXlsxApi(ContractExportApi):
    respond = staticmethod(exports.xlsx_response)
    kind = DownloadKind.XLSX
