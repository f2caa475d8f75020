"""Password spraying: a few guesses at one account from each of many addresses lock the account
(ACCOUNT_LOCKOUT_FAILURE_LIMIT, 20), while one address keeps its own lower limit (5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def attempt(client, username: str, password: str, address: str, **headers) -> int:
    response = client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    return response.status_code


def spray(client, username: str, *, addresses: range, guesses: int = 4) -> None:
    """Wrong guesses; the one that reaches a limit is itself answered with the lockout."""
    for n in addresses:
        for _ in range(guesses):
            assert attempt(client, username, "Winter2026!", f"198.51.100.{n}") in (200, 429)


def test_four_guesses_from_each_of_five_addresses_lock_the_account(client):
    user = factories.CIOFactory()

    spray(client, user.username, addresses=range(5))  # 20 failures, never 5 from one address

    assert attempt(client, user.username, PASSWORD, "203.0.113.9") == 429
    assert "_auth_user_id" not in client.session


def test_one_failure_short_of_the_account_limit_still_signs_in(client):
    user = factories.CIOFactory()
    spray(client, user.username, addresses=range(4))
    spray(client, user.username, addresses=range(4, 5), guesses=3)  # 19

    assert attempt(client, user.username, PASSWORD, "203.0.113.9") == 302


def test_spraying_one_account_does_not_lock_another(client):
    victim, bystander = factories.CIOFactory(), factories.CIOFactory()
    spray(client, victim.username, addresses=range(5))
    assert attempt(client, bystander.username, PASSWORD, "198.51.100.1") == 302


def test_signing_in_forgives_only_the_failures_from_that_address(client):
    user = factories.CIOFactory()
    spray(client, user.username, addresses=range(4))  # 16 from elsewhere
    assert attempt(client, user.username, PASSWORD, "203.0.113.9") == 302
    client.post(reverse("logout"))

    spray(client, user.username, addresses=range(10, 11))  # 4 more: 20 in all

    assert attempt(client, user.username, PASSWORD, "203.0.113.9") == 429


def test_a_forged_forwarded_for_header_does_not_give_each_guess_a_new_address(client):
    user = factories.CIOFactory()
    for n in range(5):
        attempt(client, user.username, "x", "192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    assert attempt(client, user.username, PASSWORD, "192.0.2.1") == 429
