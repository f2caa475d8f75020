"""Sign-in input longer than any username or sane password is refused as a field error before
authentication runs: django-axes records the username of a failed sign-in in a 255-character
column, so a longer one was a 500 on PostgreSQL. The same bounds hold for the API and the page."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from core.forms import MAX_PASSWORD_LENGTH
from tests import factories
from tests.databases import on_each_database

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LONG_USERNAME = "u" * 256


overlong_credentials = pytest.mark.parametrize(
    ("credentials", "field"),
    [
        ({"username": LONG_USERNAME, "password": "x"}, "username"),
        ({"username": "someone", "password": "p" * (MAX_PASSWORD_LENGTH + 1)}, "password"),
    ],
)


def _attempts() -> int:
    return AccessAttempt.objects.count()


@on_each_database
@overlong_credentials
def test_the_token_endpoint_refuses_overlong_credentials(client, db, database, credentials, field):
    response = client.post(TOKEN, credentials, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert _attempts() == 0  # refused before authentication: no failed attempt recorded


@on_each_database
@overlong_credentials
def test_the_sign_in_page_refuses_overlong_credentials(client, db, database, credentials, field):
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert _attempts() == 0


def test_credentials_at_the_bounds_are_still_checked(client, db):
    user = factories.CIOFactory(username="c" * 150)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "p" * MAX_PASSWORD_LENGTH}
    )
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    token = client.post(
        TOKEN,
        {"username": user.username, "password": "p" * MAX_PASSWORD_LENGTH},
        content_type="application/json",
    )
    assert token.status_code == 400
    assert list(token.json()) == ["non_field_errors"]
