"""One savings rule: what a quote promises is what the contract it becomes shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications import services
from catalogue.selectors import active_services_by_slug, quote_for
from contracts import selectors as contract_selectors
from contracts.models import Contract

pytestmark = pytest.mark.django_db


def _quote_then_approve(
    world, cio, lines: dict[str, int], cost: Decimal, *, django_capture, contract_kind="platform"
):
    approver = world["approver"]
    offered = active_services_by_slug()
    quote = quote_for(
        lines=[(offered[slug], seats) for slug, seats in lines.items()],
        term_years=7,
        current_cost_per_seat=cost,
    )
    with django_capture(execute=True):  # the approval's repricing runs, as in production
        application = services.application_create(
            actor=cio,
            lines=[services.LineInput(service=offered[s], seats=n) for s, n in lines.items()],
            term_years=7,
            requested_start=world["agency_application"].requested_start,
            current_cost_per_seat=cost,
            contract_kind=contract_kind,
        )
        services.application_submit(application=application, actor=cio)
        services.application_approve(application=application, actor=approver)
    application.refresh_from_db()
    contract = contract_selectors.contract_queryset().get(pk=application.contract_id)
    return quote, contract_selectors.figures_for(contract)


def test_the_quote_saving_is_the_contract_saving(
    world, cio_newcomer, django_capture_on_commit_callbacks
):
    # A newcomer (DIUS, already a member, changes its contract instead) quoting 500 desktops
    # with wireless: the extras are not in either comparison.
    quote, figures = _quote_then_approve(
        world,
        cio_newcomer,
        {"desktop": 500, "wireless": 500},
        Decimal("2850.00"),
        django_capture=django_capture_on_commit_callbacks,
    )
    assert quote.savings_per_year is not None
    assert (figures.previous_annual_cost, figures.savings_per_year, figures.savings_percent) == (
        quote.current_annual_cost,
        quote.savings_per_year,
        quote.savings_percent,
    )
    # By hand: 2,850.00 x 500 desktops, less 500 x the desktop price once they joined.
    desktop = next(line for line in quote.lines if line.service.slug == "desktop")
    assert quote.savings_per_year == Decimal("2850.00") * 500 - desktop.annual_cost


def test_a_quote_for_extras_shows_no_saving_and_neither_does_its_contract(
    world, django_capture_on_commit_callbacks
):
    # DIUS, a member, takes extras without desktops on a separate integration call-off (its
    # platform contract's extras are a change request, tests/applications/test_changes.py).
    quote, figures = _quote_then_approve(
        world,
        world["cio_dius"],
        {"email": 800, "staff-directory": 800},
        Decimal("2850.00"),
        django_capture=django_capture_on_commit_callbacks,
        contract_kind="integration",
    )
    assert quote.savings_per_year is None
    assert figures.savings_per_year is None
    assert Contract.objects.filter(organisation__slug="dius").count() == 3
