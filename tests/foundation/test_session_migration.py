"""Moving the sessions into the portal's own table (accounts migration 0007) signs nobody out:
every unexpired session is copied, naming its user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.utils import timezone

from tests.foundation.test_migrations import back_to_latest, migrate  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0006_pages_stale_trigger")]
AFTER = [("accounts", "0007_session")]


def _django_session(data: dict, expires: dt.datetime | None = None) -> str:
    store = DjangoStore()
    store.update(data)
    store.create()
    if expires is not None:
        store.model.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_unexpired_sessions_are_copied_with_their_user(back_to_latest):  # noqa: F811
    old = migrate(BEFORE)
    user = old.get_model("accounts", "User").objects.create(username="moved-cio")
    signed_in = _django_session({SESSION_KEY: str(user.pk), "seen": 1})
    anonymous = _django_session({"journey": "seats"})
    gone_user = _django_session({SESSION_KEY: "999999"})
    expired = _django_session(
        {SESSION_KEY: str(user.pk)}, expires=timezone.now() - dt.timedelta(minutes=1)
    )

    new = migrate(AFTER)

    rows = {
        session.session_key: session
        for session in new.get_model("accounts", "Session").objects.all()
    }
    assert set(rows) == {signed_in, anonymous, gone_user}
    assert rows[signed_in].user_id == user.pk
    assert rows[anonymous].user_id is None
    assert rows[gone_user].user_id is None
    assert expired not in rows
    from accounts.sessions import SessionStore

    assert SessionStore(signed_in).load() == {SESSION_KEY: str(user.pk), "seen": 1}
