"""Fixtures of the application tests: the demo world at a fixed moment, and a way to see
that a refused write changed nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from applications.models import (
    ApplicationEvent,
    ApplicationLine,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    SignUpApplication,
)
from catalogue.models import Service
from contracts.models import Contract, ContractEvent, ContractLine
from organisations.models import Organisation
from repricing.models import RepricingRequest

LONDON = ZoneInfo("Europe/London")
# The tests' "now": a Sunday in November 2026, after every demo contract was signed.
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=LONDON)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def world(frozen_now, demo):
    """The demo data, loaded at NOW: FLEX-2026-0001 from the agency, submitted 12 days ago."""
    User = get_user_model()
    return {
        "agency_application": SignUpApplication.objects.get(reference="FLEX-2026-0001"),
        "cio_agency": User.objects.get(username="cio-agency"),
        "cio_dius": User.objects.get(username="cio-dius"),
        "cio_ons": User.objects.get(username="cio-ons"),
        "approver": User.objects.get(username="approver"),
        "procurement": User.objects.get(username="procurement"),
        "admin": User.objects.get(username="admin"),
    }


@pytest.fixture
def cio_newcomer(world):
    """The CIO of a prospective body with no contract, which may still apply for a full
    platform contract (DIUS and ONS, members on one, change theirs instead). DIUS's size,
    1,000 staff and 1,000 desktops, so figures worked for DIUS's seats hold for it."""
    from tests import factories

    organisation = factories.OrganisationFactory(
        slug="dds",
        name="Department for Digital Services",
        short_name="DDS",
        staff=1000,
        desktops=1000,
    )
    return factories.CIOFactory(username="cio-dds", organisation=organisation)


@pytest.fixture
def as_user(api_client, world):
    """`as_user("cio_dius")`: the API client, signed in as that demo user."""

    def login(who: str):
        api_client.force_authenticate(world[who])
        return api_client

    return login


def database_state() -> dict:
    """Everything an application transition could write, to compare before and after a
    refusal."""
    return {
        "applications": list(
            SignUpApplication.objects.order_by("pk").values(
                "reference", "status", "submitted_at", "decided_at", "decided_by", "reason"
            )
        ),
        "lines": list(ApplicationLine.objects.order_by("pk").values("service", "seats")),
        "events": ApplicationEvent.objects.count(),
        "organisations": list(
            Organisation.objects.order_by("pk").values("slug", "membership_status", "joined_on")
        ),
        "contracts": list(
            Contract.objects.order_by("pk").values_list("status", "notice_on", "ended_on")
        ),
        "contract_events": ContractEvent.objects.count(),
        "contract_lines": list(
            ContractLine.objects.order_by("pk").values_list("current_unit_price", flat=True)
        ),
        "change_requests": list(
            ChangeRequest.objects.order_by("pk").values_list(
                "reference", "status", "decided_at", "reason"
            )
        ),
        "change_lines": ChangeRequestLine.objects.count(),
        "change_events": ChangeRequestEvent.objects.count(),
        "contract_seats": list(ContractLine.objects.order_by("pk").values_list("service", "seats")),
        "repricing_requests": RepricingRequest.objects.count(),
        "prices": list(
            Service.objects.order_by("pk").values_list("framework_seats", "current_unit_price")
        ),
        "users": list(
            get_user_model().objects.order_by("pk").values_list("organisation", flat=True)
        ),
    }


@pytest.fixture
def unchanged():
    """`with unchanged(): refused_call()` asserts the call wrote nothing."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_state()
        yield
        assert database_state() == before

    return check
