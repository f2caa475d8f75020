"""Database constraints on contracts and their lines, and the derived end date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contracts.models import Contract, ContractLine
from tests import factories

pytestmark = pytest.mark.django_db


def _refused(**changes) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContractLineFactory(**changes)


def test_lines_need_seats_and_non_negative_prices():
    contract = factories.ContractFactory()
    _refused(contract=contract, seats=0)
    _refused(contract=contract, unit_price_at_signing=Decimal("-0.01"))
    _refused(contract=contract, current_unit_price=Decimal("-0.01"))
    assert not ContractLine.objects.exists()
    line = factories.ContractLineFactory(
        contract=contract, unit_price_at_signing=Decimal("0.00"), current_unit_price=Decimal("0")
    )
    assert line.pk


def test_a_service_appears_once_per_contract():
    line = factories.ContractLineFactory()
    _refused(contract=line.contract, service=line.service)
    assert ContractLine.objects.count() == 1


@pytest.mark.parametrize("term", [0, 11])
def test_term_is_one_to_ten_years_so_the_end_is_after_the_start(term):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContractFactory(term_years=term)
    assert not Contract.objects.exists()


def test_a_signed_status_needs_a_signing_date_and_previous_cost_is_not_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContractFactory(signed_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContractFactory(previous_cost_per_seat=Decimal("-1.00"))
    assert factories.ContractFactory(status="draft", signed_on=None).pk


@pytest.mark.parametrize(
    ("start", "term", "end"),
    [
        (dt.date(2027, 6, 1), 7, dt.date(2034, 6, 1)),
        (dt.date(2026, 10, 12), 1, dt.date(2027, 10, 12)),
        (dt.date(2028, 2, 29), 1, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 4, dt.date(2032, 2, 29)),
    ],
)
def test_end_date_is_start_plus_term(start, term, end):
    contract = Contract(start_date=start, term_years=term)
    assert contract.end_date == end
    assert contract.end_date > contract.start_date
