"""The change history of services and their pricing schemes (core/history.py records it)."""

from __future__ import annotations

from core.history import EventSource

from .models import PriceBandHistory, Service, ServiceHistory


def _band_label(event: PriceBandHistory) -> str:
    bound = f"up to {event.up_to:,} seats" if event.up_to is not None else "with no upper bound"
    return f"{event.service.name}: price band {bound}"


def service_sources(service: Service | None = None) -> list[EventSource]:
    """Services' events and their bands' (a volume scheme's), of `service` or of them all."""
    services = ServiceHistory.objects.all()
    bands = PriceBandHistory.objects.select_related("service")
    if service is not None:
        services = services.filter(pgh_obj_id=service.pk)
        bands = bands.filter(service_id=service.pk)
    return [
        EventSource(events=services, label=lambda event: event.name),
        EventSource(events=bands, label=_band_label),
    ]
