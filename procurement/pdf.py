"""The one-page contract summary, rendered from an HTML template to a tagged PDF (PDF/UA-1)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.models import Contract, DownloadKind
from contracts.selectors import figures_for
from contracts.services import contract_download_record
from rollout.selectors import contract_rollout_status


def summary_context(contract: Contract) -> dict:
    figures = figures_for(contract)
    return {
        "contract": contract,
        "figures": figures,
        "lines": list(zip(contract.lines.all(), figures.lines, strict=True)),
        "rollout": contract_rollout_status(contract),
        "generated_at": timezone.localtime(),
    }


def summary_pdf(contract: Contract) -> bytes:
    """PDF/UA-1: tagged structure, with the document's language and title taken from the
    template's `<html lang>` and `<title>`, so screen readers can read it."""
    from weasyprint import HTML  # imported on first use: it is slow to load and rarely needed

    html = render_to_string("contracts/summary_pdf.html", summary_context(contract))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def summary_pdf_response(*, user, contract: Contract) -> HttpResponse:
    """Render first, then record: a failed rendering is neither served nor logged."""
    content = summary_pdf(contract)
    contract_download_record(user=user, kind=DownloadKind.PDF, contract=contract)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.reference}-summary.pdf"'
    return response
