"""CSV and XLSX downloads of a filtered contract list.

Contracts are read in chunks (`.iterator(chunk_size=...)`, one query for each chunk's lines),
so memory stays flat however many contracts match. The CSV streams as it is read; the XLSX is
written row by row (xlsxwriter's constant-memory mode) to a temporary file, then served from it.

Text from the database is neutralised against formula injection; money is written exactly
(2 decimal places in CSV, numbers in XLSX) from the same figures the pages show.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

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
# Every cell is written by its kind (write_string, write_number, write_datetime), never by
# xlsxwriter's guessing `write`; these options say the same for anything else, so no text can
# become a formula, a link or a number.
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def xlsx_write(rows: Iterable[list[tuple[str, Any]]], output: IO[bytes]) -> int:
    """Write the workbook of `rows` (each a list of (kind, value), in COLUMNS order) to the
    binary file-like `output`; returns the number of rows. xlsxwriter's constant-memory mode
    flushes each row as the next one starts, so memory stays flat however many rows there are.
    Text is neutralised against formula injection and stored as text; money, percentages and
    dates are numbers with a number format; an absent figure is an empty cell."""
    workbook = xlsxwriter.Workbook(output, XLSX_OPTIONS)
    try:
        sheet = workbook.add_worksheet("Contracts")
        formats = {
            kind: workbook.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()
        }
        for index, column in enumerate(COLUMNS):
            sheet.set_column(index, index, column.width)
        sheet.freeze_panes(1, 0)
        bold = workbook.add_format({"bold": True})
        for index, text in enumerate(HEADERS):
            sheet.write_string(0, index, text, bold)
        count = 0
        for count, cells in enumerate(rows, start=1):
            for index, (kind, value) in enumerate(cells):
                if value is None:
                    continue
                if kind == "text":
                    sheet.write_string(count, index, neutralise(str(value)))
                elif kind == "int":
                    sheet.write_number(count, index, value)
                elif kind == "date":
                    sheet.write_datetime(count, index, value, formats["date"])
                else:
                    sheet.write_number(count, index, value, formats[kind])
    finally:
        workbook.close()
    return count


def xlsx_write_contracts(contracts: QuerySet[Contract], output: IO[bytes]) -> int:
    """The XLSX export of `contracts` written to `output`; returns the number of rows."""
    return xlsx_write(_rows(contracts), output)


def xlsx_file(contracts: QuerySet[Contract]) -> tuple[Any, int]:
    """An open temporary file holding the workbook, positioned at its start, and its row count."""
    # Not a `with` block: the open file is handed to FileResponse, which closes it once sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        rows = xlsx_write_contracts(contracts, handle)
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
