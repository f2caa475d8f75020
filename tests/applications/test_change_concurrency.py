"""Two moves on one change request at once, for real, on PostgreSQL: the row locks let one
win. The winner is held inside its transaction a little longer (a slowed audit write), so
without the locks the loser would read the same state and both would succeed."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from applications import changes
from applications.models import ChangeRequest, ChangeRequestEvent
from catalogue.models import Service
from contracts import services as contract_services
from contracts.models import ContractKind, ContractLine
from repricing.models import RepricingRequest
from tests import factories
from tests.applications.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_audit(monkeypatch):
    original = changes._event

    def slowly(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(changes, "_event", slowly)


@pytest.fixture
def waiting_change():
    desktop = factories.CostShareServiceFactory(slug="desktop-x")
    extra = factories.VolumeServiceFactory(slug="wireless-x")
    organisation = factories.OrganisationFactory(
        membership_status="active", joined_on=dt.date(2026, 1, 1)
    )
    cio = factories.CIOFactory(organisation=organisation)
    contract = contract_services.contract_create(
        organisation=organisation,
        kind=ContractKind.PLATFORM,
        lines=[contract_services.LineInput(desktop, 100)],
        signed_on=dt.date(2026, 1, 1),
        start_date=dt.date(2026, 1, 1),
        term_years=3,
    )
    extra = Service.objects.prefetch_related("bands").get(pk=extra.pk)
    request = changes.change_request_create(
        actor=cio, contract=contract, seats_after=[changes.SeatsAfter(extra, 40)]
    )
    return request, cio


def test_double_approval_changes_the_contract_once(slow_audit, waiting_change):
    request, _ = waiting_change
    first, second = factories.ApproverFactory(), factories.ApproverFactory()
    results = run_at_once(
        lambda: changes.change_request_approve(change_request=request, actor=first),
        lambda: changes.change_request_approve(change_request=request, actor=second),
    )
    assert sorted(type(r).__name__ for r in results) == ["ChangeRequest", "TransitionNotAllowed"]
    assert ContractLine.objects.filter(contract=request.contract).count() == 2
    assert ChangeRequestEvent.objects.filter(change_request=request, action="approved").count() == 1
    assert RepricingRequest.objects.filter(reason__contains="added 40").count() == 1


def test_approval_racing_withdrawal_leaves_one_outcome(slow_audit, waiting_change):
    request, cio = waiting_change
    approver = factories.ApproverFactory()
    results = run_at_once(
        lambda: changes.change_request_approve(change_request=request, actor=approver),
        lambda: changes.change_request_withdraw(change_request=request, actor=cio),
    )
    outcome = ChangeRequest.objects.get(pk=request.pk).status
    assert sorted(type(r).__name__ for r in results) == ["ChangeRequest", "TransitionNotAllowed"]
    lines = ContractLine.objects.filter(contract=request.contract).count()
    assert (outcome, lines) in {("approved", 2), ("withdrawn", 1)}


def test_two_changes_asked_at_once_make_one_request(waiting_change):
    request, cio = waiting_change
    changes.change_request_withdraw(change_request=request, actor=cio)
    extra = Service.objects.prefetch_related("bands").get(slug="wireless-x")
    results = run_at_once(
        *[
            lambda n=n: changes.change_request_create(
                actor=cio, contract=request.contract, seats_after=[changes.SeatsAfter(extra, n)]
            )
            for n in (10, 20)
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["ChangeRequest", "TransitionNotAllowed"]
    assert ChangeRequest.objects.filter(contract=request.contract, status="submitted").count() == 1
