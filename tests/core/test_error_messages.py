"""A refusal never echoes the caller's input, and the API's JSON renderer can send any string:
a lone surrogate ("\\ud800") parses from JSON but cannot be encoded as UTF-8, so echoing it in
a 400 was a 500."""

from __future__ import annotations

import json

import pytest

from accounts.models import User
from rollout.models import RolloutPlan

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800x"


def _post(client, username: str, url: str, body) -> object:
    client.force_login(User.objects.get(username=username))
    return client.post(url, json.dumps(body), content_type="application/json")


def _application(**overrides) -> dict:
    return {
        "lines": [{"service": "desktop", "seats": 10}],
        "term_years": 3,
        "requested_start": "2027-06-01",
    } | overrides


def _new_organisation(**overrides) -> dict:
    return {"name": "A new agency", "kind": "agency", "staff": 5} | overrides


def _ascii_json(response) -> object:
    """The body is plain ASCII JSON: non-ASCII text travels as \\uXXXX escapes."""
    response.content.decode("ascii")
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("url", "body", "path"),
    [
        (
            "/api/v1/quotes/",
            {"lines": [{"service": SURROGATE, "seats": 1}], "term_years": 3},
            ("lines", "0", "service"),
        ),
        (
            "/api/v1/applications/",
            _application(lines=[{"service": SURROGATE, "seats": 1}]),
            ("lines", "0", "service"),
        ),
        (
            "/api/v1/applications/",
            _application(new_organisation=_new_organisation(predecessors=[SURROGATE])),
            ("new_organisation", "predecessors"),
        ),
        (
            "/api/v1/applications/",
            _application(new_organisation=_new_organisation(kind=SURROGATE)),
            ("new_organisation", "kind"),
        ),
    ],
)
def test_a_lone_surrogate_is_a_field_error(client, demo, url, body, path):
    response = _post(client, "cio-ons", url, body)
    assert response.status_code == 400
    errors = _ascii_json(response)
    for key in path:
        errors = errors[key]
    assert errors and not any(SURROGATE in message for message in errors)


def test_a_lone_surrogate_in_a_wave_change_is_a_field_error(client, demo):
    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    client.force_login(User.objects.get(username="cio-dius"))
    response = client.patch(
        f"/api/v1/rollouts/{plan.pk}/waves/{plan.waves.first().pk}/",
        json.dumps({"status": SURROGATE}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(_ascii_json(response)) == ["status"]


@pytest.mark.parametrize(
    ("url", "body", "path", "message"),
    [
        (
            "/api/v1/quotes/",
            {"lines": [{"service": "mainframe", "seats": 1}], "term_years": 3},
            ("lines", "0", "service"),
            "There is no service with this slug in the catalogue.",
        ),
        (
            "/api/v1/applications/",
            _application(lines=[{"service": "mainframe", "seats": 1}]),
            ("lines", "0", "service"),
            "There is no service with this slug.",
        ),
        (
            "/api/v1/applications/",
            _application(new_organisation=_new_organisation(predecessors=["mainframe"])),
            ("new_organisation", "predecessors"),
            "There is no organisation with this slug.",
        ),
        (
            "/api/v1/applications/",
            _application(new_organisation=_new_organisation(kind="mainframe")),
            ("new_organisation", "kind"),
            "Choose one of: ministerial, non_ministerial, agency, other.",
        ),
    ],
)
def test_refusals_say_what_is_wrong_without_echoing_the_input(
    client, demo, url, body, path, message
):
    response = _post(client, "cio-ons", url, body)
    assert response.status_code == 400
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert errors == [message]


def test_non_ascii_text_is_escaped_and_reads_back_the_same(client, demo):
    """A reason with a pound sign and curly quotes comes back as the same text."""
    reason = "Too dear at £2,400 a seat — “we will look again”."
    response = _post(
        client, "approver", "/api/v1/applications/FLEX-2026-0001/reject/", {"reason": reason}
    )
    assert response.status_code == 200
    assert b"\\u00a3" in response.content
    assert _ascii_json(response)["reason"] == reason
