"""Fuzz the whole API from its own OpenAPI schema with schemathesis, as each role.

Every generated request must get an answer that is not a server error and that matches the
schema: documented status code, content type and body.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from flexportal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

ROLES = ("cio-dius", "cio-agency", "approver", "procurement")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
def tokens(demo) -> dict[str, str]:
    from accounts.models import User

    return {
        user.username: Token.objects.get_or_create(user=user)[0].key
        for user in User.objects.filter(username__in=ROLES)
    }


@pytest.mark.django_db
@schema.exclude(path_regex=r"/auth/token/$").parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("role", ROLES)
def test_api_answers_every_role_within_its_schema(case, role, tokens):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS)
