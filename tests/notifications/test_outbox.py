"""The outbox against a fake Notify on loopback: each message reaches Notify once, only after
its transaction commits, and survives an outage."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.backends import ConsoleBackend
from notifications.models import Notification, NotificationStatus, TemplateKey
from notifications.tasks import send_due_notifications, send_notification

from .conftest import TEMPLATE_IDS

pytestmark = pytest.mark.django_db

DIUS = "cio-dius@example.gov.uk"
ONS = "cio-ons@example.gov.uk"


def _enqueue(key: str = "event-1", recipients=(DIUS,)) -> list[Notification]:
    return services.notification_enqueue(
        template=TemplateKey.PRICE_CHANGED,
        recipients=recipients,
        key=key,
        personalisation={"organisation": "DIUS", "cause": "ONS joined"},
    )


def _later(seconds: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_a_message_reaches_notify_only_once_its_transaction_commits(
    fake_notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = _enqueue()
        assert fake_notify.emails == []  # not before the commit
    assert len(fake_notify.emails) == 1
    email = fake_notify.emails[0]
    assert email["email_address"] == DIUS
    assert email["template_id"] == TEMPLATE_IDS["price_changed"]
    assert email["personalisation"] == {"organisation": "DIUS", "cause": "ONS joined"}
    assert email["reference"] == str(notification.reference)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)
    assert notification.notify_id == email["id"]
    assert notification.sent_at is not None and notification.next_attempt_at is None


def test_a_rolled_back_transaction_sends_nothing(fake_notify, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert fake_notify.requests == []


def test_an_event_enqueued_twice_is_one_message_per_recipient(
    fake_notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(_enqueue(recipients=[DIUS, ONS, "CIO-DIUS@example.gov.uk", "", " "])) == 2
        assert _enqueue(recipients=[DIUS, ONS]) == []
    assert sorted(e["email_address"] for e in fake_notify.emails) == [DIUS, ONS]


def test_a_task_run_twice_sends_once(fake_notify):
    (notification,) = _enqueue()  # not committed: the test sends it by hand
    assert send_notification.apply(args=[notification.pk]).get() == "sent"
    assert send_notification.apply(args=[notification.pk]).get() == "already sent"
    assert services.notifications_send_due(now=_later(3600)) == 0
    assert len(fake_notify.emails) == 1


def test_a_notify_outage_then_recovery_delivers_each_message_once(
    fake_notify, django_capture_on_commit_callbacks
):
    fake_notify.fail_with = 500
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(key="event-1")
        _enqueue(key="event-2", recipients=[ONS])
    assert fake_notify.emails == []
    assert fake_notify.posts() == 2
    failed = Notification.objects.order_by("pk")
    assert [(n.status, n.attempts) for n in failed] == [(NotificationStatus.FAILED, 1)] * 2
    assert "500" in failed[0].last_error
    first_retry = failed[0].next_attempt_at

    # Not due yet: the sweeper leaves them alone.
    assert services.notifications_send_due() == 0
    assert fake_notify.posts() == 2
    # Due, and Notify still down: one attempt (it stops at the first failure), backing off.
    assert services.notifications_send_due(now=first_retry) == 0
    retried = Notification.objects.order_by("pk").first()
    assert retried.attempts == 2 and retried.next_attempt_at > first_retry
    # Notify is back: everything due is sent, each once.
    fake_notify.fail_with = None
    assert send_due_notifications.apply().get() == 0  # nothing due at this moment
    assert services.notifications_send_due(now=_later(3600)) == 2
    assert sorted(e["email_address"] for e in fake_notify.emails) == [DIUS, ONS]
    assert services.notifications_send_due(now=_later(7200)) == 0
    assert len(fake_notify.emails) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_a_send_whose_answer_was_lost_is_looked_up_not_sent_again(fake_notify):
    fake_notify.accept_then_fail = True  # Notify takes it, but its answer never arrives
    (notification,) = _enqueue()
    services.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert len(fake_notify.emails) == 1

    fake_notify.accept_then_fail = False
    assert services.notifications_send_due(now=_later(3600)) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.notify_id == fake_notify.emails[0]["id"]
    assert len(fake_notify.emails) == 1  # found by its reference, not sent twice
    assert ("GET", f"/v2/notifications?reference={notification.reference}") in (
        fake_notify.requests
    )


def test_a_send_in_progress_elsewhere_is_left_alone_until_it_is_stale(fake_notify):
    (notification,) = _enqueue()
    # A worker claimed it and is (or was) talking to Notify.
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING,
        attempts=1,
        next_attempt_at=_later(services.SENDING_STALE_SECONDS),
    )
    result = services.notification_send(notification_id=notification.pk)
    assert result.outcome == services.Outcome.BUSY
    assert fake_notify.requests == []
    # The worker died: once stale, the sweeper asks Notify, finds nothing, and sends it.
    assert services.notifications_send_due(now=_later(services.SENDING_STALE_SECONDS + 1)) == 1
    assert [method for method, _ in fake_notify.requests] == ["GET", "POST"]
    assert len(fake_notify.emails) == 1


def test_a_message_notify_refuses_is_not_retried(fake_notify):
    fake_notify.fail_with = 400
    (notification,) = _enqueue()
    result = services.notification_send(notification_id=notification.pk)
    assert (result.outcome, result.retry_in) == (services.Outcome.REFUSED, None)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.next_attempt_at is None
    assert services.notifications_send_due(now=_later(86400)) == 0
    assert fake_notify.posts() == 1


def test_a_missing_template_id_fails_without_calling_notify_and_is_retried(fake_notify, settings):
    settings.NOTIFY_TEMPLATES = {}
    (notification,) = _enqueue()
    result = services.notification_send(notification_id=notification.pk)
    assert result.outcome == services.Outcome.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "No Notify template id: set NOTIFY_TEMPLATE_PRICE_CHANGED"
    assert fake_notify.requests == []
    settings.NOTIFY_TEMPLATES = dict(TEMPLATE_IDS)
    assert services.notifications_send_due(now=_later(3600)) == 1


def test_a_queued_message_whose_task_was_lost_is_sent_by_the_sweeper(fake_notify):
    assert len(_enqueue()) == 1  # its on-commit publish never happens in this test
    assert services.notifications_send_due() == 0  # within the grace period
    later = _later(services.QUEUED_GRACE_SECONDS)
    assert services.notifications_send_due(now=later) == 1
    assert len(fake_notify.emails) == 1


def test_the_back_off_doubles_up_to_an_hour():
    assert [services.retry_delay(n) for n in (1, 2, 3, 4, 8, 20)] == [
        30,
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_the_console_backend_prints_the_message(django_capture_on_commit_callbacks, settings):
    assert settings.NOTIFY_BACKEND == "console"  # the test settings' default
    stream = io.StringIO()
    (notification,) = _enqueue()
    assert ConsoleBackend(stream).send(notification) == f"console-{notification.reference}"
    printed = stream.getvalue()
    assert f"Price changed (price_changed) to {DIUS}" in printed
    assert "((cause)): ONS joined" in printed


def test_make_run_prints_notifications_to_the_console(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = _enqueue()
    assert f"Price changed (price_changed) to {DIUS}" in capsys.readouterr().out
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
