"""Contract references under load: many approvals at once, and past the 9,999th of a year.

References come from core.references (one counter row per prefix and year, raised under a row
lock in the approval's transaction). The concurrency test runs for real on PostgreSQL: 50
submitted applications approved from 8 threads at once must all succeed and number their
contracts CON-<year>-0001 to CON-<year>-0050, with no gap and no number twice.
"""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from applications import services
from applications.models import ApplicationStatus, SignUpApplication
from contracts.models import Contract
from core.models import ReferenceCounter
from tests import factories

from .test_concurrency import run_at_once

APPLICATIONS = 50
THREADS = 8


def _submitted_applications(count: int) -> list[SignUpApplication]:
    service = factories.ServiceFactory()
    applications = []
    for n in range(count):
        application = factories.SignUpApplicationFactory(
            organisation=factories.OrganisationFactory(slug=f"joiner-{n}", name=f"Joiner {n}"),
            submitted=True,
        )
        factories.ApplicationLineFactory(application=application, service=service, seats=10 + n)
        applications.append(application)
    return applications


def _approve_all_at_once(applications: list[SignUpApplication], approvers: list) -> list[object]:
    """Each approver's thread approves every len(approvers)-th application; all threads start
    together. A result is the approved application or the exception its approval raised."""
    results: list[object] = [None] * len(applications)

    def approve_share(worker: int) -> None:
        for index in range(worker, len(applications), len(approvers)):
            try:
                results[index] = services.application_approve(
                    application=applications[index], actor=approvers[worker]
                )
            except Exception as exc:
                results[index] = exc

    run_at_once(*(lambda w=w: approve_share(w) for w in range(len(approvers))))
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_approvals_from_eight_threads_all_succeed_with_gap_free_references():
    applications = _submitted_applications(APPLICATIONS)
    approvers = [factories.ApproverFactory(username=f"approver-{n}") for n in range(THREADS)]
    year = timezone.localdate().year

    started = time.monotonic()
    results = _approve_all_at_once(applications, approvers)
    seconds = time.monotonic() - started
    print(f"{APPLICATIONS} approvals from {THREADS} threads in {seconds:.2f} s")

    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == []
    assert all(r.status == ApplicationStatus.APPROVED for r in results)
    references = sorted(Contract.objects.values_list("reference", flat=True))
    assert references == [f"CON-{year}-{n:04d}" for n in range(1, APPLICATIONS + 1)]
    # Each approval points at its own contract.
    contracts = SignUpApplication.objects.values_list("contract__reference", flat=True)
    assert sorted(contracts) == references
    assert ReferenceCounter.objects.get(prefix="CON", year=year).last_number == APPLICATIONS


@pytest.mark.django_db
def test_the_ten_thousandth_contract_of_a_year_follows_the_9999th(approver):
    year = timezone.localdate().year
    ReferenceCounter.objects.create(prefix="CON", year=year, last_number=9998)
    service = factories.ServiceFactory()
    references = []
    for n in range(3):
        application = factories.SignUpApplicationFactory(
            organisation=factories.OrganisationFactory(slug=f"late-{n}", name=f"Late {n}"),
            submitted=True,
        )
        factories.ApplicationLineFactory(application=application, service=service, seats=10)
        approved = services.application_approve(application=application, actor=approver)
        references.append(approved.contract.reference)

    assert references == [f"CON-{year}-9999", f"CON-{year}-10000", f"CON-{year}-10001"]


@pytest.mark.django_db
def test_references_written_past_9999_are_counted_by_number_not_as_text(approver):
    """A contract brought in as CON-<year>-10000 sorts below CON-<year>-9999 as text: the
    next approval must still get 10001, not a second 10000."""
    year = timezone.localdate().year
    for number in (9999, 10000):
        factories.ContractFactory(reference=f"CON-{year}-{number}")
    application = factories.SignUpApplicationFactory(submitted=True)
    factories.ApplicationLineFactory(application=application, seats=10)

    approved = services.application_approve(application=application, actor=approver)

    assert approved.contract.reference == f"CON-{year}-10001"
