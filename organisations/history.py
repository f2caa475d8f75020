"""The change history of organisations (core/history.py records it)."""

from __future__ import annotations

from core.history import EventSource

from .models import OrganisationHistory


def organisation_sources(*, organisation_id: int | None = None) -> list[EventSource]:
    events = OrganisationHistory.objects.all()
    if organisation_id is not None:
        events = events.filter(pgh_obj_id=organisation_id)
    return [
        EventSource(
            events=events,
            label=lambda event: event.name,
            organisation=lambda event: event.pgh_obj_id,
        )
    ]
