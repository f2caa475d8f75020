"""Every log line carries its request's id: taken from X-Request-ID when sane, else made up;
sent back in the response; carried into the Celery tasks the request publishes."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from core.logging import (
    REQUEST_ID_HEADER,
    RequestIdFilter,
    request_id,
    task_publish_add_request_id,
)
from notifications.models import TemplateKey
from notifications.services import notification_enqueue
from notifications.tasks import send_notification

pytestmark = pytest.mark.django_db

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    (handler,) = [
        h for h in root.handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous_stream, previous_level = handler.setStream(stream), root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.setStream(previous_stream)
        root.setLevel(previous_level)


def _json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


def test_a_views_log_line_carries_the_request_id_it_was_sent(client, console):
    response = client.get(reverse("healthz"), headers={REQUEST_ID_HEADER: "edge-7f3a.42:1"})
    assert response[REQUEST_ID_HEADER] == "edge-7f3a.42:1"
    (line,) = [line for line in _json_lines(console) if line["message"] == "request"]
    assert line["request_id"] == "edge-7f3a.42:1"
    assert line["path"] == "/healthz"
    assert request_id.get() is None  # nothing leaks past the request


@pytest.mark.parametrize(
    "sent",
    [None, "", "has spaces", "line\nbreak", "x" * 129, 'quote"d', "\u00e9t\u00e9"],
)
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, console, sent):
    headers = {} if sent is None else {REQUEST_ID_HEADER: sent}
    response = client.get(reverse("healthz"), headers=headers)
    made = response[REQUEST_ID_HEADER]
    assert NEW_ID.fullmatch(made)
    (line,) = [line for line in _json_lines(console) if line["message"] == "request"]
    assert line["request_id"] == made


def test_two_requests_get_different_ids(client):
    first = client.get(reverse("healthz"))[REQUEST_ID_HEADER]
    assert client.get(reverse("healthz"))[REQUEST_ID_HEADER] != first


def test_a_published_task_carries_the_request_id_in_its_headers():
    headers: dict = {}
    token = request_id.set("req-123")
    try:
        task_publish_add_request_id(headers=headers)
    finally:
        request_id.reset(token)
    assert headers == {"request_id": "req-123"}
    outside: dict = {}
    task_publish_add_request_id(headers=outside)
    assert outside == {}  # no request, no header


def test_a_tasks_log_lines_carry_the_request_id_it_was_published_with(console):
    (notification,) = notification_enqueue(
        template=TemplateKey.PRICE_CHANGED,
        recipients=["cio@example.gov.uk"],
        key="event-1",
        personalisation={},
    )
    result = send_notification.apply(args=[notification.pk], headers={"request_id": "req-9"})
    assert result.get() == "sent"
    (line,) = [line for line in _json_lines(console) if line["message"] == "notification sent"]
    assert line["request_id"] == "req-9"
    assert request_id.get() is None  # reset once the task finished


def test_a_task_started_by_beat_logs_under_its_own_task_id(console):
    (notification,) = notification_enqueue(
        template=TemplateKey.PRICE_CHANGED,
        recipients=["cio@example.gov.uk"],
        key="event-1",
        personalisation={},
    )
    result = send_notification.apply(args=[notification.pk], task_id="beat-task-1")
    assert result.get() == "sent"
    (line,) = [line for line in _json_lines(console) if line["message"] == "notification sent"]
    assert line["request_id"] == "beat-task-1"
