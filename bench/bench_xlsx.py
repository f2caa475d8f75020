"""Benchmark the XLSX writer of the contract export on 10,000 contracts: the portal's writer
(procurement.exports.xlsx_file, xlsxwriter in constant-memory mode) against the openpyxl
write-only writer it replaced (kept here as the reference), over the same rows, with the rows
read once beforehand so only the writing is timed. Median of 3 runs each.

Runs standalone (`.venv/bin/python -m bench.bench_xlsx`) against a throwaway database, like
bench/bench_downloads.py, whose data builder it reuses.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
import tracemalloc
from typing import Any

from bench.support import throwaway_django

RUNS = 3
SIZE = 10_000


def openpyxl_reference(rows: list[list[tuple[str, Any]]], handle) -> int:
    """The writer procurement/exports.py used before xlsxwriter: openpyxl write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from core.spreadsheets import neutralise
    from procurement.exports import COLUMNS, HEADERS, NUMBER_FORMATS

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

    def cell(kind: str, value: Any) -> Any:
        if value is None:
            return None
        if kind == "text":
            return neutralise(str(value))
        if kind == "int":
            return value
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = NUMBER_FORMATS[kind]
        return written

    for cells in rows:
        sheet.append([cell(kind, value) for kind, value in cells])
    workbook.save(handle)
    return len(rows)


def _size_and_peak(write, rows) -> tuple[int, float]:
    with tempfile.TemporaryFile() as handle:
        write(rows, handle)
        size = handle.seek(0, io.SEEK_END)
    tracemalloc.start()
    write(rows, io.BytesIO())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return size, peak


def _measure() -> list[dict]:
    from bench.bench_downloads import _grow_to
    from contracts.models import Contract
    from demo.loader import load_flex_demo
    from procurement.exports import _rows, xlsx_write

    load_flex_demo(with_users=True)
    _grow_to(SIZE)
    rows = list(_rows(Contract.objects.all()))[:SIZE]
    writers = (
        ("xlsxwriter constant_memory (procurement.exports.xlsx_write)", xlsx_write),
        ("openpyxl write-only (the writer replaced)", openpyxl_reference),
    )
    # Interleaved, so a machine whose load changes meanwhile slows both alike.
    timings: dict[str, list[float]] = {name: [] for name, _ in writers}
    for _ in range(RUNS):
        for name, write in writers:
            with tempfile.TemporaryFile() as handle:
                started = time.perf_counter()
                write(rows, handle)
                timings[name].append(time.perf_counter() - started)
    results = []
    for name, write in writers:
        size, peak = _size_and_peak(write, rows)
        median = statistics.median(timings[name])
        results.append(
            {
                "benchmark": f"XLSX of {len(rows):,} contracts, {name} (median of {RUNS})",
                "figure": f"{median:.2f} s, {size / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB",
                "target": "(comparison)",
            }
        )
    new, old = (statistics.median(timings[name]) for name, _ in writers)
    results.append(
        {
            "benchmark": "XLSX writer speed-up, xlsxwriter over openpyxl",
            "figure": f"x{old / new:.2f}",
            "target": "faster (> x1)",
        }
    )
    return results


def run() -> list[dict]:
    with throwaway_django("xlsx"):
        return _measure()


def main() -> None:
    rows = run()
    width = max(len(row["benchmark"]) for row in rows)
    for row in rows:
        print(f"{row['benchmark']:<{width}}  {row['figure']:<34}  target {row['target']}")


if __name__ == "__main__":
    main()
