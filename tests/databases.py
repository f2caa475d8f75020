"""Run a test once per database engine: on PostgreSQL (marked `postgres`, so CI fails it when
PostgreSQL is missing; see conftest.py) and on SQLite, each variant only where its engine is the
one configured. PostgreSQL refuses some text (a NUL byte) that SQLite stores or finds nothing
for, so a rule about such input is checked on both."""

from __future__ import annotations

import pytest
from django.conf import settings


def _engine() -> str:
    return settings.DATABASES["default"]["ENGINE"]


on_each_database = pytest.mark.parametrize(
    "database",
    [
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param(
            "sqlite",
            marks=pytest.mark.skipif(
                "sqlite" not in _engine(), reason="the SQLite variant; this run is on PostgreSQL"
            ),
        ),
    ],
)
