"""Builders for rollout tests: contracts with a known number of seats, and plans with waves."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rollout.models import WaveStatus
from tests import factories

LONDON = ZoneInfo("Europe/London")


def freeze(day: dt.date):
    """Freeze the clock at noon in London on `day`, so `timezone.localdate()` is `day`."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=LONDON), tick=False)


@pytest.fixture
def make_contract(db):
    def make(*, organisation=None, seats=1000, core=True, **kwargs):
        contract = factories.ContractFactory(
            organisation=organisation or factories.OrganisationFactory(member=True), **kwargs
        )
        service = (
            factories.CostShareServiceFactory(slug="desktop")
            if core
            else factories.ServiceFactory(slug="email")
        )
        factories.ContractLineFactory(contract=contract, service=service, seats=seats)
        factories.ContractLineFactory(
            contract=contract, service=factories.ServiceFactory(slug="wireless"), seats=seats // 2
        )
        return contract

    return make


@pytest.fixture
def make_plan(db):
    """A plan with waves of the given seats, four weeks apart from 2027-01-04, all planned."""

    def make(contract, seats=(100, 200), **wave_fields):
        plan = factories.RolloutPlanFactory(contract=contract)
        for i, wave_seats in enumerate(seats):
            start = dt.date(2027, 1, 4) + dt.timedelta(weeks=4 * i)
            factories.WaveFactory(
                plan=plan,
                order=i + 1,
                name=f"Wave {i + 1}",
                seats=wave_seats,
                planned_start=start,
                planned_end=start + dt.timedelta(days=20),
                status=WaveStatus.PLANNED,
                **wave_fields,
            )
        return plan

    return make
