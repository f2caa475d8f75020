"""Cached catalogue responses: the serialized services list and the catalogue page's content.

The catalogue changes only through catalogue/services.py and the repricing, which call
`catalogue_changed()` inside their own transaction. Cached values are keyed on the catalogue
version, so a change is seen by the very next request.

Why the version lives in the database (one row, one indexed read a request) rather than in the
cache itself: it commits or rolls back with the write that changed the catalogue, so there is no
window between the commit and a bump; and it is shared by every gunicorn worker and the Celery
worker (which reprices) even where the cache is each process's own memory (no Redis). A reader
takes the version before it reads the catalogue, so at worst it stores newer data under an
older version, which the next request no longer asks for. The cache TIMEOUT bounds how long an
entry lives should the database ever go back to an older version (a restore).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from core.postgresql import prepared_cursor

logger = logging.getLogger(__name__)

T = TypeVar("T")
_ROW = 1  # the only CatalogueVersion row
_READ_VERSION = "SELECT number FROM catalogue_catalogueversion WHERE id = %s"
_RAISE_VERSION = (
    "INSERT INTO catalogue_catalogueversion (id, number) VALUES (%s, 1) "
    "ON CONFLICT (id) DO UPDATE SET number = catalogue_catalogueversion.number + 1"
)


def catalogue_version() -> int:
    """The current version; 0 before the first write made the row.

    Read on every catalogue request, cache hit or not: one plain statement, because building
    the same query with the ORM costs more than PostgreSQL takes to answer it (bench/).
    """
    with prepared_cursor(connection) as cursor:
        cursor.execute(_READ_VERSION, [_ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def catalogue_changed() -> None:
    """Call in the transaction of every write that changes what the catalogue shows.

    One statement whether or not the row exists yet (a test that empties the tables removes
    it): an upsert that PostgreSQL and SQLite both understand.
    """
    with connection.cursor() as cursor:
        cursor.execute(_RAISE_VERSION, [_ROW])


def cached(name: str, build: Callable[[], T]) -> T:
    """`build()`'s value for the current catalogue version, built once per version.

    A cache that cannot be reached costs speed, never the page: the value is built instead.
    """
    key = f"catalogue:{catalogue_version()}:{name}"
    try:
        value = cache.get(key)
    except Exception:
        logger.exception("catalogue cache unreachable", extra={"key": key})
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value)
        except Exception:
            logger.exception("catalogue cache unreachable", extra={"key": key})
    return value
