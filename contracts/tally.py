"""The running tally of contracts by status and kind: how many, and their annual and total value
in whole pence, kept by PostgreSQL as contracts are written.

Why: the contracts list shows Cabinet Office staff and procurement officers the count and totals
of every contract they filter to. Summing 50,000 stored annual values took 30-50 ms a request at
public-sector scale; for the lists filtered by status and kind at most (what staff open most),
the same figures are now a sum of a few tally rows.

How it stays right: three statement-level triggers on `contracts_contract` (insert, update,
delete; PostgreSQL allows transition tables on one event a trigger) append, for each statement,
one `ContractTally` row per status and kind it touched: + the rows as they are after it, - the
rows as they were before. Any write, through the ORM, raw SQL or the repricing's set-based
`UPDATE`, is counted once, in the writer's own transaction (a rollback takes it back). Appending
never waits on another writer. A truncate empties the tally. `contract_tally_compact`
(contracts/services.py, hourly through beat) folds the rows into one per status and kind.

The figures are the rule `selectors.contract_totals` applies to the rows themselves (pence =
the annual value times 100, rounded; total = pence times the term's years), in SQL here;
tests/contracts/test_tally.py checks the two agree after every kind of write. On SQLite there
are no triggers: the selectors sum the contracts.

The download log is counted the same way (`DownloadTally`, `download_triggers`): the log page
numbers its pages from that count, which counting 200,000 log rows made 20 ms a request.
"""

from __future__ import annotations

import pgtrigger

TABLE = "contracts_contracttally"
_COLUMNS = "status, kind, contracts, annual_pence, total_pence"
_PENCE = "ROUND(annual_value * 100, 0)::bigint"


def _rows(transition: str, sign: str) -> str:
    return (
        f"SELECT status, kind, {sign}1 AS contracts, {sign}{_PENCE} AS annual_pence, "
        f"{sign}{_PENCE} * term_years AS total_pence FROM {transition}"
    )


def _append(*selects: str) -> str:
    changes = " UNION ALL ".join(selects)
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) "
        "SELECT status, kind, SUM(contracts), SUM(annual_pence), SUM(total_pence) "
        f"FROM ({changes}) AS change GROUP BY status, kind "
        "HAVING SUM(contracts) <> 0 OR SUM(annual_pence) <> 0 OR SUM(total_pence) <> 0; "
        "RETURN NULL;"
    )


def _trigger(name, operation, func, referencing=None) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=referencing,
        func=func,
    )


def triggers() -> list[pgtrigger.Trigger]:
    """The triggers `Contract.Meta` installs (migrations record them)."""
    return [
        _trigger(
            "tally_insert",
            pgtrigger.Insert,
            _append(_rows("new_rows", "")),
            pgtrigger.Referencing(new="new_rows"),
        ),
        _trigger(
            "tally_update",
            pgtrigger.Update,
            _append(_rows("new_rows", ""), _rows("old_rows", "-")),
            pgtrigger.Referencing(old="old_rows", new="new_rows"),
        ),
        _trigger(
            "tally_delete",
            pgtrigger.Delete,
            _append(_rows("old_rows", "-")),
            pgtrigger.Referencing(old="old_rows"),
        ),
        _trigger("tally_truncate", pgtrigger.Truncate, f"DELETE FROM {TABLE}; RETURN NULL;"),
    ]


# One statement: the rows read and deleted are the same snapshot's, and a writer appending
# meanwhile keeps its row (it was not in that snapshot).
COMPACT = (
    f"WITH folded AS (DELETE FROM {TABLE} RETURNING {_COLUMNS}) "
    f"INSERT INTO {TABLE} ({_COLUMNS}) "
    "SELECT status, kind, SUM(contracts), SUM(annual_pence), SUM(total_pence) FROM folded "
    "GROUP BY status, kind "
    "HAVING SUM(contracts) <> 0 OR SUM(annual_pence) <> 0 OR SUM(total_pence) <> 0"
)


# --- The download log's count ------------------------------------------------------------------

DOWNLOADS_TABLE = "contracts_downloadtally"


def _count_of(transition: str, sign: str) -> str:
    return (
        f"INSERT INTO {DOWNLOADS_TABLE} (downloads) "
        f"SELECT {sign}COUNT(*) FROM {transition} HAVING COUNT(*) > 0; RETURN NULL;"
    )


def download_triggers() -> list[pgtrigger.Trigger]:
    """The triggers `ContractDownload.Meta` installs: + the rows each insert statement adds,
    - those each delete removes; a truncate empties the count. An update changes no count."""
    return [
        _trigger(
            "tally_insert",
            pgtrigger.Insert,
            _count_of("new_rows", ""),
            pgtrigger.Referencing(new="new_rows"),
        ),
        _trigger(
            "tally_delete",
            pgtrigger.Delete,
            _count_of("old_rows", "-"),
            pgtrigger.Referencing(old="old_rows"),
        ),
        _trigger(
            "tally_truncate", pgtrigger.Truncate, f"DELETE FROM {DOWNLOADS_TABLE}; RETURN NULL;"
        ),
    ]


DOWNLOADS_COMPACT = (
    f"WITH folded AS (DELETE FROM {DOWNLOADS_TABLE} RETURNING downloads) "
    f"INSERT INTO {DOWNLOADS_TABLE} (downloads) "
    "SELECT SUM(downloads) FROM folded HAVING SUM(downloads) <> 0"
)
