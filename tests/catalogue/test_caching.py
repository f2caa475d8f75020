"""Cached catalogue responses (catalogue/caching.py): every write is seen by the next request,
and nothing of one user's page is shown to another."""

from __future__ import annotations

import os
import re
import socket
from decimal import Decimal

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import override_settings

from catalogue import pricing, services
from catalogue.caching import catalogue_changed, catalogue_version
from catalogue.models import CatalogueVersion, Service
from core.formatting import money
from repricing import services as repricing_services
from repricing.services import framework_reprice
from tests import factories

pytestmark = pytest.mark.django_db

SERVICES_API = "/api/v1/services/"
CATALOGUE = "/catalogue/"


def api_service(client, slug: str) -> dict:
    return next(s for s in client.get(SERVICES_API).json()["results"] if s["slug"] == slug)


@pytest.fixture
def signed_in(client, demo_user):
    client.force_login(demo_user("procurement"))
    return client


def test_a_repricing_shows_the_new_price_at_once(signed_in):
    before = api_service(signed_in, "desktop")["current_unit_price"]
    assert money(Decimal(before)) in signed_in.get(CATALOGUE).content.decode()

    contract = factories.ContractFactory(organisation=factories.OrganisationFactory(member=True))
    factories.ContractLineFactory(
        contract=contract, service=Service.objects.get(slug="desktop"), seats=3000
    )
    framework_reprice(force=True)

    after = Service.objects.get(slug="desktop").current_unit_price
    assert after < Decimal(before)
    assert api_service(signed_in, "desktop")["current_unit_price"] == str(after)
    page = signed_in.get(CATALOGUE).content.decode()
    assert money(after) in page and money(Decimal(before)) not in page


def test_a_scheme_change_shows_at_once_and_its_price_after_repricing(signed_in):
    assert api_service(signed_in, "wireless")["pricing"]["scheme"] != "flat"
    signed_in.get(CATALOGUE)

    repricing_services.service_scheme_change(
        service=Service.objects.get(slug="wireless"),
        scheme=pricing.FlatScheme(unit_price_value=Decimal("12.34")),
    )
    assert api_service(signed_in, "wireless")["pricing"] == {
        "scheme": "flat",
        "unit_price": "12.34",
    }
    framework_reprice()  # the repricing the scheme change asked for
    assert api_service(signed_in, "wireless")["current_unit_price"] == "12.34"
    assert "£12.34" in signed_in.get(CATALOGUE).content.decode()


def test_a_details_change_shows_at_once(signed_in):
    signed_in.get(SERVICES_API)
    signed_in.get(CATALOGUE)
    wireless = Service.objects.get(slug="wireless")
    services.service_update_details(
        service=wireless,
        name="Office wi-fi",
        kind=wireless.kind,
        category=wireless.category,
        description=wireless.description,
        included=wireless.included,
        active=True,
    )
    assert api_service(signed_in, "wireless")["name"] == "Office wi-fi"
    assert "Office wi-fi" in signed_in.get(CATALOGUE).content.decode()


def csrf_tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


@pytest.mark.parametrize("url", [CATALOGUE, "/quote/?seats_desktop=2000&term_years=5"])
def test_get_forms_put_no_csrf_token_in_a_bookmarkable_address(client, demo_user, url):
    client.force_login(demo_user("cio-agency"))
    page = client.get(url).content.decode()
    get_forms = re.findall(r'<form method="get".*?</form>', page, re.S)
    assert get_forms
    assert not any("csrfmiddlewaretoken" in form for form in get_forms)
    assert len(csrf_tokens(page)) == 1  # the sign-out form's


@pytest.mark.parametrize("first", ["approver", "cio-dius"])
def test_each_user_sees_their_own_header_link_and_csrf_token(client, demo_user, first):
    second = {"approver": "cio-dius", "cio-dius": "approver"}[first]
    pages = {}
    for username in (first, second):
        client.force_login(demo_user(username))
        pages[username] = client.get(CATALOGUE).content.decode()
        # The sign-out form carries this user's token; the search form (a GET) none.
        tokens = csrf_tokens(pages[username])
        assert len(tokens) == 1
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(tokens.pop()) == secret
        client.logout()

    cio, approver = pages["cio-dius"], pages["approver"]
    assert "Signed in as <strong>cio-dius</strong>" in cio
    assert "Signed in as <strong>approver</strong>" in approver
    assert ">Get a quote<" in cio and ">Get a quote<" not in approver
    # Only Cabinet Office staff with a staff account are offered the admin site.
    assert ("Manage services and pricing schemes" in approver) == demo_user("approver").is_staff
    assert "Manage services and pricing schemes" not in cio


def test_the_cached_catalogue_still_needs_sign_in(client, demo_user, api_client):
    client.force_login(demo_user("procurement"))
    assert client.get(CATALOGUE).status_code == 200
    assert client.get(SERVICES_API).status_code == 200
    client.logout()
    assert client.get(CATALOGUE).status_code == 302
    assert api_client.get(SERVICES_API).status_code == 401


def _redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "flexportal-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.redis
def test_with_the_real_redis_a_repricing_is_seen_by_the_next_request(signed_in):
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ["REDIS_URL"]
    location = broker.rsplit("/", 1)[0] + "/14"  # a database of its own, emptied here
    with override_settings(CACHES=_redis_cache(location)):
        cache.clear()
        before = api_service(signed_in, "desktop")["current_unit_price"]
        assert any(b"catalogue:" in key for key in redis.Redis.from_url(location).scan_iter())
        assert api_service(signed_in, "desktop")["current_unit_price"] == before

        contract = factories.ContractFactory(
            organisation=factories.OrganisationFactory(member=True)
        )
        factories.ContractLineFactory(
            contract=contract, service=Service.objects.get(slug="desktop"), seats=3000
        )
        framework_reprice(force=True)

        after = api_service(signed_in, "desktop")["current_unit_price"]
        assert Decimal(after) < Decimal(before)
        assert after == str(Service.objects.get(slug="desktop").current_unit_price)
        cache.clear()


def test_a_cache_that_cannot_be_reached_costs_speed_not_the_page(signed_in, caplog):
    with override_settings(CACHES=_redis_cache(f"redis://127.0.0.1:{_closed_port()}/0")):
        page = signed_in.get(CATALOGUE)
        services_ = signed_in.get(SERVICES_API)
    assert page.status_code == 200 and 'href="/catalogue/desktop/"' in page.content.decode()
    assert services_.status_code == 200 and services_.json()["count"] >= 1
    assert "catalogue cache unreachable" in caplog.text


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_change_raises_the_version_with_one_statement_even_without_its_row(
    django_assert_num_queries,
):
    CatalogueVersion.objects.all().delete()  # as a test that empties the tables leaves it
    assert catalogue_version() == 0
    with django_assert_num_queries(1):
        catalogue_changed()
    with django_assert_num_queries(1):
        catalogue_changed()
    assert catalogue_version() == 2
