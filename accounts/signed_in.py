"""The read every signed-in request makes, in one plain SQL statement: the session with its user,
their organisation and roles (or an API token with its user, organisation and roles).

Every request still reads them from the database: nothing is cached in the worker, so signing
out, a password change and deactivation take effect on the very next request (the owner's
decision, docs/performance.md). What this saves is the ORM building the same queries on every
request: measured in process on the demo data, the session 662 -> 130 us and the user with
their organisation and roles (two queries) 1,863 -> 401 us (one query); and, since the session's
row names its user (accounts.Session), the session and the user are one statement, not two.

The statements are written from the models' own fields (`_meta.concrete_fields`), so a new
column is read without touching this module, and the rows become model instances through
`Model.from_db`, as the ORM makes them. The user's group names are read in the same statement
and kept on the user for accounts.permissions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router

from core import pagecache
from core.postgresql import prepared_cursor

from . import permissions
from .models import ApiToken, User

# Django's session keys are 32 characters of [a-z0-9] (get_random_string's default for
# sessions); anything else (a NUL byte, say, which PostgreSQL refuses in text) is no session.
_SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


def _columns(alias: str, model: type) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(f'{alias}."{f.column}"' for f in fields)


@cache
def _converters(db: str, model: type) -> list[tuple[int, list, Any]]:
    """What the ORM applies to each column of `model` read from `db` (SQLite's naive datetimes
    made aware, say): (position, converters, expression) for the columns that have any."""
    connection = connections[db]
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((position, converters, column))
    return found


def _instance(model: type, db: str, names: list[str], values: tuple[Any, ...]):
    """`model.from_db` of one row, its values converted as the ORM converts them."""
    connection = connections[db]
    values = list(values)
    for position, converters, column in _converters(db, model):
        for converter in converters:
            values[position] = converter(values[position], column, connection)
    return model.from_db(db, names, values)


@cache
def _user_select(vendor: str) -> tuple[str, list[str], list[str]]:
    """SELECT user columns, organisation columns, group names FROM user LEFT JOIN organisation.
    The group names are an array on PostgreSQL and a JSON array (text) on SQLite."""
    user_model = get_user_model()
    organisation_model = user_model._meta.get_field("organisation").related_model
    user_names, user_columns = _columns("u", user_model)
    organisation_names, organisation_columns = _columns("o", organisation_model)
    membership = user_model.groups.through._meta.db_table
    groups = (
        f'FROM "{Group._meta.db_table}" g '
        f'JOIN "{membership}" m ON m."group_id" = g."id" WHERE m."user_id" = u."id"'
    )
    names = (
        f'ARRAY(SELECT g."name" {groups})'
        if vendor == "postgresql"
        else f'(SELECT json_group_array(g."name") {groups})'
    )
    sql = (
        f"SELECT {user_columns}, {organisation_columns}, {names} "  # noqa: S608 (model names)
        f'FROM "{user_model._meta.db_table}" u '
        f'LEFT JOIN "{organisation_model._meta.db_table}" o ON o."id" = u."organisation_id"'
    )
    return sql, user_names, organisation_names


def _user_from(row: tuple[Any, ...], alias: str) -> User:
    vendor = connections[alias].vendor
    _sql, user_names, organisation_names = _user_select(vendor)
    user_model = get_user_model()
    organisation_model = user_model._meta.get_field("organisation").related_model
    split = len(user_names)
    user = _instance(user_model, alias, user_names, row[:split])
    organisation_row = row[split : split + len(organisation_names)]
    organisation = (
        None
        if organisation_row[0] is None
        else _instance(organisation_model, alias, organisation_names, organisation_row)
    )
    user._state.fields_cache["organisation"] = organisation
    names = row[-1]
    permissions.remember_groups(user, names if vendor == "postgresql" else json.loads(names))
    return user


def user_pk(value: Any) -> Any:
    """`value` (a user id as a session keeps it) as the user model's primary key, or None if it
    names no valid id."""
    try:
        return get_user_model()._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


def user_with_roles(user_id: Any) -> User | None:
    """The user `user_id` with their organisation and group names, in one query; None if there
    is no such user."""
    user_model = get_user_model()
    pk = user_pk(user_id)
    if pk is None:  # a session naming no valid id: nobody
        return None
    alias = router.db_for_read(user_model)
    sql, _, _ = _user_select(connections[alias].vendor)
    with prepared_cursor(connections[alias]) as cursor:
        cursor.execute(f'{sql} WHERE u."id" = %s', [pk])
        row = cursor.fetchone()
    return None if row is None else _user_from(row, alias)


@cache
def _user_select_through(vendor: str, columns: str, table: str, alias: str, join: str) -> str:
    """The user's SELECT with `columns` first, FROM `table` (as `alias`, whose "user_id" names
    the user) `join`ed to the user: a token or a session read with its user."""
    users = get_user_model()._meta.db_table
    sql, _, _ = _user_select(vendor)
    return sql.replace("SELECT ", f"SELECT {columns}, ", 1).replace(
        f'FROM "{users}" u ',
        f'FROM "{table}" {alias} {join} "{users}" u ON u."id" = {alias}."user_id" ',
        1,
    )


@cache
def _token_select(vendor: str) -> tuple[str, list[str]]:
    """The user's SELECT, with the token's columns first, FROM token JOIN user."""
    token_names, token_columns = _columns("t", ApiToken)
    sql = _user_select_through(vendor, token_columns, ApiToken._meta.db_table, "t", "JOIN")
    return sql, token_names


def tokens_with_users(token_key: str) -> list[ApiToken]:
    """The API tokens whose key starts `token_key`, each with its user, their organisation and
    group names, in one query."""
    alias = router.db_for_read(ApiToken)
    sql, token_names = _token_select(connections[alias].vendor)
    with prepared_cursor(connections[alias]) as cursor:
        cursor.execute(f'{sql} WHERE t."token_key" = %s', [token_key])
        rows = cursor.fetchall()
    tokens = []
    for row in rows:
        token = _instance(ApiToken, alias, token_names, row[: len(token_names)])
        token._state.fields_cache["user"] = _user_from(row[len(token_names) :], alias)
        tokens.append(token)
    return tokens


@cache
def _session_select(vendor: str, table: str, page_version: str | None) -> str:
    """The user's SELECT, with the session's data (and the `page_version` column, if any)
    first, FROM session LEFT JOIN user."""
    columns = 's."session_data"' + (f", {page_version}" if page_version else "")
    return _user_select_through(vendor, columns, table, "s", "LEFT JOIN")


class SessionRead(NamedTuple):
    data: str  # the session's encoded data
    user: User | None  # the user it names, with organisation and group names; None if nobody
    page_version: int | None  # kept pages' version now (core.pagecache), where they are on


def session_with_user(model: type, session_key: str | None, now: datetime) -> SessionRead | None:
    """The unexpired session `session_key` of `model`'s table (a session naming its user,
    accounts.Session) with that user, their organisation and group names, and the kept pages'
    version (core.pagecache.version_column); None if there is no such session. One query."""
    if not session_key or not _SESSION_KEY.fullmatch(session_key):
        return None
    alias = router.db_for_read(model)
    connection = connections[alias]
    page_version = pagecache.version_column(connection.vendor)
    sql = _session_select(connection.vendor, model._meta.db_table, page_version)
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            f'{sql} WHERE s."session_key" = %s AND s."expire_date" > %s',
            [session_key, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    data, version, user_row = (row[0], row[1], row[2:]) if page_version else (row[0], None, row[1:])
    return SessionRead(data, None if user_row[0] is None else _user_from(user_row, alias), version)


# The session whose user Django's authentication is reading (accounts.middleware), so that the
# backend takes the user read with it instead of reading them again.
_SESSION_BEING_READ: ContextVar[Any] = ContextVar("session being read", default=None)


@contextmanager
def users_read_with(session) -> Iterator[None]:
    """Within this block, user_read_with_session() answers from `session`'s own read."""
    token = _SESSION_BEING_READ.set(session)
    try:
        yield
    finally:
        _SESSION_BEING_READ.reset(token)


def user_read_with_session(user_id: Any) -> User | None:
    """The user `user_id` as the session being read (users_read_with) read them with itself, or
    None if no session is being read or it read nobody else."""
    user = getattr(_SESSION_BEING_READ.get(), "user_read_with_session", None)
    if user is None or str(user.pk) != str(user_id):
        return None
    return user
