"""Reads of the audit view: every recorded change across the tracked tables, filtered by kind
of object, organisation, actor and date, newest first.

The tracked tables' events are one UNION ALL of (time, event id, kind) per table, ordered and
cut to a page in the database: each table has an index on (pgh_created_at, pgh_id), so a page
costs the same however long the history grows. The page's events are then read whole, with
their old values, from each table present on it (core.history.entries): a fixed number of
queries for any page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, QuerySet, Value

from accounts.models import User
from catalogue.history import service_sources
from catalogue.models import PriceBandHistory, ServiceHistory
from contracts.history import contract_sources
from contracts.models import ContractHistory, ContractLineHistory
from core.history import EventSource, HistoryEntry, entries
from organisations.history import organisation_sources
from organisations.models import Organisation, OrganisationHistory
from rollout.history import wave_sources
from rollout.models import WaveHistory


@dataclass(frozen=True)
class Kind:
    """A kind of tracked object: its event model, the path from an event to its organisation
    (None: it belongs to no organisation), and how the full events are read."""

    label: str
    model: type[models.Model]
    organisation_path: str | None
    sources: object  # callable() -> list[EventSource], one of which is for `model`


KINDS: dict[str, Kind] = {
    "service": Kind("Service", ServiceHistory, None, lambda: service_sources()[:1]),
    "price_band": Kind("Price band", PriceBandHistory, None, lambda: service_sources()[1:]),
    "organisation": Kind(
        "Organisation", OrganisationHistory, "pgh_obj_id", lambda: organisation_sources()
    ),
    "contract": Kind(
        "Contract", ContractHistory, "organisation_id", lambda: contract_sources()[:1]
    ),
    "contract_line": Kind(
        "Contract line",
        ContractLineHistory,
        "contract__organisation_id",
        lambda: contract_sources()[1:],
    ),
    "wave": Kind("Rollout wave", WaveHistory, "plan__contract__organisation_id", wave_sources),
}


@dataclass(frozen=True)
class AuditFilters:
    kind: str | None = None
    organisation: Organisation | None = None
    actor: User | None = None
    changed_from: dt.date | None = None
    changed_to: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _keys(filters: AuditFilters) -> QuerySet | None:
    """(at, event_id, kind) of every matching event, as one UNION ALL; None when no kind can
    match (an organisation filter on services only)."""
    parts = []
    for name, kind in KINDS.items():
        if filters.kind and name != filters.kind:
            continue
        events = kind.model.objects.all()
        if filters.organisation is not None:
            if kind.organisation_path is None:
                continue
            events = events.filter(**{kind.organisation_path: filters.organisation.pk})
        if filters.actor is not None:
            events = events.filter(pgh_context__metadata__user=filters.actor.pk)
        if filters.changed_from:
            events = events.filter(pgh_created_at__gte=_start_of(filters.changed_from))
        if filters.changed_to:
            next_day = filters.changed_to + dt.timedelta(days=1)
            events = events.filter(pgh_created_at__lt=_start_of(next_day))
        parts.append(
            events.order_by()
            .annotate(
                audit_at=F("pgh_created_at"),
                audit_id=F("pgh_id"),
                audit_kind=Value(name, output_field=CharField()),
            )
            .values_list("audit_at", "audit_id", "audit_kind")
        )
    if not parts:
        return None
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-audit_at", "-audit_id", "audit_kind")


@dataclass(frozen=True)
class AuditPage:
    entries: list[HistoryEntry]
    number: int
    has_next: bool


def audit_page(*, filters: AuditFilters, number: int, size: int) -> AuditPage:
    """Page `number` (from 1) of the matching changes, newest first. No total is counted: a
    count would read the whole history; the page knows only whether another follows."""
    keys = _keys(filters)
    if keys is None:
        return AuditPage(entries=[], number=number, has_next=False)
    start = (number - 1) * size
    rows = list(keys[start : start + size + 1])
    return AuditPage(entries=_load(rows[:size]), number=number, has_next=len(rows) > size)


def audit_batches(
    *, filters: AuditFilters, batch: int = 500, limit: int
) -> Iterator[list[HistoryEntry]]:
    """Every matching change, newest first, at most `limit`, in lists of `batch` (for the CSV
    export: memory stays bounded however many there are)."""
    keys = _keys(filters)
    if keys is None:
        return
    for start in range(0, limit, batch):
        rows = list(keys[start : min(start + batch, limit)])
        yield _load(rows)
        if len(rows) < batch:
            return


def _load(rows: list[tuple]) -> list[HistoryEntry]:
    """The full entries of the (at, event_id, kind) rows, in their order."""
    ids: dict[str, list[int]] = defaultdict(list)
    for _, event_id, kind in rows:
        ids[kind].append(event_id)
    sources: list[EventSource] = []
    for kind, event_ids in ids.items():
        (source,) = KINDS[kind].sources()
        sources.append(
            EventSource(
                events=source.events.filter(pgh_id__in=event_ids),
                label=source.label,
                organisation=source.organisation,
            )
        )
    return entries(sources)


def organisation_find(text: str) -> Organisation | None:
    """The organisation named `text`: its name, short name or slug, in any case."""
    text = text.strip()
    return (
        Organisation.objects.filter(
            models.Q(name__iexact=text)
            | models.Q(short_name__iexact=text)
            | models.Q(slug=text.lower())
        )
        .order_by("pk")
        .first()
    )


def user_find(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).order_by("pk").first()


def organisation_names(organisation_ids: set[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
