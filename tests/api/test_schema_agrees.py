"""The schema says what the rules are, and the API keeps to it: lists of lines need at least one
line, a rejection needs a reason, a query parameter given empty is refused, and a path that is
no route answers JSON whatever DEBUG is."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client, db) -> dict:
    return client.get("/api/schema/", {"format": "json"}).json()


def _as(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


# --- no route -----------------------------------------------------------------------------


@override_settings(DEBUG=True)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nothing-here/"),
        ("get", "/api/nothing"),
        ("post", "/api/v1/nothing-here/"),
        ("get", "/api/v1/applications/a%00b/"),
        ("delete", "/api/v1/contracts/CON-2026-0001/lines/"),
    ],
)
def test_a_path_that_is_no_route_is_json_404_even_under_debug(client, demo, method, path):
    response = getattr(_as(client, "approver"), method)(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@override_settings(DEBUG=True)
@pytest.mark.parametrize(
    ("path", "location"),
    [("/api/docs", "/api/docs/"), ("/api/v1/services?kind=core", "/api/v1/services/?kind=core")],
)
def test_a_route_without_its_slash_is_still_found(client, demo, path, location):
    response = _as(client, "approver").get(path)
    assert (response.status_code, response["Location"]) == (301, location)


def test_pages_still_get_the_govuk_404(client, demo):
    response = _as(client, "approver").get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- request bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "most"),
    [("QuoteInputRequest", 100), ("ApplicationCreateInputRequest", 50)],
)
def test_lines_need_at_least_one_line_in_the_schema_as_in_the_rules(schema, component, most):
    lines = schema["components"]["schemas"][component]["properties"]["lines"]
    assert (lines["minItems"], lines["maxItems"]) == (1, most)


def test_a_rejection_needs_a_reason_in_the_schema_as_in_the_rules(schema):
    reject = schema["components"]["schemas"]["ApplicationRejectInputRequest"]
    assert reject["required"] == ["reason"]
    assert reject["properties"]["reason"]["minLength"] == 1


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "  "}])
def test_the_right_to_reject_is_checked_before_the_reason(client, demo, body):
    url = "/api/v1/applications/FLEX-2026-0001/reject/"
    cio = _as(client, "cio-agency").post(url, body, content_type="application/json")
    assert cio.status_code == 403
    approver = _as(client, "approver").post(url, body, content_type="application/json")
    assert approver.status_code == 400
    assert approver.json() == {"reason": ["Enter the reason for rejecting the application."]}


# --- query parameters ---------------------------------------------------------------------

EMPTY = [
    ("/api/v1/contracts/", "signed_before"),
    ("/api/v1/contracts/", "signed_after"),
    ("/api/v1/contracts/", "status"),
    ("/api/v1/contracts/", "kind"),
    ("/api/v1/contracts/", "organisation"),
    ("/api/v1/contracts/", "q"),
    ("/api/v1/contracts/", "sort"),
    ("/api/v1/contracts/", "page"),
    ("/api/v1/contracts/export.csv", "status"),
    ("/api/v1/contracts/export.xlsx", "q"),
    ("/api/v1/applications/", "status"),
    ("/api/v1/applications/", "page"),
    ("/api/v1/rollouts/", "organisation"),
    ("/api/v1/services/", "q"),
    ("/api/v1/services/", "category"),
    ("/api/v1/services/", "page"),
    ("/api/v1/organisations/", "page"),
]


@pytest.mark.parametrize(("path", "name"), EMPTY)
def test_a_query_parameter_given_empty_is_a_field_error(client, demo, path, name):
    response = _as(client, "approver").get(f"{path}?{name}=")
    assert response.status_code == 400
    assert response.json() == {name: ["Give a value, or leave the parameter out."]}


@pytest.mark.parametrize(("path", "name"), EMPTY)
def test_the_schema_says_an_empty_query_parameter_is_refused(schema, path, name):
    operation = schema["paths"][path]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == name]
    value = parameter["schema"]
    assert (
        value.get("minLength") == 1
        or "enum" in value
        or "format" in value
        or value["type"] == "integer"
    )
    if value["type"] == "integer":
        assert value["minimum"] == 1


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("two", 400), ("last", 400), ("1", 200)])
def test_a_page_is_a_whole_number_from_one(client, demo, page, status):
    response = _as(client, "approver").get(f"/api/v1/contracts/?page={page}")
    assert response.status_code == status
    if status == 400:
        assert list(response.json()) == ["page"]


def test_a_page_past_the_last_is_still_404(client, demo):
    response = _as(client, "approver").get("/api/v1/contracts/?page=99")
    assert response.status_code == 404


def test_the_contract_page_still_reads_an_empty_field_as_no_filter(client, demo):
    """The page's GET form sends every field, chosen or not; only the API is strict."""
    response = _as(client, "procurement").get(
        "/contracts/?q=&organisation=&kind=&status=&signed_after=&signed_before=&sort=&page="
    )
    assert response.status_code == 200
    assert not response.context["form"].errors


def test_making_the_schema_leaves_the_filters_as_they_were(client, demo, schema):
    """The schema reads each filter's arguments, never builds its form field on the class (a
    ModelChoiceFilter's built without a request would offer no organisation ever after)."""
    response = _as(client, "procurement").get("/api/v1/contracts/?organisation=dius")
    assert response.status_code == 200
    assert response.json()["count"] == 2
