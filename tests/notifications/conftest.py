"""The fake GOV.UK Notify server (fake_notify.py), started for a test, with the portal's
settings pointing the real client at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from notifications.models import TemplateKey

from .fake_notify import FakeNotify

TEMPLATE_IDS = {key.value: str(uuid.uuid4()) for key in TemplateKey}


@pytest.fixture
def fake_notify(settings) -> Iterator[FakeNotify]:
    fake = FakeNotify()
    url = fake.start()
    settings.NOTIFY_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = url
    settings.NOTIFY_API_KEY = fake.api_key
    settings.NOTIFY_TIMEOUT = 5.0
    settings.NOTIFY_TEMPLATES = dict(TEMPLATE_IDS)
    try:
        yield fake
    finally:
        fake.stop()
