"""Text written to a spreadsheet download (CSV or XLSX), made safe to open."""

from __future__ import annotations

# Spreadsheets treat a cell starting with one of these as a formula (tab and carriage return
# can hide one); OWASP's advice is to prefix such text with an apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it, never run as a formula: "=1+1" → "'=1+1"."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
