"""Text PostgreSQL refuses (a NUL byte) never reaches the database: a reference in a path is
matched by one converter (core/converters.py) that takes only reference characters, so such a
path matches no route (404); string filters in query strings are refused as field errors (400),
by Django's form fields. On SQLite, which would simply find nothing, the answers are the same."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.databases import on_each_database

pytestmark = pytest.mark.django_db

NUL = "a%00b"

API_PATHS = [
    ("get", f"/api/v1/applications/{NUL}/"),
    ("post", f"/api/v1/applications/{NUL}/submit/"),
    ("post", f"/api/v1/applications/{NUL}/withdraw/"),
    ("post", f"/api/v1/applications/{NUL}/approve/"),
    ("post", f"/api/v1/applications/{NUL}/reject/"),
    ("get", f"/api/v1/contracts/{NUL}/"),
    ("get", f"/api/v1/contracts/{NUL}/summary.pdf"),
    ("get", f"/api/v1/services/{NUL}/"),
    ("get", f"/api/v1/services/{NUL}/price-history/"),
    ("get", f"/api/v1/organisations/{NUL}/"),
]

PAGE_PATHS = [
    ("get", f"/applications/{NUL}/"),
    ("get", f"/applications/{NUL}/confirmation/"),
    ("post", f"/applications/{NUL}/submit/"),
    ("get", f"/applications/{NUL}/withdraw/"),
    ("post", f"/applications/{NUL}/approve/"),
    ("get", f"/applications/{NUL}/reject/"),
    ("post", f"/applications/{NUL}/reject/"),
    ("get", f"/contracts/{NUL}/"),
    ("get", f"/contracts/{NUL}/summary.pdf"),
    ("get", f"/catalogue/{NUL}/"),
    ("get", f"/catalogue/{NUL}/price-history.csv"),
]


def _as(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


@on_each_database
@pytest.mark.parametrize("username", ["approver", "cio-agency", "procurement"])
@pytest.mark.parametrize(("method", "path"), API_PATHS)
def test_a_nul_in_an_api_reference_is_a_json_404(client, demo, database, username, method, path):
    response = getattr(_as(client, username), method)(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@on_each_database
@pytest.mark.parametrize("username", ["approver", "cio-agency"])
@pytest.mark.parametrize(("method", "path"), PAGE_PATHS)
def test_a_nul_in_a_page_reference_is_a_404(client, demo, database, username, method, path):
    assert getattr(_as(client, username), method)(path).status_code == 404


@on_each_database
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/contracts/?organisation=a%00b", "organisation"),
        ("/api/v1/contracts/?q=a%00b", "q"),
        ("/api/v1/contracts/export.csv?organisation=a%00b", "organisation"),
        ("/api/v1/contracts/export.xlsx?q=a%00b", "q"),
        ("/api/v1/applications/?status=a%00b", "status"),
        ("/api/v1/rollouts/?organisation=a%00b", "organisation"),
        ("/api/v1/services/?q=a%00b", "q"),
    ],
)
def test_a_nul_in_an_api_filter_is_a_field_error(client, demo, database, path, field):
    response = _as(client, "procurement").get(path)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@on_each_database
@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("procurement", "/contracts/?organisation=a%00b"),
        ("procurement", "/contracts/?q=a%00b&sort=a%00b"),
        ("procurement", "/catalogue/?q=a%00b"),
        ("procurement", "/quote/?seats_a%00b=1&term_years=a%00b"),
        ("approver", "/applications/?status=a%00b&page=a%00b"),
        ("cio-dius", "/rollout/?organisation=a%00b"),
    ],
)
def test_a_nul_in_a_page_filter_never_reaches_the_database(client, demo, database, username, path):
    """Pages show their filters' field errors (or ignore what they cannot use)."""
    assert _as(client, username).get(path).status_code in (200, 400)


@on_each_database
def test_a_nul_in_sign_in_credentials_is_a_field_error(client, demo, database):
    api = client.post(
        "/api/v1/auth/token/",
        {"username": "cio\x00dius", "password": "x"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert list(api.json()) == ["username"]
    page = client.post("/accounts/login/", {"username": "cio\x00dius", "password": "x"})
    assert page.status_code == 200
    assert page.context["form"].errors["username"]


@on_each_database
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/rollouts/99999999999999999999/"),
        ("patch", "/api/v1/rollouts/99999999999999999999/waves/99999999999999999999/"),
        ("get", "/rollout/99999999999999999999/"),
        ("get", "/rollout/99999999999999999999/waves/99999999999999999999/"),
    ],
)
def test_an_id_past_the_database_integers_is_a_404(client, demo, database, method, path):
    """Django answers an integer lookup out of the column's range with no match."""
    assert getattr(_as(client, "approver"), method)(path).status_code == 404
