"""The demo data for the test suite, loaded once and copied in after that.

`load_flex_demo` runs about 600 queries (services, repricing, history triggers) and hundreds of
tests start from it. On PostgreSQL it is loaded once a session, before any test, in a
transaction that is rolled back, keeping a copy of every row it wrote (COPY ... TO STDOUT);
each test that asks for the demo gets those same rows back with COPY ... FROM STDIN, in a few
milliseconds. The copy is used only where it gives exactly what a fresh load would:

- inside a test's rolled-back transaction (a transactional test loads for real, so the tasks
  the load queues on commit run as they would);
- when every table the demo writes is as it was when the copy was taken (a test that made its
  own rows first, say an approver whose group the demo would reuse, loads for real);
- when the clock is within a few minutes of the load it copies (the demo's dates are relative
  to today; a test that moves the clock loads for real; an old copy is taken again).

Rows go in with triggers off (`session_replication_role = replica`): the history rows the
load's triggers wrote are part of the copy, and foreign keys hold because the rows are the
load's own. Sequences are moved past the copied ids so later inserts never collide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

# The clock may move this far from the copied load before the copy is refused.
FRESH_FOR = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class _Table:
    name: str
    before: bytes  # as migrations left it (empty for all but a singleton or two)
    after: bytes  # as the demo left it
    id_sequence: str | None


@dataclass(frozen=True)
class _Snapshot:
    tables: tuple[_Table, ...]
    loaded_at: dt.datetime


def take() -> _Snapshot | None:
    """Load the demo in a transaction that is rolled back, keeping a copy of what it wrote.

    Called once a session, outside any test, so the tables are as migrations (and earlier
    tests, rolled back or flushed) left them."""
    from demo.loader import load_flex_demo

    if connection.vendor != "postgresql":
        return None
    with transaction.atomic():
        before = _dump_all()
        load_flex_demo(with_users=True)
        after = _dump_all()
        loaded_at = timezone.now()
        transaction.set_rollback(True)
    return _Snapshot(
        tables=tuple(
            _Table(name, before[name], after[name], _id_sequence(name))
            for name in after
            if after[name] != before[name]
        ),
        loaded_at=loaded_at,
    )


class DemoData:
    """The session's copy of the demo, taken again when it is too old to use."""

    def __init__(self) -> None:
        self.snapshot = take()

    def load(self) -> str:
        """Load the INTERFACE.md demo data into the test's database, from the copy if it can;
        says which ("copied" or "loaded")."""
        from demo.loader import load_flex_demo

        snapshot = self.snapshot
        if snapshot is None or not connection.in_atomic_block or not _as_before(snapshot):
            load_flex_demo(with_users=True)
            return "loaded"
        if _fresh(snapshot):
            _restore(snapshot)
            return "copied"
        else:  # the tables are as the old copy found them: load for real and copy again
            load_flex_demo(with_users=True)
            self.snapshot = _Snapshot(
                tables=tuple(
                    _Table(table.name, table.before, _dump(table.name), table.id_sequence)
                    for table in snapshot.tables
                ),
                loaded_at=timezone.now(),
            )
            return "loaded"


def _fresh(snapshot: _Snapshot) -> bool:
    return abs(timezone.now() - snapshot.loaded_at) <= FRESH_FOR


def _as_before(snapshot: _Snapshot) -> bool:
    empty = [table.name for table in snapshot.tables if not table.before]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM "{name}")' for name in empty)
        )
        if cursor.fetchone()[0]:
            return False
    return all(_dump(table.name) == table.before for table in snapshot.tables if table.before)


def _restore(snapshot: _Snapshot) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in snapshot.tables:
            if table.before:
                cursor.execute(f'DELETE FROM "{table.name}"')
            with cursor.cursor.copy(f'COPY "{table.name}" FROM STDIN') as copy:
                copy.write(table.after)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for table in snapshot.tables:
            if table.id_sequence:
                cursor.execute(
                    "SELECT setval(%s, GREATEST("
                    f'(SELECT max(id) FROM "{table.name}"), '
                    "(SELECT last_value FROM pg_sequences WHERE "
                    "(schemaname || '.' || sequencename)::regclass = %s::regclass), 1))",
                    [table.id_sequence, table.id_sequence],
                )


def _dump_all() -> dict[str, bytes]:
    return {
        name: _dump(name)
        for name in connection.introspection.table_names()
        if name != "django_migrations"
    }


def _dump(name: str) -> bytes:
    data = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{name}" TO STDOUT') as copy:
        for block in copy:
            data += block
    return bytes(data)


def _id_sequence(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = 'id'",
            [name],
        )
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{name}"'])
        row = cursor.fetchone()
    return row[0] if row and row[0] else None
