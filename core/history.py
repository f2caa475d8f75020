"""The change history: who changed what, when, the old and new values, and why.

Rows are written by PostgreSQL triggers (django-pghistory, through django-pgtrigger) on every
insert, update and delete of a tracked table, so a set-based `UPDATE` (the repricing of every
contract line) is recorded as surely as a form's save. The event tables are append-only:
triggers refuse any update or delete of them. docs/architecture.md says why this library.

Each event points at a context row holding who acted and why. Requests set it in
`HistoryMiddleware` (the signed-in user, also when DRF authenticates a token inside the view);
work outside a request (Celery tasks, the demo loader) enters `history_context` itself, and any
service may add a reason with `history_note`.

On SQLite (the embedded `make run` default) no trigger is installed, so nothing is recorded
and both helpers do nothing: pghistory's context is sent as a PostgreSQL `set_config` call
before each statement, which SQLite would refuse. `history_recorded()` says which applies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pghistory
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import OuterRef, QuerySet, Subquery
from pghistory.middleware import HistoryMiddleware as _PgHistoryMiddleware

from .formatting import money

# Labels of the three events every tracked model records, and of the row each object had
# when its history began (written once by the migration that started tracking it).
CREATED, CHANGED, REMOVED, RECORDED = "created", "changed", "removed", "recorded"
# What the portal's own work is called where no person acted.
PORTAL = "Flex Portal"


def history_recorded() -> bool:
    """True where the database records history (PostgreSQL); False on SQLite."""
    return connection.vendor == "postgresql"


def trackers() -> list:
    """The events every tracked model records: its row as created, as each change left it, and
    as it was when removed."""
    return [
        pghistory.InsertEvent(CREATED),
        pghistory.UpdateEvent(CHANGED),
        pghistory.DeleteEvent(REMOVED),
    ]


def track(*, model_name: str, indexes: Sequence[models.Index] = (), exclude: Sequence[str] = ()):
    """The decorator each tracked model wears: an append-only event model `model_name`,
    recording every field but those `exclude` names (columns the database derives from
    others, which a history row could not be written into and would only repeat)."""
    # Statement-level triggers: a set-based UPDATE of 200,000 contract lines (the repricing)
    # writes its history rows in one INSERT ... SELECT from the transition tables, instead of
    # running the trigger function once a row (measured: 422 s for one such UPDATE row by row).
    return pghistory.track(
        *trackers(),
        level=pghistory.Statement,
        model_name=model_name,
        obj_field=pghistory.ObjForeignKey(related_name="history"),
        exclude=list(exclude),
        append_only=True,
        meta={"indexes": [models.Index(fields=["pgh_created_at", "pgh_id"]), *indexes]},
    )


def history_context(*, actor: Any = None, reason: str = "", source: str = ""):
    """Group the writes inside it under one context: `actor` (a user, or None for the portal
    itself), the `reason` ("DIUS joined") and the `source` ("repricing task"). Nested inside a
    request's or another context it adds to that one. A no-op on SQLite."""
    if not history_recorded():
        return contextlib.nullcontext()
    metadata: dict[str, Any] = {}
    if actor is not None:
        metadata["user"] = actor.pk
    if reason:
        metadata["reason"] = reason[:500]
    if source:
        metadata["source"] = source
    return pghistory.context(**metadata)


def history_note(*, reason: str) -> None:
    """Add a reason to the context the caller is already in (a request, a task); nothing
    outside one, or on SQLite."""
    if not (reason and history_recorded()):
        return
    pghistory.context(reason=reason[:500])
    # The context row takes its metadata when a tracked row is next written; the changes made
    # before this note (the contract an approval created) point at the same row, so bring it
    # up to date now. Not a plain SELECT: pghistory sends its context only with other
    # statements. Outside any context the function does nothing.
    with connection.cursor() as cursor:
        cursor.execute("WITH attached AS (SELECT _pgh_attach_context()) SELECT 1 FROM attached")


class HistoryMiddleware(_PgHistoryMiddleware):
    """Every request that may write runs in a history context naming its user and path.

    pghistory's middleware also follows DRF, which sets the user inside the view after token
    authentication. Reads (GET, HEAD) write nothing tracked, so they get no context."""

    def __call__(self, request):
        if not history_recorded() or request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        return super().__call__(request)

    def get_context(self, request) -> dict[str, Any]:
        return {**super().get_context(request), "source": "web"}


def record_existing_rows(tracked: str, event: str):
    """A migration step (RunPython) writing one RECORDED event per existing row of `tracked`
    ("app.Model") into its event model `event`, so the first change of an object that existed
    before tracking began still shows its old values. One set-based INSERT; PostgreSQL only."""

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        tracked_model = apps.get_model(tracked)
        event_model = apps.get_model(event)
        quote = schema_editor.quote_name
        event_columns = {f.column for f in event_model._meta.concrete_fields}
        columns = [
            f.column
            for f in tracked_model._meta.concrete_fields
            if f.column in event_columns and not f.column.startswith("pgh_")
        ]
        names = ", ".join(quote(c) for c in columns)
        schema_editor.execute(
            f"INSERT INTO {quote(event_model._meta.db_table)} "  # noqa: S608 (names from models)
            f"({names}, pgh_created_at, pgh_label, pgh_obj_id) "
            f"SELECT {names}, NOW(), %s, {quote(tracked_model._meta.pk.column)} "
            f"FROM {quote(tracked_model._meta.db_table)}",
            [RECORDED],
        )

    return forwards


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of an event: its name as people read it, the value before (None for a
    created row) and after (None for a removed row)."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One event of the change history, ready to show or export."""

    at: dt.datetime
    kind: str  # the tracked model's verbose name: "service", "contract line"
    object_label: str
    action: str  # CREATED, CHANGED or REMOVED
    actor: str
    reason: str
    source: str
    changes: tuple[FieldChange, ...] = field(default=())
    organisation_id: int | None = None

    @property
    def action_text(self) -> str:
        return ACTION_TEXT.get(self.action, self.action)


ACTION_TEXT = {
    CREATED: "created",
    CHANGED: "changed",
    REMOVED: "removed",
    RECORDED: "as it was when the history began",
}


def _display(model_field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "none"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _shown_fields(event_model: type[models.Model]) -> list[models.Field]:
    """The tracked values an event model copies, less keys: the object's identity and its
    parent are in the entry's label, never changed."""
    tracked = event_model.pgh_tracked_model
    names = {f.name for f in tracked._meta.concrete_fields}
    return [
        f
        for f in event_model._meta.concrete_fields
        if f.name in names and not f.primary_key and not f.is_relation
    ]


def _changes(event, previous, fields: list[models.Field]) -> tuple[FieldChange, ...]:
    label = event.pgh_label
    changes = []
    for model_field in fields:
        new = getattr(event, model_field.attname)
        if label == REMOVED:
            changes.append(
                FieldChange(str(model_field.verbose_name), _display(model_field, new), None)
            )
            continue
        old = getattr(previous, model_field.attname) if previous is not None else None
        if label == CHANGED and previous is not None and old == new:
            continue
        changes.append(
            FieldChange(
                str(model_field.verbose_name),
                _display(model_field, old) if previous is not None else None,
                _display(model_field, new),
            )
        )
    return tuple(changes)


def with_previous(events: QuerySet) -> QuerySet:
    """Annotate each event with the id of the same object's event before it (its old values)."""
    model = events.model
    return events.annotate(
        previous_pgh_id=Subquery(
            model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
            .order_by("-pgh_id")
            .values("pgh_id")[:1]
        )
    )


@dataclass
class EventSource:
    """One tracked model's events as a reader wants them: the queryset (already scoped and
    filtered), how to label an event, and the organisation it belongs to (or None)."""

    events: QuerySet
    label: Any  # callable(event) -> str
    organisation: Any = None  # callable(event) -> int | None


def entries(sources: Iterable[EventSource], *, limit: int | None = None) -> list[HistoryEntry]:
    """The events of `sources`, newest first, at most `limit` of them, with their old values
    and actors: per source two queries (its events, the previous events), then one for the
    contexts and one for the users, however many events."""
    loaded: list[tuple[Any, EventSource, Any]] = []
    for source in sources:
        events = with_previous(source.events).order_by("-pgh_created_at", "-pgh_id")
        if limit is not None:
            events = events[:limit]
        events = list(events.select_related("pgh_context"))
        previous_ids = [e.previous_pgh_id for e in events if e.previous_pgh_id]
        previous = source.events.model.objects.in_bulk(previous_ids) if previous_ids else {}
        loaded += [(e, source, previous.get(e.previous_pgh_id)) for e in events]
    loaded.sort(key=lambda row: (row[0].pgh_created_at, row[0].pgh_id), reverse=True)
    if limit is not None:
        loaded = loaded[:limit]
    return _entries(loaded)


def _entries(loaded: list[tuple[Any, EventSource, Any]]) -> list[HistoryEntry]:
    contexts = [e.pgh_context.metadata if e.pgh_context_id else {} for e, _, _ in loaded]
    names = actor_names(m.get("user") for m in contexts)
    fields_by_model: dict[type, list[models.Field]] = defaultdict(list)
    result = []
    for (event, source, previous), metadata in zip(loaded, contexts, strict=True):
        model = type(event)
        if model not in fields_by_model:
            fields_by_model[model] = _shown_fields(model)
        result.append(
            HistoryEntry(
                at=event.pgh_created_at,
                kind=str(model.pgh_tracked_model._meta.verbose_name),
                object_label=source.label(event),
                action=event.pgh_label,
                actor=names.get(metadata.get("user"), PORTAL),
                reason=metadata.get("reason", ""),
                source=metadata.get("source", ""),
                changes=_changes(event, previous, fields_by_model[model]),
                organisation_id=source.organisation(event) if source.organisation else None,
            )
        )
    return result


@dataclass(frozen=True)
class Timeline:
    """What templates/includes/history_timeline.html shows: the latest entries, whether there
    are older ones, and whether this database records history at all."""

    entries: list[HistoryEntry]
    more: bool
    recorded: bool


def timeline(sources: Iterable[EventSource], *, limit: int = 20) -> Timeline:
    """The latest `limit` changes of `sources` (one more is read to know if there are others)."""
    if not history_recorded():
        return Timeline(entries=[], more=False, recorded=False)
    found = entries(sources, limit=limit + 1)
    return Timeline(entries=found[:limit], more=len(found) > limit, recorded=True)


def actor_names(user_ids: Iterable[Any]) -> dict[Any, str]:
    """Usernames by id for the users named in contexts, in one query."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
    return dict(users)
