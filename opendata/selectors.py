"""Reads of the open data: the framework's signed call-off contracts, a page at a time in the
order they were made (a keyset on the primary key), each with its timeline.

A page costs three queries however many contracts there are: the contracts with their
organisations, their timelines, and the services' names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch

from catalogue.models import Service
from contracts.models import Contract, ContractEvent, ContractStatus

from .models import PublishedFile, PublishedFileName
from .ocds import CallOff, Line, Publisher, Step


def publisher() -> Publisher:
    return Publisher(
        ocid_prefix=settings.OCDS_OCID_PREFIX,
        name=settings.OCDS_PUBLISHER_NAME,
        supplier_name=settings.OCDS_SUPPLIER_NAME,
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def published_contracts():
    """Every call-off contract the framework has signed (drafts are not yet awarded)."""
    return Contract.objects.exclude(status=ContractStatus.DRAFT).filter(signed_on__isnull=False)


def published_file(name: PublishedFileName) -> PublishedFile | None:
    """The latest made copy of a published file, if one has been made."""
    return PublishedFile.objects.filter(name=name).first()


def contract_lines_made_on_request() -> bool:
    """Whether the contract-lines CSV is small enough to make inside a visitor's request
    (always current), rather than served from the file a worker publishes."""
    return published_contracts().count() <= settings.OPEN_DATA_CSV_IMMEDIATE_MAX


@dataclass(frozen=True)
class CallOffPage:
    call_offs: list[CallOff]
    # The primary key to start the next page after, or None on the last page.
    next_after: int | None


def call_off_page(*, after: int, size: int) -> CallOffPage:
    contracts = list(
        published_contracts()
        .filter(pk__gt=after)
        .select_related("organisation")
        .prefetch_related(Prefetch("events", queryset=ContractEvent.objects.order_by("at", "pk")))
        .order_by("pk")[: size + 1]
    )
    more = len(contracts) > size
    contracts = contracts[:size]
    names = dict(Service.objects.order_by().values_list("slug", "name"))
    return CallOffPage(
        call_offs=[call_off_of(contract, names) for contract in contracts if contract.events.all()],
        next_after=contracts[-1].pk if more and contracts else None,
    )


def call_offs(*, size: int = 500) -> Iterator[CallOff]:
    """Every published call-off, a page at a time (memory stays bounded)."""
    after = 0
    while True:
        page = call_off_page(after=after, size=size)
        yield from page.call_offs
        if page.next_after is None:
            return
        after = page.next_after


def call_off_of(contract: Contract, service_names: dict[str, str]) -> CallOff:
    """A contract with its prefetched events as the release builder takes it."""
    steps = tuple(
        Step(
            event_id=event.pk,
            kind=event.kind,
            at=event.at,
            detail=event.detail,
            lines=tuple(
                Line(
                    service_slug=line["service"],
                    service_name=service_names.get(line["service"], line["service"]),
                    seats=int(line["seats"]),
                    unit_price_at_signing=Decimal(line["unit_price_at_signing"]),
                )
                for line in event.lines
            ),
        )
        for event in contract.events.all()
    )
    end = contract.ended_on if contract.ended_on else contract.end_date
    return CallOff(
        reference=contract.reference,
        kind_label=contract.get_kind_display(),
        status=contract.status,
        buyer_slug=contract.organisation.slug,
        buyer_name=contract.organisation.name,
        signed=_midnight(contract.signed_on),
        start=_midnight(contract.start_date),
        end=_midnight(end),
        term_years=contract.term_years,
        steps=steps,
    )
