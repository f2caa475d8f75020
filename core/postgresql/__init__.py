"""Django's PostgreSQL backend with a health check that costs no round trip and prepared
statements for the reads every request makes (base.py)."""

from __future__ import annotations


def prepared_cursor(connection):
    """For a statement every request runs: a cursor whose statements the database prepares
    (parses and plans once per connection), where the backend offers one (core.postgresql);
    else the ordinary cursor."""
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()
