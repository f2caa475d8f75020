"""/open-data/: what the framework publishes, for anyone: the OCDS release package and a CSV
with one row per contract line."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from . import contract_lines, selectors, services
from .models import PublishedFileName

FILENAME = "flex-contract-lines.csv"
# How often the "being made" page asks again (the file takes seconds to a minute to make).
REFRESH_SECONDS = 30


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/open_data.html",
        {
            "ocid_prefix": settings.OCDS_OCID_PREFIX,
            "page_size": settings.OCDS_PAGE_SIZE,
            "lines_file": None
            if selectors.contract_lines_made_on_request()
            else selectors.published_file(PublishedFileName.CONTRACT_LINES),
        },
    )


@require_GET
def contract_lines_csv(request: HttpRequest) -> HttpResponse:
    """The contract-lines CSV: made on request for a small framework (streamed a page of
    contracts at a time), else the file a worker publishes (opendata/services.py); while
    there is none yet, a page saying it is being made, which refreshes itself."""
    if selectors.contract_lines_made_on_request():
        response = StreamingHttpResponse(
            contract_lines.csv_lines(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
        return response
    published = selectors.published_file(PublishedFileName.CONTRACT_LINES)
    if published is None:
        services.contract_lines_publish_soon()
        response = render(
            request,
            "opendata/being_made.html",
            {"refresh_seconds": REFRESH_SECONDS},
            status=503,
        )
        response["Retry-After"] = str(REFRESH_SECONDS)
        return response
    response = FileResponse(
        published.file.open("rb"),
        as_attachment=True,
        filename=FILENAME,
        content_type="text/csv; charset=utf-8",
    )
    response["Last-Modified"] = http_date(published.made_at.timestamp())
    return response
