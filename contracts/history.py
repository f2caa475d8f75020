"""The change history of contracts and their lines (core/history.py records it)."""

from __future__ import annotations

from core.history import EventSource

from .models import Contract, ContractHistory, ContractLineHistory


def _line_label(event: ContractLineHistory) -> str:
    return f"{event.contract.reference}: {event.service.name} line"


def contract_sources(
    contract: Contract | None = None, *, organisation_id: int | None = None
) -> list[EventSource]:
    """Contracts' events and their lines', of `contract`, of one organisation's contracts, or
    of them all. Each entry knows its organisation (the audit view filters by it)."""
    contracts = ContractHistory.objects.all()
    lines = ContractLineHistory.objects.select_related("contract", "service")
    if contract is not None:
        contracts = contracts.filter(pgh_obj_id=contract.pk)
        lines = lines.filter(contract_id=contract.pk)
    if organisation_id is not None:
        contracts = contracts.filter(organisation_id=organisation_id)
        lines = lines.filter(contract__organisation_id=organisation_id)
    return [
        EventSource(
            events=contracts,
            label=lambda event: f"Contract {event.reference}",
            organisation=lambda event: event.organisation_id,
        ),
        EventSource(
            events=lines,
            label=_line_label,
            organisation=lambda event: event.contract.organisation_id,
        ),
    ]
