"""Catalogue test helpers: demo users, and a way to grow the catalogue for query-count tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import Category, PriceSnapshot, Service, ServiceKind
from tests import factories


@pytest.fixture
def demo_user(demo):
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def grow(db):
    """Add `n` services (volume, with bands) and a member with an active contract line for
    each, and `n` snapshots to every service (core included): more rows of everything the
    catalogue pages read."""

    def add(n: int = 5) -> None:
        organisation = factories.OrganisationFactory(member=True)
        contract = factories.ContractFactory(organisation=organisation)
        start = timezone.now() - dt.timedelta(days=400)
        for core in Service.objects.filter(kind=ServiceKind.CORE):
            factories.ContractLineFactory(contract=contract, service=core, seats=100)
        for i in range(n):
            number = Service.objects.count()
            factories.VolumeServiceFactory(
                slug=f"grown-{number}",
                name=f"Grown service {number}",
                category=list(Category.values)[i % len(Category.values)],
                kind=ServiceKind.EXTRA,
                current_unit_price=Decimal("80.00"),
                framework_seats=100,
            )
        for service in Service.objects.all():
            if service.kind != ServiceKind.CORE:
                factories.ContractLineFactory(contract=contract, service=service, seats=100)
            PriceSnapshot.objects.bulk_create(
                PriceSnapshot(
                    service=service,
                    effective_at=start + dt.timedelta(days=j),
                    framework_seats=100 + j,
                    unit_price=Decimal("100.00") - j,
                    reason=f"Member {j} joined",
                    caused_by=organisation,
                )
                for j in range(n)
            )

    return add
