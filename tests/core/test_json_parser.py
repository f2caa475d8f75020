"""Every JSON body the API reads goes through one parser (core/api/parsers.py), which refuses a
body nested too deep or too large with 400 before decoding it: never a RecursionError (500)."""

from __future__ import annotations

import json
import time

import pytest
from django.test import override_settings

from accounts.models import User
from core.api.parsers import MAX_DEPTH, nesting_depth
from rollout.models import RolloutPlan

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _signed_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def _wave_url() -> str:
    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    return f"/api/v1/rollouts/{plan.pk}/waves/{plan.waves.first().pk}/"


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize(
    ("method", "url", "username"),
    [
        ("post", "/api/v1/quotes/", "cio-dius"),
        ("post", "/api/v1/applications/", "cio-dius"),
        ("patch", None, "cio-dius"),  # a wave of DIUS's rollout plan
        ("post", "/api/v1/auth/token/", None),  # no sign-in needed
    ],
)
def test_deeply_nested_json_is_refused_with_400(client, demo, method, url, username, body):
    if username:
        _signed_in(client, username)
    response = getattr(client, method)(url or _wave_url(), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON parse error - arrays and objects may nest at most {MAX_DEPTH} levels deep."
    }


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_bound_is_refused_with_400(client, demo):
    body = json.dumps({"lines": [{"service": "desktop", "seats": 1}] * 100, "term_years": 3})
    assert len(body) > 1000
    response = _signed_in(client, "cio-dius").post(
        "/api/v1/quotes/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body must be 1,000 bytes or smaller."}


def test_brackets_inside_strings_do_not_count(client, demo):
    """A reason may say anything: only the structure's nesting is bounded."""
    _signed_in(client, "approver")
    reason = "[" * 500 + "{" * 500
    response = client.post(
        "/api/v1/applications/FLEX-2026-0001/reject/",
        json.dumps({"reason": reason}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["reason"] == reason


def test_ordinary_json_still_parses_and_bad_json_is_a_400(client, demo):
    _signed_in(client, "cio-dius")
    quote = {"lines": [{"service": "desktop", "seats": 10}], "term_years": 3}
    ok = client.post("/api/v1/quotes/", json.dumps(quote), content_type="application/json")
    assert ok.status_code == 200
    bad = client.post("/api/v1/quotes/", '{"lines": [', content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("JSON parse error - ")
    nan = client.post("/api/v1/quotes/", '{"term_years": NaN}', content_type="application/json")
    assert nan.status_code == 400


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "\\"[[", {"x": "]]]]"}]', 2),
        ("[[[[", 4),  # not JSON: some depth, and the decoder refuses it
    ],
)
def test_nesting_depth(text, depth):
    assert nesting_depth(text, stop_above=MAX_DEPTH) == depth


def test_nesting_depth_stops_counting_past_the_bound():
    assert nesting_depth("[" * 100_000, stop_above=MAX_DEPTH) == MAX_DEPTH + 1


@pytest.mark.parametrize(
    ("url", "username"),
    [
        ("/api/v1/auth/token/", None),
        ("/api/v1/quotes/", "cio-dius"),
        ("/api/v1/applications/", "cio-dius"),
    ],
)
def test_the_api_takes_json_only(client, demo, url, username):
    """A form body cannot carry the lines the API takes; the schema offers JSON alone."""
    if username:
        _signed_in(client, username)
    response = client.post(url, {"username": "cio-dius", "password": "x"})  # multipart
    assert response.status_code == 415
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][url]["post"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]


def test_nesting_depth_reads_each_character_once():
    """An unterminated string full of escaped quotes took quadratic time to scan (minutes for a
    megabyte) when each quote inside it restarted the search."""
    text = '"' + '\\"' * 500_000
    started = time.perf_counter()
    assert nesting_depth(text, stop_above=MAX_DEPTH) == 0
    assert time.perf_counter() - started < 2
