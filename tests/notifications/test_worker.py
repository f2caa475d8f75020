"""Notifications through a real Celery worker, against the real Redis and PostgreSQL, with the
worker's client talking to the fake Notify on loopback: a message enqueued while handling a
request is sent by the worker under that request's id, and a Notify outage then recovery
delivers it once, with the task's own retry finding it already sent."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from core.logging import request_id
from flexportal.celery import app
from notifications.models import Notification, NotificationStatus, TemplateKey
from notifications.services import notification_enqueue
from notifications.tasks import send_due_notifications
from tests.celery_worker import running_worker, wait_for, worker_env

from .conftest import TEMPLATE_IDS
from .fake_notify import FakeNotify

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WORKER_NAME = f"flex-notify-test-{time.time_ns()}@localhost"


@pytest.fixture(scope="module")
def notify_server() -> Iterator[FakeNotify]:
    fake = FakeNotify()
    fake.url = fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, notify_server, tmp_path_factory) -> Iterator[Path]:
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    templates = {f"NOTIFY_TEMPLATE_{key.upper()}": value for key, value in TEMPLATE_IDS.items()}
    env = worker_env(
        WORKER_TEST_NOTIFY_BASE_URL=notify_server.url,
        WORKER_TEST_NOTIFY_API_KEY=notify_server.api_key,
        **templates,
    )
    # A loaded machine takes a while to import Django and Celery.
    with running_worker(WORKER_NAME, log, env, timeout=120):
        yield log


@pytest.fixture
def live(worker, notify_server) -> Iterator[Path]:
    """Celery as in production (tasks published, not run in the caller), and a fake Notify
    that is up and has received nothing."""
    notify_server.fail_with = None
    notify_server.emails.clear()
    notify_server.requests.clear()
    previous, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = previous


def _enqueue(key: str) -> Notification:
    with transaction.atomic():
        (notification,) = notification_enqueue(
            template=TemplateKey.CONTRACT_ENDED,
            recipients=["cio-ons@example.gov.uk"],
            key=key,
            personalisation={"organisation": "ONS"},
        )
    return notification


def _status(notification: Notification) -> str:
    return Notification.objects.get(pk=notification.pk).status


def test_the_worker_sends_it_under_the_request_id_it_was_published_with(live, notify_server):
    token = request_id.set("req-from-the-web-7")
    try:
        notification = _enqueue("worker-1")  # commits, then publishes with the request's id
    finally:
        request_id.reset(token)
    wait_for(
        lambda: _status(notification) == NotificationStatus.SENT,
        timeout=60,
        what="the worker to send the notification",
        log=live,
    )
    assert [e["reference"] for e in notify_server.emails] == [str(notification.reference)]
    sent_lines = [line for line in live.read_text().splitlines() if "notification sent" in line]
    assert any("[req-from-the-web-7]" in line for line in sent_lines), sent_lines


def test_an_outage_then_recovery_through_the_worker_delivers_once(live, notify_server):
    notify_server.fail_with = 503
    notification = _enqueue("worker-2")
    wait_for(
        lambda: _status(notification) == NotificationStatus.FAILED,
        timeout=60,
        what="the first attempt to fail",
        log=live,
    )
    assert notify_server.emails == []
    # Notify is back before the task's own retry (30 s on): the beat sweeper, once the
    # back-off is over (moved to now here), sends it.
    notify_server.fail_with = None
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    send_due_notifications.delay()
    wait_for(
        lambda: _status(notification) == NotificationStatus.SENT,
        timeout=60,
        what="the sweeper to send it",
        log=live,
    )
    # The task's retry comes round and finds it sent: still one email.
    wait_for(
        lambda: "'already sent'" in live.read_text(),
        timeout=120,
        what="the task's own retry",
        log=live,
    )
    assert [e["reference"] for e in notify_server.emails] == [str(notification.reference)]
    assert Notification.objects.get(pk=notification.pk).attempts == 2
