"""API tokens expire, can be revoked, and stop working at once when the password changes or
the account is deactivated; sessions end on sign-out, password change and deactivation.

Every token here is got as a client gets one, from POST /api/v1/auth/token/.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
TOKEN = "/api/v1/auth/token/"
SERVICES = "/api/v1/services/"


def sign_in(client, user) -> str:
    client.credentials()
    response = client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(client, key: str, path: str = SERVICES) -> int:
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(path).status_code


@pytest.fixture
def user(db):
    return factories.ProcurementOfficerFactory()


def test_a_token_says_when_it_expires_and_stops_working_then(api_client, user, settings):
    response = api_client.post(
        TOKEN, {"username": user.username, "password": PASSWORD}, format="json"
    )
    expiry = dt.datetime.fromisoformat(response.json()["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs(expiry - (timezone.now() + ttl)) < dt.timedelta(minutes=1)
    key = response.json()["token"]

    with time_machine.travel(expiry - dt.timedelta(minutes=1)):
        assert status_with(api_client, key) == 200
    with time_machine.travel(expiry + dt.timedelta(seconds=1)):
        assert status_with(api_client, key) == 401


def test_a_password_change_makes_existing_tokens_fail_at_once(api_client, user):
    key = sign_in(api_client, user)
    assert status_with(api_client, key) == 200

    user.set_password("a-new-long-passphrase")
    user.save()

    assert status_with(api_client, key) == 401
    # Signing in with the new password works, and so does its token.
    user.set_password(PASSWORD)  # sign_in uses PASSWORD
    user.save()
    assert status_with(api_client, sign_in(api_client, user)) == 200


def test_setting_the_same_password_again_still_revokes_the_tokens(api_client, user):
    key = sign_in(api_client, user)
    user.set_password(PASSWORD)
    user.save()
    assert status_with(api_client, key) == 401


def test_deactivation_makes_existing_tokens_fail_at_once(api_client, user):
    key = sign_in(api_client, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert status_with(api_client, key) == 401


def test_delete_revokes_the_callers_token_only(api_client, user):
    laptop, script = sign_in(api_client, user), sign_in(api_client, user)
    assert laptop != script

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {laptop}")
    response = api_client.delete(TOKEN)

    assert response.status_code == 204
    assert status_with(api_client, laptop) == 401
    assert status_with(api_client, script) == 200


def test_delete_without_a_token_is_401(api_client, client, user):
    assert api_client.delete(TOKEN).status_code == 401
    client.force_login(user)  # a session is not a token: there is nothing to revoke
    assert client.delete(TOKEN).status_code == 401


def test_a_stale_token_sent_along_does_not_stop_signing_in(api_client, user):
    key = sign_in(api_client, user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api_client.delete(TOKEN)
    response = api_client.post(
        TOKEN, {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_only_a_digest_of_the_key_is_stored(api_client, user):
    from accounts.models import ApiToken

    key = sign_in(api_client, user)
    [stored] = ApiToken.objects.filter(user=user)
    assert key not in (stored.digest, stored.token_key)
    assert key.startswith(stored.token_key)


def test_signing_in_again_and_again_keeps_only_the_newest_tokens(api_client, user, settings):
    settings.API_TOKENS_PER_USER = 3
    keys = [sign_in(api_client, user) for _ in range(5)]
    assert [status_with(api_client, key) for key in keys] == [401, 401, 200, 200, 200]


@pytest.mark.parametrize(
    "header",
    ["Token \x00", "Token " + "g" * 64, "Token " + "a" * 65, "Token", "Token a b", "Token ÿÿ"],
)
def test_a_malformed_token_is_401_not_an_error(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get(SERVICES).status_code == 401


def test_a_username_too_long_to_be_one_is_refused_with_400(api_client):
    response = api_client.post(TOKEN, {"username": "u" * 300, "password": "x"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()


# --- sessions -------------------------------------------------------------------------------


def _sign_out(client, user) -> None:
    client.post(reverse("logout"))


def _change_password(client, user) -> None:
    user.set_password("a-new-long-passphrase")
    user.save()


def _deactivate(client, user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.parametrize("end", [_sign_out, _change_password, _deactivate])
def test_a_session_cookie_stops_working_after(client, end):
    """Django's own rules, proved: sign-out deletes the session; the session keeps a hash of
    the password, so a new password ends it; an inactive user is never loaded."""
    user = factories.CIOFactory()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("catalogue:list")).status_code == 200

    end(client, user)

    client.cookies["sessionid"] = cookie  # the old cookie, replayed
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_revoke_a_token_in_the_admin(api_client, client, user):
    from accounts.models import ApiToken

    key = sign_in(api_client, user)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    token = ApiToken.objects.get(user=user)
    assert user.username in client.get("/admin/accounts/apitoken/").content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403

    client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert status_with(api_client, key) == 401


def test_a_token_request_reads_token_user_and_organisation_in_one_query(
    api_client, rf, django_assert_num_queries
):
    from accounts.authentication import TokenAuthentication

    cio = factories.CIOFactory()
    key = sign_in(api_client, cio)
    request = rf.get(SERVICES, HTTP_AUTHORIZATION=f"Token {key}")

    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate(request)
        assert user.organisation.name == cio.organisation.name
