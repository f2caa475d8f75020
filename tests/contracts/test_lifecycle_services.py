"""Contract lines changing in one transaction: seats of a line, a new line, a line removed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.selectors import active_services_by_slug
from contracts import services
from contracts.models import Contract, ContractLine

pytestmark = pytest.mark.django_db

D = Decimal


def lines_of(contract: Contract) -> dict[str, tuple[int, Decimal]]:
    return {
        slug: (seats, price)
        for slug, seats, price in ContractLine.objects.filter(contract=contract).values_list(
            "service__slug", "seats", "unit_price_at_signing"
        )
    }


def test_a_change_adds_changes_and_removes_lines_and_records_it(demo):
    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    offered = active_services_by_slug()
    admin = dius.organisation.users.first()
    before = lines_of(dius)

    services.contract_lines_change(
        contract=dius,
        seats_after=[
            services.LineInput(service=offered["wireless"], seats=1000),  # was 400
            services.LineInput(service=offered["collaboration"], seats=0),  # removed
            services.LineInput(service=offered["hr-systems"], seats=1000),  # new
        ],
        actor=admin,
        detail="DIUS added 1,000 HR seats",
    )

    after = lines_of(dius)
    # Changed: keeps its signing price. New: the price its seats make (HR is cost share,
    # 600,000 / (2,500 + 1,000) + 40 = 211.428... -> 211.43). Unnamed: untouched.
    assert after["wireless"] == (1000, before["wireless"][1])
    assert after["desktop"] == before["desktop"]
    assert "collaboration" not in after
    assert after["hr-systems"] == (1000, D("211.43"))
    event = dius.events.latest("at")
    assert (event.kind, event.detail) == ("changed", "DIUS added 1,000 HR seats")
    assert {line["service"]: line["seats"] for line in event.lines} == {
        "desktop": 1000,
        "wireless": 1000,
        "hr-systems": 1000,
    }


def test_removing_every_line_is_leaving_and_changes_nothing(demo):
    ons = Contract.objects.get(organisation__slug="ons")
    offered = active_services_by_slug()
    before = lines_of(ons)
    with pytest.raises(ValidationError) as refused:
        services.contract_lines_change(
            contract=ons,
            seats_after=[
                services.LineInput(service=offered["desktop"], seats=0),
                services.LineInput(service=offered["wireless"], seats=0),
            ],
            actor=None,
            detail="",
        )
    assert "give notice instead" in str(refused.value)
    assert lines_of(ons) == before
    assert ons.events.filter(kind="changed").count() == 0
