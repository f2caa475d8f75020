"""Fuzz the whole API from its own OpenAPI schema with schemathesis, as every role and signed
out, with every check schemathesis has.

Every generated request must get an answer that is not a server error and that matches the
schema (documented status code, content type, headers and body); data the schema allows must
not be refused as invalid, data it does not allow must be; and an operation that needs
credentials must refuse a request without them. CI runs this on PostgreSQL, which refuses text
(a NUL byte) that SQLite takes.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from flexportal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

ANONYMOUS = "anonymous"
# One of each kind of caller: nobody, a member's CIO, a prospective applicant's CIO, an approver,
# a procurement officer (ONS's CIO and the superuser behave as DIUS's CIO and the approver do).
ROLES = (ANONYMOUS, "cio-dius", "cio-agency", "approver", "procurement")

# Operations that refuse some schema-valid requests (400) by rules no OpenAPI schema can state:
# the request names records that must exist and be the caller's to use, or its values must
# agree with each other and with those records. Everywhere else, a schema-valid request that is
# refused fails the run; and every refusal must still be a documented 400 field error.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/auth/token/": "the username and password must be a user's",
    "POST /api/v1/quotes/": "each line names a service on offer, once",
    "POST /api/v1/applications/": (
        "services on offer, once each; predecessors the caller may see; a start ahead; seats "
        "that fit the organisation"
    ),
    "POST /api/v1/rollouts/": (
        "a contract the caller may see with no plan yet, a template that exists, waves within "
        "the contract's term and seats"
    ),
    "PATCH /api/v1/rollouts/{id}/waves/{wave_pk}/": (
        "dates in order and within the contract's term, seats within the contract's"
    ),
    "GET /api/v1/contracts/": (
        "an organisation with contracts the caller may see; signed_after not after signed_before"
    ),
    "GET /api/v1/contracts/export.csv": "as GET /api/v1/contracts/",
    "GET /api/v1/contracts/export.xlsx": "as GET /api/v1/contracts/",
}


def positive_data_acceptance_but_rules_beyond_the_schema(ctx, response, case):
    """schemathesis's positive_data_acceptance, but for a 400 from RULES_BEYOND_THE_SCHEMA."""
    if response.status_code == 400 and case.operation.label in RULES_BEYOND_THE_SCHEMA:
        return None
    return positive_data_acceptance(ctx, response, case)


load_all_checks()
ALL_CHECKS = [
    positive_data_acceptance_but_rules_beyond_the_schema
    if check is positive_data_acceptance
    else check
    for check in CHECKS.get_all()
]


def test_every_check_is_on():
    names = {check.__name__ for check in ALL_CHECKS}
    assert {"not_a_server_error", "negative_data_rejection", "ignored_auth"} <= names
    assert "positive_data_acceptance_but_rules_beyond_the_schema" in names
    assert len(names) == len(CHECKS.get_all()) >= 14


def test_the_rules_beyond_the_schema_name_real_operations():
    labels = {operation.ok().label for operation in schema.get_all_operations()}
    assert set(RULES_BEYOND_THE_SCHEMA) <= labels


@pytest.fixture(autouse=True)
def _keep_test_connection_open():
    """As Django's test client does: a request must not close the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(demo, role) -> dict[str, str]:
    if role == ANONYMOUS:
        return {}
    from accounts.models import User
    from accounts.services import api_token_issue

    _, key = api_token_issue(user=User.objects.get(username=role))
    return {"Authorization": f"Token {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("role", ROLES)
def test_api_answers_every_role_within_its_schema(case, role, headers):
    case.call_and_validate(headers=headers, checks=ALL_CHECKS)
