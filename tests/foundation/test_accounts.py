"""Signing in: pages, tokens, throttling after repeated failures."""

import logging

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_login_page_signs_in_and_redirects_home(client):
    user = factories.CIOFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_shows_the_error_summary(client):
    user = factories.CIOFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter a correct username and password" in body
    assert "<title>Error: Sign in" in body


def test_empty_login_says_what_to_enter(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    body = response.content.decode()
    assert "Enter your username" in body and "Enter your password" in body


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    user = factories.CIOFactory()
    for _ in range(5):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_how_long_the_cool_off_is(client, settings):
    settings.AXES_COOLOFF_TIME = 1  # hours
    user = factories.CIOFactory()
    for _ in range(6):
        response = client.post(reverse("login"), {"username": user.username, "password": "x"})
    assert response.status_code == 429
    assert "Wait 60 minutes and try again." in response.content.decode()


def test_other_users_are_not_locked_by_someone_elses_failures(client):
    victim, bystander = factories.CIOFactory(), factories.CIOFactory()
    for _ in range(5):
        client.post(reverse("login"), {"username": victim.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": bystander.username, "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_a_post(client):
    client.force_login(factories.CIOFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_token_endpoint_returns_a_token_that_authenticates(api_client):
    user = factories.ProcurementOfficerFactory()
    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/services/").status_code == 200


def test_token_endpoint_rejects_bad_credentials_with_400(api_client):
    user = factories.CIOFactory()
    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_endpoint_counts_towards_the_lockout(api_client):
    user = factories.CIOFactory()
    for _ in range(5):
        api_client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json"
        )
    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed sign-in attempts. Wait 30 minutes and try again."
    }


def test_api_without_credentials_is_401(api_client):
    assert api_client.get("/api/v1/services/").status_code == 401


def test_each_request_logs_one_line_with_user_and_status_and_no_secrets(client, caplog):
    user = factories.CIOFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="flexportal.request"):
        client.get("/healthz?token=secret-value")
    [record] = [r for r in caplog.records if r.name == "flexportal.request"]
    assert record.status == 200
    assert record.user == user.username
    assert record.path == "/healthz"
    assert "secret-value" not in record.getMessage() + str(record.__dict__)


def test_a_signed_in_request_reads_the_user_and_organisation_in_one_query(
    client, rf, django_assert_num_queries
):
    user = factories.CIOFactory()
    client.force_login(user, backend="accounts.backends.OrganisationModelBackend")
    request = rf.get("/")
    request.session = client.session
    assert request.session.keys()  # read the session now: only the user is left to count

    with django_assert_num_queries(1):
        request_user = get_user(request)
        assert request_user == user
        assert request_user.organisation.name == user.organisation.name


def test_a_deactivated_user_is_signed_out_on_their_next_request(client):
    user = factories.CIOFactory()
    client.force_login(user, backend="accounts.backends.OrganisationModelBackend")
    assert client.get(reverse("catalogue:list")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
