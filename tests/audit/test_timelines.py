"""Each tracked object's page shows its own change history as a timeline: the contract page
(its contract, lines and rollout waves) for whoever may see the contract, the service page for
Cabinet Office staff and procurement officers. On SQLite the section says none is kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from core.history import history_context
from rollout.models import RolloutPlan
from tests.databases import on_each_database

pytestmark = pytest.mark.django_db
User = get_user_model()


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.postgres
def test_the_contract_page_shows_its_changes_who_made_them_and_why(client, demo):
    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    wave = plan.waves.order_by("order").first()
    old = wave.seats
    with history_context(actor=User.objects.get(username="cio-dius"), reason="Pilot smaller"):
        wave.seats = old - 5
        wave.save(update_fields=["seats"])
    client.force_login(User.objects.get(username="cio-dius"))
    body = _text(client.get("/contracts/CON-2026-0004/"))
    assert '<h2 class="govuk-heading-m" id="change-history-heading">Change history</h2>' in body
    section = body.split('id="change-history-heading"')[1]
    first = section.split("</li>")[0]
    assert f"rollout wave 1, {wave.name}: changed" in first
    assert "by cio-dius" in first
    assert "Reason: Pilot smaller" in first
    assert (
        f'Seats: {old:,} <span class="govuk-visually-hidden">changed </span>to {old - 5:,}' in first
    )
    # Its contract and lines are there too, as the demo loader made them.
    assert "Contract CON-2026-0004: created" in section
    desktop = plan.contract.lines.get(service__slug="desktop").service.name
    assert f"CON-2026-0004: {desktop} line: created" in section


@pytest.mark.postgres
def test_the_service_page_shows_its_history_to_auditors_only(client, demo):
    client.force_login(User.objects.get(username="procurement"))
    body = _text(client.get("/catalogue/desktop/"))
    assert "Change history" in body and "Standard desktop: created" in body
    client.force_login(User.objects.get(username="cio-dius"))
    assert "Change history" not in _text(client.get("/catalogue/desktop/"))


@on_each_database
def test_sqlite_says_it_keeps_no_history(database, client, demo):
    client.force_login(User.objects.get(username="procurement"))
    body = _text(client.get("/contracts/CON-2026-0004/"))
    note = "This copy of the portal runs on SQLite, which keeps no change history."
    assert (note in body) == (database == "sqlite")
