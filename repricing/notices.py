"""What a repricing run tells members: each organisation whose contract lines change price is
sent one message (to each of its CIOs) listing its lines' old and new prices and the cause.
Called by the run inside its transaction, before the lines are repriced (so their old prices
are still there to read); the messages go once the run commits."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from catalogue.services import ServicePrice
from contracts.models import ContractLine, ContractStatus
from core.formatting import money, money_abs, seats
from core.money import round_money
from notifications.models import TemplateKey
from notifications.selectors import cio_addresses
from notifications.services import notification_enqueue


@dataclass(frozen=True)
class LineChange:
    contract_reference: str
    service_name: str
    seats: int
    old_price: Decimal
    new_price: Decimal

    @property
    def annual_change(self) -> Decimal:
        return round_money(self.seats * (self.new_price - self.old_price))


def price_changes_notify(*, changes: Sequence[ServicePrice], reason: str, at: dt.datetime) -> int:
    """Enqueue the run's messages: one per organisation with an active contract line on a
    service whose price changes (and whose own price on that line changes). The key is the
    run's start and the organisation, so a run is told once. Returns the organisations told."""
    new_prices = {
        change.service.pk: change.unit_price
        for change in changes
        if change.unit_price != change.service.current_unit_price
    }
    if not new_prices:
        return 0
    by_organisation: dict[int, tuple[str, list[LineChange]]] = {}
    lines = (
        ContractLine.objects.filter(
            contract__status=ContractStatus.ACTIVE, service_id__in=list(new_prices)
        )
        .order_by("contract__organisation_id", "contract__reference", "service__name")
        .values_list(
            "contract__organisation_id",
            "contract__organisation__name",
            "contract__reference",
            "service_id",
            "service__name",
            "seats",
            "current_unit_price",
        )
    )
    found: dict[int, list[LineChange]] = defaultdict(list)
    names: dict[int, str] = {}
    for organisation_id, name, reference, service_id, service, count, old in lines.iterator(
        chunk_size=5000
    ):
        new = new_prices[service_id]
        if old != new:
            names[organisation_id] = name
            found[organisation_id].append(LineChange(reference, service, count, old, new))
    by_organisation = {pk: (names[pk], changed) for pk, changed in found.items()}
    addresses = cio_addresses(organisation_ids=by_organisation)
    changed_on = date_format(timezone.localtime(at), "j F Y")
    told = 0
    for organisation_id, (name, changed) in by_organisation.items():
        total = sum((line.annual_change for line in changed), Decimal("0"))
        created = notification_enqueue(
            template=TemplateKey.PRICE_CHANGED,
            recipients=addresses.get(organisation_id, []),
            key=f"price-changed:{at.isoformat()}:{organisation_id}",
            at=at,
            personalisation={
                "organisation": name,
                "cause": reason,
                "changed_on": changed_on,
                "prices": "\n".join(
                    f"* {line.service_name} ({line.contract_reference},"
                    f" {seats(line.seats)} seats): {money(line.old_price)} to"
                    f" {money(line.new_price)} per seat per year"
                    for line in changed
                ),
                "annual_change": _annual_change(total),
            },
        )
        told += bool(created)
    return told


def _annual_change(total: Decimal) -> str:
    if total < 0:
        return f"{money_abs(total)} a year less"
    if total > 0:
        return f"{money_abs(total)} a year more"
    return "no change to the total a year"
