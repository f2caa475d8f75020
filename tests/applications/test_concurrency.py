"""Two requests at once, for real, on PostgreSQL: the row locks make one of them win.

Each test holds the winner inside its transaction a little longer (a slowed audit write), so
without the locks the loser would read the same state and both would succeed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from applications import services
from applications.models import ApplicationEvent, ApplicationStatus, SignUpApplication
from catalogue.models import Service
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_audit(monkeypatch):
    original = services._event

    def slowly(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "_event", slowly)


def run_at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads started together; each result is a value or an exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _create(cio, service: Service) -> SignUpApplication:
    return services.application_create(
        actor=cio,
        lines=[services.LineInput(service=service, seats=100)],
        term_years=3,
        requested_start=dt.date.today() + dt.timedelta(days=30),
        current_cost_per_seat=Decimal("2000.00"),
    )


def test_double_submission_only_submits_once(slow_audit):
    cio = factories.CIOFactory()
    draft = _create(cio, factories.ServiceFactory())

    first, second = run_at_once(
        lambda: services.application_submit(application=draft, actor=cio),
        lambda: services.application_submit(application=draft, actor=cio),
    )

    outcomes = sorted(type(r).__name__ for r in (first, second))
    assert outcomes == ["SignUpApplication", "TransitionNotAllowed"]
    assert SignUpApplication.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED
    assert list(
        ApplicationEvent.objects.filter(application=draft).values_list("action", flat=True)
    ) == ["created", "submitted"]


def test_concurrent_approvals_create_one_contract(slow_audit):
    application = factories.SignUpApplicationFactory(submitted=True)
    factories.ApplicationLineFactory(application=application, seats=100)
    approvers = [factories.ApproverFactory(username=f"approver-{n}") for n in range(2)]

    results = run_at_once(
        *(
            lambda a=a: services.application_approve(application=application, actor=a)
            for a in approvers
        )
    )

    assert sorted(type(r).__name__ for r in results) == [
        "SignUpApplication",
        "TransitionNotAllowed",
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.contract.lines.count() == 1
    assert ApplicationEvent.objects.filter(application=application, action="approved").count() == 1


def test_applications_made_at_once_get_distinct_references(slow_audit):
    service = factories.ServiceFactory()
    cios = [factories.CIOFactory() for _ in range(4)]

    results = run_at_once(*(lambda c=c: _create(c, service) for c in cios))

    year = dt.date.today().year
    assert sorted(r.reference for r in results) == [f"FLEX-{year}-{n:04d}" for n in range(1, 5)]


def test_one_organisation_applying_twice_at_once_gets_one_application(slow_audit):
    service = factories.ServiceFactory()
    cio = factories.CIOFactory()

    results = run_at_once(lambda: _create(cio, service), lambda: _create(cio, service))

    assert sorted(type(r).__name__ for r in results) == [
        "SignUpApplication",
        "TransitionNotAllowed",
    ]
    assert SignUpApplication.objects.filter(organisation=cio.organisation).count() == 1
