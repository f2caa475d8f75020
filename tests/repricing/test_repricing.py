"""framework_reprice and the publishing around it, in-process (the real worker is in
test_worker.py): idempotent, set-based, coalescing, and never losing a request."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from applications import services
from applications.models import SignUpApplication
from catalogue.models import PriceSnapshot, Service
from contracts.models import ContractLine
from flexportal.celery import app
from repricing import services as repricing
from repricing.models import RepricingRequest, RepricingRun
from repricing.tasks import reprice_framework, sweep_pending_repricing
from tests import factories

from .helpers import assert_prices_match_a_recomputation_from_scratch, lines_off_price

pytestmark = pytest.mark.django_db


def _writes() -> tuple[int, int, int, int]:
    return (
        PriceSnapshot.objects.count(),
        RepricingRun.objects.count(),
        RepricingRequest.objects.filter(processed_at__isnull=True).count(),
        ContractLine.objects.filter(current_unit_price=0).count(),
    )


# --- idempotence and correctness ----------------------------------------------------------


def test_a_run_with_nothing_pending_writes_nothing(demo):
    before = (_writes(), list(Service.objects.values_list("current_unit_price", flat=True)))
    assert repricing.framework_reprice() == repricing.RepricingResult(0, 0, 0, 0)
    # Forced, with nothing changed: still nothing, not even a RepricingRun row.
    assert repricing.framework_reprice(force=True) == repricing.RepricingResult(0, 0, 0, 0)
    after = (_writes(), list(Service.objects.values_list("current_unit_price", flat=True)))
    assert after == before


def test_a_run_serves_every_pending_request_once(demo):
    agency = factories.OrganisationFactory(slug="agency")
    contract = factories.ContractFactory(organisation=agency)
    desktop = Service.objects.get(slug="desktop")
    factories.ContractLineFactory(contract=contract, service=desktop, seats=1900)
    RepricingRequest.objects.create(
        requested_at=timezone.now(), reason="A joined", caused_by=agency
    )
    RepricingRequest.objects.create(
        requested_at=timezone.now(), reason="A joined", caused_by=agency
    )

    result = repricing.framework_reprice()

    # 4,100 + 1,900 = 6,000 desktop seats: 5,300,000 / 6,000 + 850 = 1,733.33.
    assert result == repricing.RepricingResult(
        requests_processed=2, services_changed=1, snapshots_written=1, lines_updated=4
    )
    snapshot = PriceSnapshot.objects.latest()
    assert (snapshot.service, snapshot.framework_seats, snapshot.unit_price) == (
        desktop,
        6000,
        Decimal("1733.33"),
    )
    assert (snapshot.reason, snapshot.caused_by) == ("A joined", agency)
    assert_prices_match_a_recomputation_from_scratch()
    run = RepricingRun.objects.order_by("-finished_at").first()
    assert (run.requests_processed, run.snapshots_written, run.lines_updated) == (2, 1, 4)
    # Run again: nothing pending, nothing written.
    before = _writes()
    assert repricing.framework_reprice() == repricing.RepricingResult(0, 0, 0, 0)
    assert _writes() == before


def test_a_run_repairs_any_drift_to_the_from_scratch_state(demo):
    Service.objects.filter(slug="email").update(framework_seats=1, current_unit_price=Decimal("1"))
    ContractLine.objects.filter(service__slug="desktop").update(current_unit_price=0)
    assert lines_off_price() == 5  # three desktop lines, two email lines
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="Scheme changed")

    repricing.framework_reprice()

    assert_prices_match_a_recomputation_from_scratch()


def test_a_burst_of_requests_labels_the_snapshot_without_overflowing(demo):
    for n in range(40):
        RepricingRequest.objects.create(
            requested_at=timezone.now(), reason=f"Organisation {n} joined"
        )
    Service.objects.filter(slug="desktop").update(current_unit_price=1)
    repricing.framework_reprice()
    assert PriceSnapshot.objects.latest().reason == "40 changes, including Organisation 0 joined"


@pytest.mark.parametrize("organisations", [5, 15])
def test_a_run_costs_the_same_queries_however_many_organisations(
    db, django_assert_num_queries, organisations
):
    services_ = [
        factories.ServiceFactory(),
        factories.VolumeServiceFactory(),
        factories.CostShareServiceFactory(),
    ]
    for _ in range(organisations):
        contract = factories.ContractFactory()
        for service in services_:
            factories.ContractLineFactory(contract=contract, service=service, current_unit_price=0)
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="Joined")

    postgres = connection.vendor == "postgresql"
    # SAVEPOINT; [pg_advisory_xact_lock]; pending requests; seats per service; services;
    # their bands; the lines whose price changes, and their organisations' CIOs (to tell
    # them: repricing/notices.py); bulk update of services; UPDATE of the catalogue version
    # (cached pages); bulk insert of snapshots; UPDATE of contract lines; UPDATE of the
    # active contracts' stored annual values; UPDATE of requests; INSERT of the run; RELEASE
    # SAVEPOINT.
    with django_assert_num_queries(15 + postgres):
        result = repricing.framework_reprice()
    assert result.lines_updated == 3 * organisations
    assert_prices_match_a_recomputation_from_scratch()


# --- publishing and coalescing ------------------------------------------------------------


@pytest.fixture
def published(monkeypatch, celery_not_eager):
    """Celery as in production (not eager), with publishing recorded instead of sent."""
    calls: list[dict] = []
    monkeypatch.setattr(reprice_framework, "apply_async", lambda **kw: calls.append(kw))
    return calls


def _approval_like_request(django_capture_on_commit_callbacks, reason="X joined"):
    with django_capture_on_commit_callbacks(execute=True):
        return repricing.repricing_request(reason=reason)


def test_a_request_publishes_the_task_after_commit_with_the_window(
    db, published, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_REPRICING_COALESCE_SECONDS = 1.5
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        repricing.repricing_request(reason="X joined")
    assert published == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert published == [{"countdown": 1.5}]


def test_a_request_behind_a_pending_one_does_not_publish_again(
    db, published, django_capture_on_commit_callbacks
):
    _approval_like_request(django_capture_on_commit_callbacks, "A joined")
    _approval_like_request(django_capture_on_commit_callbacks, "B joined")
    _approval_like_request(django_capture_on_commit_callbacks, "C joined")
    assert len(published) == 1
    assert RepricingRequest.objects.filter(processed_at__isnull=True).count() == 3


def test_a_stale_pending_request_does_not_hold_back_a_new_one(
    db, published, django_capture_on_commit_callbacks
):
    RepricingRequest.objects.create(
        requested_at=timezone.now() - dt.timedelta(minutes=5),
        reason="Lost when the broker was down",
    )
    _approval_like_request(django_capture_on_commit_callbacks)
    assert len(published) == 1


def test_a_run_too_soon_after_the_last_is_deferred_and_writes_nothing(db, published):
    RepricingRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        requests_processed=1,
        snapshots_written=0,
        lines_updated=0,
    )
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="X joined")

    result = repricing.repricing_run_coalesced(window=2.0)

    assert result.requests_processed == 0
    assert 1.9 < result.deferred_for <= 2.0
    assert RepricingRequest.objects.filter(processed_at__isnull=True).count() == 1
    assert RepricingRun.objects.count() == 1
    assert len(published) == 1 and 1.9 < published[0]["countdown"] <= 2.0


def test_a_request_arriving_during_a_run_gets_one_more_run(db, published, monkeypatch):
    real = repricing.framework_reprice

    def run_while_another_commits(**kwargs):
        result = real(**kwargs)
        RepricingRequest.objects.create(requested_at=timezone.now(), reason="Y joined")
        return result

    monkeypatch.setattr(repricing, "framework_reprice", run_while_another_commits)
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="X joined")

    result = repricing.repricing_run_coalesced(window=2.0)

    assert result.requests_processed == 1
    assert published == [{"countdown": 2.0}]


def test_eager_celery_reprices_at_once(demo, django_capture_on_commit_callbacks):
    agency = factories.OrganisationFactory(slug="agency")
    contract = factories.ContractFactory(organisation=agency)
    factories.ContractLineFactory(
        contract=contract, service=Service.objects.get(slug="desktop"), seats=1900
    )
    with django_capture_on_commit_callbacks(execute=True):
        repricing.repricing_request(reason="GSA joined", caused_by=agency)
    assert Service.objects.get(slug="desktop").current_unit_price == Decimal("1733.33")
    assert not RepricingRequest.objects.filter(processed_at__isnull=True).exists()


# --- nothing lost -------------------------------------------------------------------------


def test_an_approval_stands_when_the_broker_is_down_and_the_sweeper_finishes_it(
    demo, monkeypatch, caplog, django_capture_on_commit_callbacks, celery_not_eager
):

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(reprice_framework, "apply_async", broker_down)
    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")
    approver = factories.UserFactory._meta.model.objects.get(username="approver")

    with (
        caplog.at_level(logging.ERROR, logger="repricing.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.application_approve(application=application, actor=approver)

    assert SignUpApplication.objects.get(pk=application.pk).status == "approved"
    assert "Could not publish the repricing task" in caplog.text
    pending = RepricingRequest.objects.get(processed_at__isnull=True)
    assert Service.objects.get(slug="desktop").current_unit_price == Decimal("2142.68")

    # Beat runs the sweeper (here in-process): it finds the request and reprices.
    assert sweep_pending_repricing.apply().get() == 1
    pending.refresh_from_db()
    assert pending.processed_at is not None
    assert Service.objects.get(slug="desktop").current_unit_price == Decimal("1718.85")
    assert_prices_match_a_recomputation_from_scratch()


def test_the_sweeper_does_nothing_when_nothing_is_pending(demo):
    before = _writes()
    assert sweep_pending_repricing.apply().get() == 0
    assert _writes() == before


# --- configuration ------------------------------------------------------------------------


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    for task in (reprice_framework, sweep_pending_repricing):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True


def test_the_sweeper_is_scheduled_and_publishing_fails_fast(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-pending-repricing"]
    assert schedule["task"] == "repricing.tasks.sweep_pending_repricing"
    assert 0 < schedule["schedule"] <= 300
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 2 and policy["interval_max"] <= 0.5
    assert app.conf.broker_connection_timeout <= 2
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2
    assert app.conf.broker_transport_options["visibility_timeout"] >= 600
