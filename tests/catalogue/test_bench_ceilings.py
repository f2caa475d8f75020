"""The HTTP benchmark's ceilings (bench/urls.py) answer exactly as the endpoints they stand
for, yet read nothing once warmed: so their figures are what no cache could improve on."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bench import urls as bench_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')
# Each response's own Content-Security-Policy nonce (core/headers.py), like its token.
CSP_NONCE = re.compile(r' nonce="[^"]*"')


@pytest.fixture(autouse=True)
def _forget_what_the_ceilings_read():
    """Each test has its own database: the ceilings must read it afresh."""
    yield
    bench_urls._ceiling_user.cache_clear()
    bench_urls._ceiling_catalogue_content.cache_clear()
    bench_urls.ServicesCeilingApi.serialized = None
    bench_urls._bench_user.cache_clear()
    bench_urls.kept_pages.clear()


def _page_but_its_csrf_token(response) -> str:
    html = response.content.decode()
    assert CSRF_INPUT.search(html)  # the ceiling pays for its token as the page does
    return CSP_NONCE.sub("", CSRF_INPUT.sub("", html))


def _json(response) -> dict:
    return response.json()


@pytest.mark.parametrize(
    ("endpoint", "ceiling_url", "answer"),
    [
        ("/catalogue/", "/bench/ceiling/catalogue/", _page_but_its_csrf_token),
        ("/api/v1/services/", "/bench/ceiling/services/", _json),
    ],
)
def test_a_ceiling_answers_as_its_endpoint_and_reads_nothing_once_warm(
    client, demo_user, django_assert_num_queries, endpoint, ceiling_url, answer
):
    client.force_login(demo_user(bench_urls.CEILING_USER))
    real = client.get(endpoint)
    nobody = Client()
    nobody.get(ceiling_url)

    with django_assert_num_queries(0):
        ceiling = nobody.get(ceiling_url)

    assert ceiling.status_code == real.status_code == 200
    assert answer(ceiling) == answer(real)
    assert "Standard desktop" in ceiling.content.decode()


@pytest.mark.parametrize("name", sorted(bench_urls.SCALE_PAGES))
def test_a_page_ceiling_serves_the_users_page_as_a_hit_would_and_reads_nothing(
    client, demo_user, django_assert_num_queries, name
):
    """As the page cache serves a hit: the user's page, with a token and a nonce of its own
    each time (the nonce the one its Content-Security-Policy allows), reading nothing."""
    path, username = bench_urls.SCALE_PAGES[name]
    client.force_login(demo_user(username))
    real = client.get(path)
    browser = Client()
    first = browser.get(f"/bench/ceiling/{name}/")
    with django_assert_num_queries(0):
        ceiling = browser.get(f"/bench/ceiling/{name}/")

    assert ceiling.status_code == real.status_code == 200
    assert _page_but_its_csrf_token(ceiling) == _page_but_its_csrf_token(real)
    tokens = [CSRF_INPUT.search(r.content.decode()).group(0) for r in (first, ceiling)]
    assert tokens[0] != tokens[1]
    first_nonce, nonce = (CSP_NONCE.search(r.content.decode()).group(0) for r in (first, ceiling))
    assert first_nonce != nonce
    assert f"'nonce-{nonce.split(chr(34))[1]}'" in ceiling["Content-Security-Policy"]
