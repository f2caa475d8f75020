"""The outbox page (/notifications/) and admin: Cabinet Office staff see every notification's
status; nobody else sees it, and nobody edits it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationStatus, TemplateKey
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("notifications:list")
SIGNED_IN = 1  # the session with its user, their organisation and groups (one statement)
NAVIGATION = 0  # the user's groups are read with the user (accounts/signed_in.py)


def _notification(n: int, **fields) -> Notification:
    now = timezone.now()
    defaults = {
        "key": f"event-{n}",
        "template": TemplateKey.PRICE_CHANGED,
        "recipient": f"cio-{n}@example.gov.uk",
        "personalisation": {"organisation": f"Organisation {n}"},
        "created_at": now - dt.timedelta(minutes=n),
        "next_attempt_at": now,
    }
    return Notification.objects.create(**{**defaults, **fields})


def test_staff_see_each_notification_with_its_status(client):
    client.force_login(factories.ApproverFactory())
    sent_at = timezone.now()
    _notification(1, status=NotificationStatus.SENT, sent_at=sent_at, attempts=1)
    _notification(
        2,
        status=NotificationStatus.FAILED,
        attempts=3,
        last_error="Notify answered 500 - Internal server error",
    )
    _notification(3, status=NotificationStatus.FAILED, attempts=1, next_attempt_at=None)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 notifications, page 1 of 1" in page
    assert page.index("cio-1@example.gov.uk") < page.index("cio-2@example.gov.uk")  # newest first
    assert '<strong class="govuk-tag govuk-tag--green">Sent to Notify</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page
    assert "Notify answered 500 - Internal server error" in page
    assert "Not retried: Notify refused it" in page
    assert "Next try" in page


def test_the_status_filter_shows_only_that_status(client):
    client.force_login(factories.ApproverFactory())
    _notification(1, status=NotificationStatus.SENT, sent_at=timezone.now())
    _notification(2, status=NotificationStatus.FAILED)
    page = client.get(URL, {"status": "failed"}).content.decode()
    assert "1 notification, page 1 of 1" in page
    assert "cio-2@example.gov.uk" in page and "cio-1@example.gov.uk" not in page
    assert '<strong aria-current="page">Failed</strong>' in page
    # An unknown status (a hand-edited link, even one with a NUL) shows them all.
    page = client.get(URL, {"status": "nonsense\x00"}).content.decode()
    assert "2 notifications" in page


@pytest.mark.parametrize("factory", ["CIOFactory", "ProcurementOfficerFactory"])
def test_nobody_else_sees_them(client, factory):
    client.force_login(getattr(factories, factory)())
    assert client.get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_admin_shows_notifications_read_only(admin_client):
    notification = _notification(1)
    change_url = reverse("admin:notifications_notification_change", args=[notification.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert b'name="recipient"' not in page.content  # shown, not editable
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    response = admin_client.post(change_url, {"recipient": "someone@example.gov.uk"})
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.recipient == "cio-1@example.gov.uk"


def test_the_page_reads_the_same_number_of_queries_however_many_there_are(
    client, django_assert_num_queries
):
    client.force_login(factories.ApproverFactory())
    for n in range(3):
        _notification(n)
    # count; the page of notifications
    queries = SIGNED_IN + NAVIGATION + 2
    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200
    for n in range(3, 120):
        _notification(n, status=NotificationStatus.SENT, sent_at=timezone.now())
    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(queries):
        assert client.get(URL, {"page": "3", "status": "sent"}).status_code == 200
