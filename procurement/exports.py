"""CSV and XLSX downloads of a filtered contract list.

Contracts are read in chunks (`.iterator(chunk_size=...)`, one query for each chunk's lines),
so memory stays flat however many contracts match. The CSV streams as it is read; the XLSX is
written row by row (openpyxl's write-only mode) to a temporary file, then served from it.

Text from the database is neutralised against formula injection; money is written exactly
(2 decimal places in CSV, numbers in XLSX) from the same figures the pages show.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from contracts.models import Contract, DownloadKind
from contracts.selectors import ContractRow, contract_rows
from contracts.services import contract_download_record
from core.spreadsheets import neutralise

EXPORT_CHUNK_SIZE = 1000
CSV_ROWS_PER_WRITE = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # text, date, int, money or percent
    value: Callable[[ContractRow], Any]
    width: int = 14


COLUMNS = (
    Column("Reference", "text", lambda r: r.reference, 16),
    Column("Organisation", "text", lambda r: r.organisation_name, 40),
    Column("Organisation slug", "text", lambda r: r.organisation_slug, 16),
    Column("Kind", "text", lambda r: r.kind, 12),
    Column("Status", "text", lambda r: r.status, 10),
    Column("Signed on", "date", lambda r: r.signed_on, 12),
    Column("Start date", "date", lambda r: r.start_date, 12),
    Column("End date", "date", lambda r: r.end_date, 12),
    Column("Term (years)", "int", lambda r: r.term_years, 8),
    Column(
        "Services (seats)",
        "text",
        lambda r: "; ".join(f"{slug} x {seats}" for slug, seats in r.services),
        40,
    ),
    Column("Core seats", "int", lambda r: r.figures.core_seats, 10),
    Column("Annual value now (GBP)", "money", lambda r: r.figures.annual_value, 18),
    Column("Total value now (GBP)", "money", lambda r: r.figures.total_value, 18),
    Column("Core value at signing (GBP)", "money", lambda r: r.figures.core_value, 18),
    Column("Core value now (GBP)", "money", lambda r: r.figures.core_value_now, 18),
    Column("Previous cost per seat (GBP)", "money", lambda r: r.figures.previous_cost_per_seat, 14),
    Column("Savings per year (GBP)", "money", lambda r: r.figures.savings_per_year, 18),
    Column("Savings (%)", "percent", lambda r: r.figures.savings_percent, 10),
)
HEADERS = [column.header for column in COLUMNS]


def _rows(contracts: QuerySet[Contract]) -> Iterator[list[tuple[str, Any]]]:
    for row in contract_rows(contracts, chunk_size=EXPORT_CHUNK_SIZE):
        yield [(column.kind, column.value(row)) for column in COLUMNS]


def csv_cell(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "text":
        return neutralise(str(value))
    if kind == "date":
        return value.isoformat()
    if kind == "money":
        return f"{value:.2f}"
    if kind == "percent":
        return f"{value:.1f}"
    return str(value)


def _filename(extension: str) -> str:
    return f"contracts-{timezone.localtime():%Y-%m-%d-%H%M}.{extension}"


class _Echo:
    """A file-like object whose write returns what it was given, so csv.writer makes lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    contracts: QuerySet[Contract], *, on_complete: Callable[[int], None]
) -> Iterator[str]:
    """The CSV, a block of lines at a time; `on_complete(rows)` runs once the last line is out,
    so a download the client abandons is never recorded."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)  # the byte-order mark lets Excel read UTF-8
    rows = 0
    block: list[str] = []
    for cells in _rows(contracts):
        block.append(writer.writerow([csv_cell(kind, value) for kind, value in cells]))
        rows += 1
        if len(block) == CSV_ROWS_PER_WRITE:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)
    on_complete(rows)


def csv_response(
    *, user, contracts: QuerySet[Contract], filters: dict[str, str]
) -> StreamingHttpResponse:
    def record(rows: int) -> None:
        contract_download_record(user=user, kind=DownloadKind.CSV, filters=filters, rows=rows)

    response = StreamingHttpResponse(
        csv_lines(contracts, on_complete=record), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.0", "date": "yyyy-mm-dd"}


def xlsx_cell(sheet, kind: str, value: Any) -> Any:
    """A value for the write-only sheet: text and whole numbers as they are (neutralised text
    never starts with "=", so openpyxl cannot take it for a formula), money, percentages and
    dates as cells with a number format."""
    if value is None:
        return None
    if kind == "text":
        return neutralise(str(value))
    if kind == "int":
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[kind]
    return cell


def xlsx_file(contracts: QuerySet[Contract]) -> tuple[Any, int]:
    """An open temporary file holding the workbook, positioned at its start, and its row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contracts")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows = 0
    for cells in _rows(contracts):
        sheet.append([xlsx_cell(sheet, kind, value) for kind, value in cells])
        rows += 1
    # Not a `with` block: the open file is handed to FileResponse, which closes it once sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, rows


def xlsx_response(*, user, contracts: QuerySet[Contract], filters: dict[str, str]) -> FileResponse:
    handle, rows = xlsx_file(contracts)
    contract_download_record(user=user, kind=DownloadKind.XLSX, filters=filters, rows=rows)
    return FileResponse(
        handle, as_attachment=True, filename=_filename("xlsx"), content_type=XLSX_CONTENT_TYPE
    )
