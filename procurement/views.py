"""Contract pages and downloads: find contracts, read one, take away a summary or a list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts import permissions
from applications.price_notices import price_changes_to_show
from applications.selectors import contract_lifecycle
from contracts import selectors
from contracts.history import contract_sources
from contracts.models import DownloadKind
from core.history import timeline
from core.pagecache import cached_page
from core.pagination import CountedPaginator, govuk_pagination, query_string
from rollout.history import wave_sources
from rollout.selectors import contract_rollout_status

from . import exports, pdf, services
from .filters import DEFAULT_SORT, ContractFilter

PAGE_SIZE = 25
DOWNLOAD_LOG_PAGE_SIZE = 50


@dataclass(frozen=True)
class SortHeader:
    label: str
    key: str
    numeric: bool
    url: str
    aria_sort: str


# (sort key, column heading, numeric)
LIST_COLUMNS = (
    ("reference", "Reference", False),
    ("organisation", "Organisation", False),
    ("kind", "Kind", False),
    ("status", "Status", False),
    ("signed_on", "Signed on", False),
    ("term_years", "Term", True),
    ("annual_value", "Annual value now", True),
    ("total_value", "Total value now", True),
)


def _sort_headers(params: dict[str, str]) -> list[SortHeader]:
    current = params.get("sort", DEFAULT_SORT)
    headers = []
    for key, label, numeric in LIST_COLUMNS:
        if current == key:
            aria, next_sort = "ascending", f"-{key}"
        elif current == f"-{key}":
            aria, next_sort = "descending", key
        else:
            # Figures and dates read best largest or latest first.
            aria, next_sort = "none", f"-{key}" if numeric or key == "signed_on" else key
        headers.append(
            SortHeader(label, key, numeric, query_string(params, sort=next_sort, page=None), aria)
        )
    return headers


def _filterset(request: HttpRequest) -> ContractFilter:
    return ContractFilter(
        request.GET, queryset=selectors.contracts_visible(user=request.user), request=request
    )


def _list_page(
    request: HttpRequest, filterset: ContractFilter, *, status: int = 200
) -> HttpResponse:
    context: dict = {
        "form": filterset.form,
        "can_see_download_log": permissions.can_see_download_log(request.user),
    }
    if filterset.is_valid():
        params = filterset.canonical_params()
        contracts = filterset.qs
        # Counts them too: one pass, not two (or the running tally: contracts/tally.py).
        totals = selectors.contract_list_totals(
            user=request.user, contracts=contracts, filters=params
        )
        page = CountedPaginator(contracts, PAGE_SIZE, count=totals.count).get_page(
            request.GET.get("page")
        )
        context.update(
            params=params,
            page=page,
            rows=[(contract, selectors.figures_for(contract)) for contract in page.object_list],
            totals=totals if totals.count else None,
            headers=_sort_headers(params),
            pagination=govuk_pagination(page, params),
            download_query=query_string(params),
            export_in_background=services.export_needs_job(rows=page.paginator.count),
        )
    return render(request, "contracts/contract_list.html", context, status=status)


@login_required
@require_GET
@cached_page(permissions.page_identity)
def contract_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, _filterset(request))


@login_required
@require_GET
def contract_detail(request: HttpRequest, reference: str) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, reference=reference)
    figures = selectors.figures_for(contract)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "figures": figures,
            "lines": list(zip(contract.lines.all(), figures.lines, strict=True)),
            "price_history": selectors.price_history(contract),
            "rollout": contract_rollout_status(contract),
            "lifecycle": contract_lifecycle(user=request.user, contract=contract),
            "price_changes": price_changes_to_show(request.user),
            "change_history": timeline(
                [*contract_sources(contract), *wave_sources(contract_id=contract.pk)]
            ),
        },
    )


@login_required
@require_GET
def contract_summary_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, reference=reference)
    return pdf.summary_pdf_response(user=request.user, contract=contract)


def _export(
    request: HttpRequest, respond: Callable[..., HttpResponse], kind: DownloadKind
) -> HttpResponse:
    """The filtered list as a file made by `respond`, or the list page with its errors. A list
    too large to make in a request becomes an export job: its progress page, then its file."""
    filterset = _filterset(request)
    if not filterset.is_valid():
        return _list_page(request, filterset, status=400)
    contracts, filters = filterset.qs, filterset.canonical_params()
    rows = contracts.count()
    if services.export_needs_job(rows=rows):
        job = services.export_job_request(
            user=request.user, kind=kind, filters=filters, rows_total=rows
        )
        return redirect("contracts:export-job", job_id=job.pk)
    return respond(user=request.user, contracts=contracts, filters=filters)


@login_required
@require_GET
def contract_export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.csv_response, DownloadKind.CSV)


@login_required
@require_GET
def contract_export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.xlsx_response, DownloadKind.XLSX)


@login_required
@require_GET
def download_log(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_download_log(request.user):
        raise PermissionDenied
    page = CountedPaginator(
        selectors.download_log(), DOWNLOAD_LOG_PAGE_SIZE, count=selectors.download_log_length()
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/download_log.html",
        {"page": page, "pagination": govuk_pagination(page, {})},
    )
