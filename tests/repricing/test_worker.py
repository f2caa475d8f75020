"""Repricing through a real Celery worker, against the real Redis and PostgreSQL.

One worker subprocess (solo pool) serves the module, consuming from CELERY_BROKER_URL and
writing to the test database; the test process publishes for real (Celery not eager). Each
test approves applications through the service and watches what the worker does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import services
from applications.models import SignUpApplication
from catalogue.models import Service
from contracts.models import ContractLine
from flexportal.celery import app
from repricing import services as repricing
from repricing.models import RepricingRequest, RepricingRun
from tests import factories
from tests.celery_worker import BASE_DIR, CELERY, running_worker, stop, wait_for, worker_env

from .helpers import assert_prices_match_a_recomputation_from_scratch

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WINDOW = 0.5  # seconds between repricing runs, for worker and publisher alike
CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"
WORKER_NAME = f"flex-test-{os.getpid()}@{socket.gethostname()}"


def _env(**extra: str) -> dict[str, str]:
    return worker_env(REPRICING_COALESCE_SECONDS=str(WINDOW), **extra)


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory) -> Iterator[Path]:
    """A Celery worker on the test database; yields its log file. Always stopped."""
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    with running_worker(WORKER_NAME, log, _env()):
        yield log


@pytest.fixture
def live(worker, celery_not_eager, settings) -> Path:
    """A test that publishes for real to an idle worker."""
    settings.CELERY_REPRICING_COALESCE_SECONDS = WINDOW
    _wait_until_idle(worker)
    return worker


def _wait_until_idle(log: Path) -> None:
    """No task running, reserved or scheduled: what an earlier test left has finished."""

    def idle() -> bool:
        inspect = app.control.inspect(destination=[WORKER_NAME], timeout=1.0)
        for state in (inspect.active(), inspect.reserved(), inspect.scheduled()):
            if state is None or any(state.values()):
                return False
        return True

    wait_for(idle, timeout=20, what="the worker to be idle", log=log)


def _all_processed() -> bool:
    return not RepricingRequest.objects.filter(processed_at__isnull=True).exists()


def _desktop_price() -> Decimal:
    return Service.objects.get(slug="desktop").current_unit_price


def test_an_approval_lowers_every_members_price_through_the_worker(demo, live):
    approver = get_user_model().objects.get(username="approver")
    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")
    runs_before = RepricingRun.objects.count()

    services.application_approve(application=application, actor=approver)

    # The approval has committed; the repricing is the worker's, a moment later.
    assert RepricingRequest.objects.filter(processed_at__isnull=True).count() == 1
    assert _desktop_price() == Decimal("2142.68")
    wait_for(_all_processed, timeout=20, what="the worker to reprice", log=live)

    cabinet_office = dict(
        ContractLine.objects.filter(contract__reference="CON-2026-0001").values_list(
            "service__slug", "current_unit_price"
        )
    )
    assert cabinet_office["desktop"] == Decimal("1718.85")  # was 2,142.68
    assert cabinet_office["email"] == Decimal("48.00")  # was 60.00
    assert cabinet_office["hr-systems"] == Decimal("173.33")  # was 280.00
    ons_desktop = ContractLine.objects.get(
        contract__reference="CON-2026-0002", service__slug="desktop"
    )
    assert ons_desktop.current_unit_price == Decimal("1718.85")
    assert RepricingRun.objects.count() == runs_before + 1
    assert_prices_match_a_recomputation_from_scratch()


def test_a_burst_of_approvals_coalesces_into_few_runs(demo, live):
    approver = get_user_model().objects.get(username="approver")
    desktop, email, wireless = (
        Service.objects.get(slug=s) for s in ("desktop", "email", "wireless")
    )
    applications = []
    for n in range(50):
        application = factories.SignUpApplicationFactory(
            organisation=factories.OrganisationFactory(slug=f"burst-{n}", name=f"Burst body {n}"),
            submitted=True,
        )
        factories.ApplicationLineFactory(application=application, service=desktop, seats=100 + n)
        factories.ApplicationLineFactory(application=application, service=email, seats=50 + n)
        if n % 3 == 0:
            factories.ApplicationLineFactory(application=application, service=wireless, seats=40)
        applications.append(application)
    burst_started_at = timezone.now()
    started = time.monotonic()

    for application in applications:
        services.application_approve(application=application, actor=approver)

    burst_seconds = time.monotonic() - started
    wait_for(_all_processed, timeout=30, what="the worker to finish the burst", log=live)
    _wait_until_idle(live)

    runs = list(
        RepricingRun.objects.filter(started_at__gte=burst_started_at).order_by("started_at")
    )
    bound = math.ceil(burst_seconds / WINDOW) + 1
    print(f"burst: {len(runs)} runs for 50 approvals in {burst_seconds:.2f} s (bound {bound})")
    assert 1 <= len(runs) <= bound, (len(runs), burst_seconds)
    assert len(runs) < len(applications) / 2
    assert sum(run.requests_processed for run in runs) == 50
    # The mechanism behind the bound: each run starts a window after the previous ended.
    for earlier, later in itertools.pairwise(runs):
        assert later.started_at - earlier.finished_at >= dt.timedelta(seconds=WINDOW * 0.95)
    assert_prices_match_a_recomputation_from_scratch()
    # 4,100 + Σ(100..149) = 10,325 desktop seats: 5,300,000 / 10,325 + 850 = 1,363.32.
    assert _desktop_price() == Decimal("1363.32")
    # The final state is the from-scratch state: recomputing again writes nothing.
    assert repricing.framework_reprice(force=True) == repricing.RepricingResult(0, 0, 0, 0)


@pytest.fixture
def broker_down():
    """The test process publishes to a closed port; the worker keeps the real broker."""

    def point_at(url: str | None) -> None:
        app.conf.broker_write_url = url
        # Drop the pools built for the previous address so the next publish reconnects.
        app._pool = None
        app.amqp._producer_pool = None

    point_at(CLOSED_PORT_BROKER)
    try:
        yield
    finally:
        point_at(None)


def test_with_the_broker_down_the_approval_stands_and_the_sweeper_reprices_later(
    demo, live, broker_down, tmp_path
):
    approver = get_user_model().objects.get(username="approver")
    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")

    started = time.monotonic()
    services.application_approve(application=application, actor=approver)
    publish_gave_up_after = time.monotonic() - started
    print(f"broker down: the approval returned after {publish_gave_up_after:.2f} s")

    assert publish_gave_up_after < 5  # fails fast, does not hold the approver's page
    assert SignUpApplication.objects.get(pk=application.pk).status == "approved"
    pending = RepricingRequest.objects.get(processed_at__isnull=True)
    assert pending.reason == "GSA joined"
    time.sleep(2 * WINDOW)
    assert RepricingRequest.objects.filter(pk=pending.pk, processed_at__isnull=True).exists()
    assert _desktop_price() == Decimal("2142.68")

    # Beat, with a one-second sweep, sends the sweeper through the (working) broker.
    with (tmp_path / "beat.log").open("w") as output:
        beat = subprocess.Popen(
            [
                str(CELERY), "-A", "flexportal", "beat", "--loglevel=INFO",
                "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1",
            ],
            cwd=BASE_DIR, env=_env(REPRICING_SWEEP_SECONDS="1"),
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            _all_processed, timeout=30, what="the sweeper to reprice", log=tmp_path / "beat.log"
        )
    finally:
        stop(beat)

    assert _desktop_price() == Decimal("1718.85")
    assert_prices_match_a_recomputation_from_scratch()
    assert "Sweeper found pending repricing requests" in live.read_text()


def test_with_the_broker_down_a_leave_and_an_expiry_are_repriced_by_the_beat_path(
    demo, live, broker_down, tmp_path
):
    """Both causes of a price rise survive a broker that is down when they commit: the leave's
    request waits for the sweeper; the expiry is found by beat's hourly task (run every second
    here) in the worker, which ends the contract and requests its repricing itself."""
    from applications import lifecycle
    from contracts.models import Contract

    ons = Contract.objects.get(organisation__slug="ons")
    lapsed = factories.ContractFactory(
        organisation=factories.OrganisationFactory(slug="lapsed", name="Lapsed body", member=True),
        start_date=timezone.localdate() - dt.timedelta(days=400),
        term_years=1,
    )
    factories.ContractLineFactory(contract=lapsed, service=Service.objects.get(slug="desktop"))
    approver = get_user_model().objects.get(username="approver")

    lifecycle.contract_leave(
        contract=ons, actor=approver, on=timezone.localdate(), reason="Wound up"
    )

    assert Contract.objects.get(pk=ons.pk).status == "ended"
    assert RepricingRequest.objects.get(processed_at__isnull=True).reason == "ONS left"
    with (tmp_path / "beat.log").open("w") as output:
        beat = subprocess.Popen(
            [
                str(CELERY), "-A", "flexportal", "beat", "--loglevel=INFO",
                "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1",
            ],
            cwd=BASE_DIR,
            env=_env(REPRICING_SWEEP_SECONDS="1", CONTRACT_EXPIRY_SECONDS="1"),
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            lambda: Contract.objects.get(pk=lapsed.pk).status == "ended" and _all_processed(),
            timeout=30,
            what="the expiry and both repricings",
            log=tmp_path / "beat.log",
        )
    finally:
        stop(beat)

    reasons = set(RepricingRequest.objects.values_list("reason", flat=True))
    assert {"ONS left", "Lapsed body's contract expired"} <= reasons
    assert_prices_match_a_recomputation_from_scratch()
    # Cabinet Office 2,500 + DIUS 1,000 desktops: 5,300,000 / 3,500 + 850 = 2,364.29.
    assert _desktop_price() == Decimal("2364.29")
