"""The HTTP benchmark's ceilings (bench/urls.py) answer exactly as the endpoints they stand
for, yet read nothing once warmed: so their figures are what no cache could improve on."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bench import urls as bench_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


@pytest.fixture(autouse=True)
def _forget_what_the_ceilings_read():
    """Each test has its own database: the ceilings must read it afresh."""
    yield
    bench_urls._ceiling_user.cache_clear()
    bench_urls._ceiling_catalogue_content.cache_clear()
    bench_urls.ServicesCeilingApi.serialized = None


def test_the_catalogue_ceiling_is_the_cios_page_and_reads_nothing_once_warm(
    client, demo_user, django_assert_num_queries
):
    client.force_login(demo_user(bench_urls.CEILING_USER))
    page = client.get("/catalogue/")
    nobody = Client()
    nobody.get("/bench/ceiling/catalogue/")

    with django_assert_num_queries(0):
        ceiling = nobody.get("/bench/ceiling/catalogue/")

    assert ceiling.status_code == page.status_code == 200
    assert CSRF_INPUT.search(ceiling.content.decode())  # it pays for its token as the page does
    assert CSRF_INPUT.sub("", ceiling.content.decode()) == CSRF_INPUT.sub("", page.content.decode())


def test_the_services_ceiling_is_the_services_list_and_reads_nothing_once_warm(
    client, demo_user, django_assert_num_queries
):
    client.force_login(demo_user(bench_urls.CEILING_USER))
    listed = client.get("/api/v1/services/")
    nobody = Client()
    nobody.get("/bench/ceiling/services/")

    with django_assert_num_queries(0):
        ceiling = nobody.get("/bench/ceiling/services/")

    assert ceiling.status_code == listed.status_code == 200
    assert ceiling.json() == listed.json()
    assert ceiling.json()["count"] >= 7
