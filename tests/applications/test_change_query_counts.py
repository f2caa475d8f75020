"""The approver's queue of sign-ups and changes, the change request pages and a contract's
timeline cost the same number of queries however many rows they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import changes
from catalogue.models import Service
from contracts import services as contract_services
from contracts.models import Contract, ContractKind
from tests import factories

pytestmark = pytest.mark.django_db


def queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def add_members_asking_for_changes(n: int, frozen_now) -> None:
    """`n` new members, each with a contract and a waiting change request, and `n` waiting
    sign-ups."""
    desktop = Service.objects.prefetch_related("bands").get(slug="desktop")
    wireless = Service.objects.prefetch_related("bands").get(slug="wireless")
    for i in range(n):
        organisation = factories.OrganisationFactory(
            membership_status="active", joined_on=frozen_now.date()
        )
        cio = factories.CIOFactory(organisation=organisation)
        contract = contract_services.contract_create(
            organisation=organisation,
            kind=ContractKind.PLATFORM,
            lines=[contract_services.LineInput(desktop, 100)],
            signed_on=frozen_now.date(),
            start_date=frozen_now.date(),
            term_years=3,
        )
        changes.change_request_create(
            actor=cio,
            contract=contract,
            seats_after=[changes.SeatsAfter(wireless, 50 + i)],
            at=frozen_now - dt.timedelta(hours=i + 1),
        )
        factories.SignUpApplicationFactory(
            status="submitted", submitted_at=frozen_now - dt.timedelta(hours=i + 1)
        )


@pytest.mark.parametrize("params", [{}, {"type": "change"}, {"type": "sign-up"}])
def test_the_queue_costs_the_same_at_two_sizes(client, world, frozen_now, params):
    client.force_login(world["approver"])
    url = reverse("applications:application-list")
    small = queries(client, url, params)
    add_members_asking_for_changes(8, frozen_now)
    assert queries(client, url, params) == small


def test_a_cios_list_costs_the_same_at_two_sizes(client, world, frozen_now):
    client.force_login(world["cio_ons"])
    url = reverse("applications:application-list")
    small = queries(client, url)
    ons = Contract.objects.get(organisation__slug="ons")
    wireless = Service.objects.get(slug="wireless")
    for seats in (700, 800, 900):
        for waiting in ons.change_requests.filter(status="submitted"):
            changes.change_request_withdraw(change_request=waiting, actor=world["cio_ons"])
        changes.change_request_create(
            actor=world["cio_ons"], contract=ons, seats_after=[changes.SeatsAfter(wireless, seats)]
        )
    assert ons.change_requests.count() == 4
    assert queries(client, url) == small


def test_the_change_api_list_costs_the_same_at_two_sizes(api_client, world, frozen_now):
    api_client.force_authenticate(world["approver"])
    small = queries(api_client, "/api/v1/change-requests/")
    add_members_asking_for_changes(6, frozen_now)
    assert queries(api_client, "/api/v1/change-requests/") == small


def test_a_contracts_timeline_costs_the_same_however_long(
    client, world, frozen_now, django_capture_on_commit_callbacks
):
    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    url = reverse("contracts:detail", args=[dius.reference])
    client.force_login(world["cio_dius"])
    wireless = Service.objects.prefetch_related("bands").get(slug="wireless")

    def change(seats: int) -> None:
        request = changes.change_request_create(
            actor=world["cio_dius"],
            contract=dius,
            seats_after=[changes.SeatsAfter(wireless, seats)],
        )
        with django_capture_on_commit_callbacks(execute=True):
            changes.change_request_approve(change_request=request, actor=world["approver"])

    # One change first, so both sizes show a change (the change history reads the lines'
    # earlier values only once a line has changed).
    change(500)
    small = queries(client, url)
    for seats in (600, 700, 800, 900, 1000):
        change(seats)
    assert dius.events.count() == 7
    page = client.get(url).content.decode()
    assert page.count('class="app-timeline__item"') == 7
    assert queries(client, url) == small
