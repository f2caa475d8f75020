"""Leaving and expiry move every member's price: the contract ends, its seats stop counting,
the organisation stops being a member when it has no other contract, and a repricing names the
cause. Figures are worked out by hand from the demo's desktop scheme (cost share: 5,300,000 /
seats + 850, floor 900)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from applications import lifecycle
from catalogue.models import PriceSnapshot, Service
from contracts.models import Contract, ContractEvent, ContractLine, ContractStatus
from contracts.services import ContractNotActive
from organisations.models import MembershipStatus
from tests.applications.conftest import LONDON

pytestmark = pytest.mark.django_db

D = Decimal


def desktop() -> Service:
    return Service.objects.get(slug="desktop")


def test_ons_leaving_today_raises_the_desktop_price_for_the_others(
    world, django_capture_on_commit_callbacks
):
    ons = Contract.objects.get(organisation__slug="ons")
    # Before: Cabinet Office 2,500 + ONS 600 + DIUS 1,000 = 4,100 desktops:
    # 5,300,000 / 4,100 + 850 = 2,142.68.
    assert (desktop().framework_seats, desktop().current_unit_price) == (4100, D("2142.68"))

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.contract_leave(
            contract=ons, actor=world["cio_ons"], on=dt.date(2026, 11, 22), reason="Moving on"
        )

    ons.refresh_from_db()
    assert (ons.status, ons.ended_on) == (ContractStatus.ENDED, dt.date(2026, 11, 22))
    assert ons.organisation.membership_status == MembershipStatus.FORMER
    # After: 3,500 desktops: 5,300,000 / 3,500 + 850 = 2,364.2857... -> 2,364.29 for the others.
    assert (desktop().framework_seats, desktop().current_unit_price) == (3500, D("2364.29"))
    snapshot = PriceSnapshot.objects.filter(service__slug="desktop").latest()
    assert (snapshot.reason, snapshot.caused_by.slug) == ("ONS left", "ons")
    assert set(
        ContractLine.objects.filter(
            contract__status=ContractStatus.ACTIVE, service__slug="desktop"
        ).values_list("current_unit_price", flat=True)
    ) == {D("2364.29")}
    # The ended contract keeps the price it was last charged.
    assert ons.lines.get(service__slug="desktop").current_unit_price == D("2142.68")
    assert list(ons.events.values_list("kind", "actor__username", "detail")) == [
        ("signed", None, "Signed for 3 years from 1 October 2026."),
        ("ended", "cio-ons", "Moving on"),
    ]


def test_notice_ends_the_contract_on_its_day(world, django_capture_on_commit_callbacks):
    ons = Contract.objects.get(organisation__slug="ons")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.contract_leave(contract=ons, actor=world["cio_ons"], on=dt.date(2027, 3, 31))
    ons.refresh_from_db()
    assert (ons.status, ons.notice_on) == (ContractStatus.ACTIVE, dt.date(2027, 3, 31))
    assert desktop().framework_seats == 4100
    assert lifecycle.contracts_end_due(today=dt.date(2027, 3, 30)) == lifecycle.ExpiryResult(0, 0)

    with (
        time_machine.travel(dt.datetime(2027, 3, 31, 0, 10, tzinfo=LONDON), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert lifecycle.contracts_end_due() == lifecycle.ExpiryResult(ended=1, expired=0)
    ons.refresh_from_db()
    assert (ons.status, ons.ended_on) == (ContractStatus.ENDED, dt.date(2027, 3, 31))
    assert desktop().current_unit_price == D("2364.29")
    assert PriceSnapshot.objects.filter(service__slug="desktop").latest().reason == "ONS left"


def test_expiry_ends_each_contract_once_at_the_end_of_its_term(
    world, django_capture_on_commit_callbacks
):
    # DIUS's one-year integration call-off runs from 12 October 2026 to 11 October 2027; its
    # 1,000 email seats leave the framework, DIUS stays a member (its platform contract).
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.contracts_end_due(today=dt.date(2027, 10, 12)) == (
            lifecycle.ExpiryResult(ended=0, expired=1)
        )
        again = lifecycle.contracts_end_due(today=dt.date(2027, 10, 12))
    assert again == lifecycle.ExpiryResult(0, 0)
    integration = Contract.objects.get(organisation__slug="dius", kind="integration")
    assert (integration.status, integration.ended_on) == ("ended", dt.date(2027, 10, 12))
    assert integration.organisation.membership_status == MembershipStatus.ACTIVE
    email = Service.objects.get(slug="email")
    assert email.framework_seats == 2500  # Cabinet Office's 2,500 only
    assert PriceSnapshot.objects.filter(service=email).latest().reason == (
        "DIUS's integration call-off contract expired"
    )
    assert ContractEvent.objects.filter(contract=integration, kind="expired").count() == 1


def test_a_seven_year_term_expires_and_the_member_goes(world, django_capture_on_commit_callbacks):
    # Every demo contract but DIUS's seven-year platform contract (1 June 2027 to 31 May 2034)
    # has ended by then; once it expires nobody pays for a desktop: the price at no seats is
    # 5,300,000 / 1 + 850.
    with django_capture_on_commit_callbacks(execute=True):
        result = lifecycle.contracts_end_due(today=dt.date(2034, 6, 1))
    assert result == lifecycle.ExpiryResult(ended=0, expired=4)
    assert not Contract.objects.filter(status=ContractStatus.ACTIVE).exists()
    assert (desktop().framework_seats, desktop().current_unit_price) == (0, D("5300850.00"))
    dius = Contract.objects.get(organisation__slug="dius", kind="platform")
    assert dius.ended_on == dt.date(2034, 6, 1)
    assert dius.organisation.membership_status == MembershipStatus.FORMER


@pytest.mark.parametrize(
    ("on", "field_message"),
    [
        (dt.date(2026, 11, 21), "The end date must be today or in the future."),
        (
            dt.date(2029, 10, 2),
            "The end date must be on or before the end of the contract's term, 1 October 2029.",
        ),
    ],
)
def test_an_end_date_outside_the_term_is_refused(world, unchanged, on, field_message):
    ons = Contract.objects.get(organisation__slug="ons")
    with unchanged(), pytest.raises(ValidationError) as refused:
        lifecycle.contract_leave(contract=ons, actor=world["cio_ons"], on=on)
    assert refused.value.message_dict == {"on": [field_message]}


def test_another_organisations_cio_cannot_end_a_contract(world, unchanged):
    ons = Contract.objects.get(organisation__slug="ons")
    with unchanged(), pytest.raises(PermissionDenied):
        lifecycle.contract_leave(contract=ons, actor=world["cio_dius"], on=dt.date(2026, 11, 22))


def test_an_ended_contract_cannot_end_again(world, django_capture_on_commit_callbacks, unchanged):
    ons = Contract.objects.get(organisation__slug="ons")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.contract_leave(
            contract=ons, actor=world["approver"], on=dt.date(2026, 11, 22), reason="Wound up"
        )
    with unchanged(), pytest.raises(ContractNotActive):
        lifecycle.contract_leave(
            contract=ons, actor=world["approver"], on=dt.date(2026, 11, 22), reason="Wound up"
        )


def test_a_member_ending_one_of_two_contracts_has_not_left(
    world, django_capture_on_commit_callbacks
):
    integration = Contract.objects.get(organisation__slug="dius", kind="integration")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.contract_leave(
            contract=integration, actor=world["cio_dius"], on=dt.date(2026, 11, 22)
        )
    assert integration.organisation.membership_status == MembershipStatus.ACTIVE
    assert PriceSnapshot.objects.filter(service__slug="email").latest().reason == (
        "DIUS ended its integration call-off contract"
    )


def test_cabinet_office_ending_a_contract_gives_the_reason(world, unchanged):
    ons = Contract.objects.get(organisation__slug="ons")
    with unchanged(), pytest.raises(ValidationError) as refused:
        lifecycle.contract_leave(contract=ons, actor=world["approver"], on=dt.date(2026, 11, 22))
    assert refused.value.message_dict == {"reason": ["Enter the reason for ending this contract."]}
