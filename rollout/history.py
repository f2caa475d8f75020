"""The change history of rollout waves (core/history.py records it)."""

from __future__ import annotations

from core.history import EventSource

from .models import WaveHistory


def _wave_label(event: WaveHistory) -> str:
    return f"{event.plan.contract.reference}: rollout wave {event.order}, {event.name}"


def wave_sources(
    *, contract_id: int | None = None, organisation_id: int | None = None
) -> list[EventSource]:
    """Waves' events, of one contract's rollout plan, of one organisation's, or of them all."""
    events = WaveHistory.objects.select_related("plan__contract")
    if contract_id is not None:
        events = events.filter(plan__contract_id=contract_id)
    if organisation_id is not None:
        events = events.filter(plan__contract__organisation_id=organisation_id)
    return [
        EventSource(
            events=events,
            label=_wave_label,
            organisation=lambda event: event.plan.contract.organisation_id,
        )
    ]
