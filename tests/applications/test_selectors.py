"""Reads: the onboarding lead time, ages, the pricing impact, the next application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from applications import selectors
from applications.models import ChangeRequest, SignUpApplication
from tests import factories

pytestmark = pytest.mark.django_db


def _decided(submitted: dt.datetime, days: float, status: str = "approved") -> SignUpApplication:
    return factories.SignUpApplicationFactory(
        status=status,
        submitted_at=submitted,
        decided_at=submitted + dt.timedelta(days=days),
        decided_by=factories.ApproverFactory(),
        reason="No." if status == "rejected" else "",
    )


def test_lead_time_is_the_median_of_submitted_to_decided_over_decisions(frozen_now):
    start = frozen_now - dt.timedelta(days=100)
    _decided(start, 10)
    _decided(start, 30, status="rejected")
    _decided(start, 14.5)
    _decided(start, 90)
    # Not decided, or withdrawn: not counted.
    factories.SignUpApplicationFactory(submitted=True)
    factories.SignUpApplicationFactory(status="withdrawn", submitted_at=start)

    summary = selectors.onboarding_lead_time_summary()

    # Median of 10, 14.5, 30 and 90 days: (14.5 + 30) / 2 = 22.25 → 22.3 days ≈ 0.7 months.
    assert (summary.decided, summary.median_days) == (4, Decimal("22.3"))
    assert summary.median_months == Decimal("0.7")
    assert (summary.flex_route_months, summary.full_procurement_months) == (4, (9, 18))
    assert summary.flex_route_days == 121
    assert summary.full_procurement_days == (273, 547)


def test_lead_time_without_decisions(db):
    summary = selectors.onboarding_lead_time_summary()
    assert (summary.decided, summary.median_days, summary.median_months) == (0, None, None)


@pytest.mark.parametrize("decisions", [5, 40])
def test_lead_time_returns_the_middle_rows_only_however_many_decisions(
    db, decisions, django_assert_num_queries
):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for days in range(decisions):  # 0, 1, ... days: the median is (decisions - 1) / 2
        _decided(start, days)
    with django_assert_num_queries(1) as context:
        summary = selectors.onboarding_lead_time_summary()
    assert (summary.decided, summary.median_days) == (
        decisions,
        (Decimal(decisions - 1) / 2).quantize(Decimal("0.1")),
    )
    assert "ROW_NUMBER()" in context.captured_queries[-1]["sql"]  # numbered in the database


def test_lead_time_of_an_odd_number_of_decisions_is_the_middle_one(db):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for days in (90, 3, 7):  # made out of order: the median sorts by time taken
        _decided(start, days)
    assert selectors.onboarding_lead_time_summary().median_days == Decimal("7.0")


def test_age_counts_whole_days_until_now_or_the_decision(frozen_now):
    submitted = frozen_now - dt.timedelta(days=12, hours=3)
    assert (
        selectors.age_in_days(
            factories.SignUpApplicationFactory(status="submitted", submitted_at=submitted)
        )
        == 12
    )
    assert selectors.age_in_days(_decided(submitted, 5)) == 5
    assert selectors.age_in_days(factories.SignUpApplicationFactory()) is None


def test_the_pricing_impact_of_the_demo_agency(world, django_assert_num_queries):
    application = selectors.application_get(user=world["approver"], reference="FLEX-2026-0001")
    # the services; their bands; the framework's committed seats of each (from the contract
    # lines, not the services' cached figures)
    with django_assert_num_queries(3):
        impact = selectors.application_pricing_impact(application)
    assert [
        (
            row.service.slug,
            row.framework_seats_now,
            row.unit_price_now,
            row.unit_price_after,
            row.members_saving_per_year,
        )
        for row in impact
    ] == [
        ("desktop", 4100, Decimal("2142.68"), Decimal("1718.85"), Decimal("1737703.00")),
        ("email", 3500, Decimal("60.00"), Decimal("48.00"), Decimal("42000.00")),
        ("hr-systems", 2500, Decimal("280.00"), Decimal("173.33"), Decimal("266675.00")),
    ]
    assert impact[0].percent_lower == Decimal("19.8")


def test_the_next_application_skips_the_approvers_own_organisation(world):
    own = factories.SignUpApplicationFactory(
        organisation=world["approver"].organisation,
        status="submitted",
        submitted_at=world["agency_application"].submitted_at - dt.timedelta(days=1),
    )
    assert own.pk
    agency = world["agency_application"]
    # After the agency's (12 days old): ONS's demo change request (3 days old), then nothing.
    ons_change = ChangeRequest.objects.get(reference="CHG-2026-0001")
    assert selectors.next_to_decide(user=world["approver"]) == agency
    assert selectors.next_to_decide(user=world["approver"], after=agency) == ons_change
    assert selectors.next_to_decide(user=world["approver"], after=ons_change) == agency
    ChangeRequest.objects.filter(pk=ons_change.pk).update(status="withdrawn")
    assert selectors.next_to_decide(user=world["approver"], after=agency) is None
    assert selectors.next_to_decide(user=world["cio_agency"]) is None


@pytest.mark.postgres
def test_a_page_of_the_application_list_is_read_in_index_order_not_sorted(approver):
    """The list's order (oldest submission first, drafts last) is an index's
    (application_list_idx), so a page of it is read from the index however many applications
    there are: with sorting switched off, PostgreSQL still finds a plan with no Sort, which it
    could not if no index gave that order."""
    from django.db import connection

    factories.SignUpApplicationFactory(
        status="submitted", submitted_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    )
    factories.SignUpApplicationFactory()
    page = (
        selectors.application_list(user=approver).select_related(None).prefetch_related(None)[:50]
    )
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "application_list_idx" in plan
    assert "Sort" not in plan
