"""/audit/: every recorded change, for Cabinet Office staff and procurement officers (403 for
anyone else), filtered, a page at a time, and as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import permissions
from core.history import history_recorded
from core.pagination import query_string
from core.spreadsheets import neutralise

from . import selectors
from .forms import AuditFilterForm

PAGE_SIZE = 50
# The most rows one CSV holds; narrower filters give the rest.
EXPORT_MAX_ROWS = 100_000
CSV_HEADER = [
    "When",
    "Type of record",
    "Record",
    "Organisation",
    "Action",
    "Changed by",
    "Source",
    "Reason",
    "Field",
    "Old value",
    "New value",
]


def _require_auditor(request: HttpRequest) -> None:
    if not permissions.can_see_all_organisations_records(request.user):
        raise PermissionDenied("Only Cabinet Office staff and procurement officers see the audit.")


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k != "page" and v}


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    context: dict = {"form": form, "recorded": history_recorded(), "page": None}
    if request.GET and not form.is_valid():
        return render(request, "audit/audit_list.html", context, status=400)
    filters = form.filters() if request.GET else selectors.AuditFilters()
    number = (form.cleaned_data.get("page") if request.GET else None) or 1
    page = selectors.audit_page(filters=filters, number=number, size=PAGE_SIZE)
    params = _params(request)
    names = selectors.organisation_names(
        {e.organisation_id for e in page.entries if e.organisation_id}
    )
    context.update(
        page=page,
        rows=[(entry, names.get(entry.organisation_id, "")) for entry in page.entries],
        previous_url=query_string(params, page=number - 1) if number > 1 else None,
        next_url=query_string(params, page=number + 1) if page.has_next else None,
        download_query=query_string(params),
    )
    return render(request, "audit/audit_list.html", context)


@login_required
@require_GET
def audit_export_csv(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        context = {"form": form, "recorded": history_recorded(), "page": None}
        return render(request, "audit/audit_list.html", context, status=400)
    filters = form.filters() if request.GET else selectors.AuditFilters()
    response = StreamingHttpResponse(_csv_lines(filters), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="flex-audit-{stamp}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(filters: selectors.AuditFilters) -> Iterator[str]:
    """One row per field changed (an event that changed no shown field has one row)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for batch in selectors.audit_batches(filters=filters, limit=EXPORT_MAX_ROWS):
        names = selectors.organisation_names(
            {e.organisation_id for e in batch if e.organisation_id}
        )
        yield from _csv_rows(writer, batch, names)


def _csv_rows(writer, batch: list, names: dict[int, str]) -> Iterator[str]:
    for entry in batch:
        common = [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.kind,
            entry.object_label,
            names.get(entry.organisation_id, "") if entry.organisation_id else "",
            entry.action,
            entry.actor,
            entry.source,
            entry.reason,
        ]
        for change in entry.changes or [None]:
            cells = [*common]
            if change is not None:
                cells += [change.name, change.old or "", change.new or ""]
            else:
                cells += ["", "", ""]
            yield writer.writerow([neutralise(str(cell)) for cell in cells])
