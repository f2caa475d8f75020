"""Whole pages kept for the person who asked, until anything they show changes.

The lists Cabinet Office staff and procurement officers open again and again (the contracts,
the framework, the applications queue) read tens of thousands of rows at public-sector scale.
`cached_page` keeps each answer, per user and address, and gives it back while nothing it was
made from has changed: the request still signs the user in from the database (the session and
the user are never cached), so signing out, a password change or deactivation ends access as
before; only the page's own reads are saved.

**When the data changed.** Every table these pages read carries a PostgreSQL trigger
(`pages_stale`, added to each model with `@stale_pages_on_write`) that, after any statement
writing it (insert, update, delete, truncate; from the ORM, raw SQL or a set-based repricing
alike), takes a shared advisory lock until its transaction ends and advances one sequence. A
page is kept under the sequence's value, so any write makes every kept page unreachable.

**Why nothing stale is ever served.** A sequence moves before its writer commits, so a reader
could otherwise see the new number, read the old rows and keep them under it. So a page is only
kept when the reader took the number while no writer held the lock (a try, never a wait:
`_quiet_version`): every write counted in the number had committed, and the page, read after
it, includes them all; a write still in progress then makes the page uncached, not wrong. A
page is served from the cache for the number as it is now; any entry under it was made from
every write that number counts.

**What differs per request** is put back: the CSRF token (the sign-out form's; a fresh mask of
the caller's own secret) and the CSP nonce of the inline script. The key holds the user, their
roles and organisation (a role taken away changes what they may see), the address with its
query string, today's date (pages say "overdue") and the release. Pages with a message to show
(after an action) are neither served from nor kept in the cache.

On SQLite (the `make run` default) there are no triggers, and `PAGE_CACHE = False` (tests,
unless a test turns it on) turns it off: the view runs every time.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from core.postgresql import prepared_cursor

logger = logging.getLogger(__name__)

SEQUENCE = "core_pages_version"
# The advisory lock writers share while their transaction is open (any fixed 64-bit key; the
# repricing's lock is a hash of its own name, django-pglock).
LOCK = 0x464C58_50414745  # "FLX" "PAGE"
HEADER = "X-Page-Cache"  # "hit", "kept" or "not kept": for tests and for operations

_TRIGGER_FUNC = (
    f"PERFORM pg_advisory_xact_lock_shared({LOCK}); PERFORM nextval('{SEQUENCE}'); RETURN NULL;"
)
# The lock is tried inside a subquery that PostgreSQL may not merge (OFFSET 0), so it is taken
# before the sequence is read; a sequence is read as it is now, not as of a snapshot. It is a
# transaction's lock, in a transaction of that one statement: released at its commit, or by
# its rollback whatever goes wrong, so a reader can never leave writers waiting.
_QUIET_VERSION = (
    f"SELECT got, CASE WHEN got THEN (SELECT last_value FROM {SEQUENCE}) END "  # noqa: S608
    f"FROM (SELECT pg_try_advisory_xact_lock({LOCK}) AS got OFFSET 0) AS attempt"
)
_VERSION = f"SELECT last_value FROM {SEQUENCE}"  # noqa: S608 (constants)
# The version as a column of another statement: the session's read carries it
# (accounts.signed_in), so a hit costs one query, not two. A store that reads it keeps it as
# its `SESSION_ATTRIBUTE`; a page then takes that value instead of reading it again.
VERSION_COLUMN = f"(SELECT last_value FROM {SEQUENCE})"  # noqa: S608 (constants)
SESSION_ATTRIBUTE = "page_version"
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def stale_pages_on_write(model=None, *, ignoring: tuple[str, ...] = ()):
    """Class decorator for every model whose table a cached page reads. Updates that change
    only the fields `ignoring` names (what no page shows, written often: a user's last sign-in)
    leave the pages as they are."""

    def register(model):
        update = pgtrigger.Update
        if ignoring:
            update = pgtrigger.UpdateOf(
                *(f.column for f in model._meta.concrete_fields if f.attname not in ignoring)
            )
        return pgtrigger.register(
            pgtrigger.Trigger(
                name="pages_stale",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert | update | pgtrigger.Delete | pgtrigger.Truncate,
                func=_TRIGGER_FUNC,
            )
        )(model)

    return register if model is None else register(model)


def create_sequence(apps, schema_editor) -> None:
    """Migration step: the sequence the triggers advance (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def drop_sequence(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def version_column(vendor: str) -> str | None:
    """`VERSION_COLUMN` where kept pages are on for `vendor`'s database, else None."""
    return (
        VERSION_COLUMN
        if getattr(settings, "PAGE_CACHE", False) and vendor == "postgresql"
        else None
    )


def _enabled() -> bool:
    return version_column(connection.vendor) is not None


def _version(request: HttpRequest) -> int:
    """The version now: as the caller's session read it with itself earlier in this request
    (before the view, as a hit needs), else read on its own. A hit only needs a value read
    before the page is looked up: an entry kept under it holds every write it counts."""
    read = getattr(getattr(request, "session", None), SESSION_ATTRIBUTE, None)
    if read is not None:
        return read
    with prepared_cursor(connection) as cursor:
        cursor.execute(_VERSION)
        return cursor.fetchone()[0]


def _quiet_version() -> int | None:
    """The sequence's value if no writer is in progress (then a page read from now on holds
    every write it counts), else None."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_QUIET_VERSION)
        got, version = cursor.fetchone()
    return version if got else None


def _key(request: HttpRequest, who: str, version: int) -> str:
    where = hashlib.sha256(f"{who}\n{request.get_full_path()}".encode()).hexdigest()
    release = getattr(settings, "PAGE_CACHE_RELEASE", "")
    return f"page:{release}:{version}:{timezone.localdate().isoformat()}:{where}"


def _usable(request: HttpRequest) -> bool:
    return (
        _enabled()
        and request.method == "GET"
        and request.user.is_authenticated
        and not connection.in_atomic_block  # a reader's lock must end with its one statement
        and not len(messages.get_messages(request))
    )


def entry_of(request: HttpRequest, response: HttpResponse) -> dict | None:
    """What to keep of a fresh answer, or None when it must not be kept."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return None
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return {
        "content": response.content,
        "content_type": response["Content-Type"],
        "csrf": sorted(set(_CSRF.findall(response.content))),
        "nonce": getattr(request, "_csp_nonce", None),
    }


def served_from(request: HttpRequest, entry: dict) -> HttpResponse:
    """The kept answer `entry` for this request: its CSRF token and CSP nonce the caller's."""
    content: bytes = entry["content"]
    if entry["csrf"]:
        token = get_token(request).encode()
        for old in entry["csrf"]:
            content = content.replace(b'value="' + old + b'"', b'value="' + token + b'"')
    if entry["nonce"]:
        content = content.replace(
            f'nonce="{entry["nonce"]}"'.encode(), f'nonce="{request.csp_nonce!s}"'.encode()
        )
    response = HttpResponse(content, content_type=entry["content_type"])
    response[HEADER] = "hit"
    return response


def cached_page(identity: Callable[[Any], str]):
    """Serve the view's answer from the cache while nothing it reads has changed (see above).
    `identity(user)` names everything about the user that changes what the page shows them
    (accounts.permissions.page_identity). A cache that cannot be reached costs speed, never
    the page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _usable(request):
                return view(request, *args, **kwargs)
            who = identity(request.user)
            try:
                entry = cache.get(_key(request, who, _version(request)))
            except Exception:
                logger.exception("page cache unreachable")
                entry = None
            if entry is not None:
                return served_from(request, entry)
            version = _quiet_version()
            response = view(request, *args, **kwargs)
            entry = entry_of(request, response) if version is not None else None
            response[HEADER] = "not kept" if entry is None else "kept"
            if entry is not None:
                try:
                    cache.set(
                        _key(request, who, version),
                        entry,
                        getattr(settings, "PAGE_CACHE_TTL", 600),
                    )
                except Exception:
                    logger.exception("page cache unreachable")
            return response

        return wrapper

    return decorator
