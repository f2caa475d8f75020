"""Query counts of the catalogue pages and API stay the same however many services, bands,
members, contract lines and snapshots there are."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.django_db

SIGNED_IN = 1  # the session with its user, their organisation and groups (one statement)
NAVIGATION = 0  # the user's groups are read with the user (accounts/signed_in.py)
VERSION = 1  # the catalogue version, which keys the cached list (catalogue/caching.py)
# The service page's change history, shown to procurement and Cabinet Office (core/history.py):
# the service's events, the events before them (old values), its bands' events. Recorded on
# PostgreSQL only.
HISTORY = 3 if "postgresql" in settings.DATABASES["default"]["ENGINE"] else 0

PAGES = [
    # the version; services (when not cached yet)
    ("/catalogue/", SIGNED_IN + VERSION + 1 + NAVIGATION),
    # services: a search is not cached
    ("/catalogue/?q=service&category=infrastructure", SIGNED_IN + 1 + NAVIGATION),
    # the service; its bands; how many snapshots; the newest snapshots with who caused them
    ("/catalogue/desktop/", SIGNED_IN + 4 + NAVIGATION + HISTORY),
    ("/catalogue/wireless/", SIGNED_IN + 4 + NAVIGATION + HISTORY),
    # the service and bands; every snapshot with who caused it (streamed), no navigation
    ("/catalogue/desktop/price-history.csv", SIGNED_IN + 3),
    # services; the version; members per service, by kind and size, the largest, savings
    # totals (cached per version); how many members; a page of them; their seats; how many
    # core snapshots; the newest; decided applications' lead times (tests/framework: each role)
    ("/framework/", SIGNED_IN + 12 + NAVIGATION),
    # services; their bands
    ("/quote/?seats_desktop=10&seats_wireless=5&term_years=2", SIGNED_IN + 2 + NAVIGATION),
]

API = [
    # the version; services; their bands (when not cached yet: the cached list is paged in
    # memory, so no count)
    ("/api/v1/services/", SIGNED_IN + VERSION + 2),
    # count; services; their bands: a filtered list is not cached
    ("/api/v1/services/?kind=extra", SIGNED_IN + 3),
    # the service; its bands
    ("/api/v1/services/wireless/", SIGNED_IN + 2),
    # the service; count; the page of snapshots
    ("/api/v1/services/desktop/price-history/", SIGNED_IN + 3),
]


@pytest.mark.parametrize(("url", "queries"), PAGES + API)
def test_queries_do_not_grow_with_the_data(
    client, demo_user, grow, django_assert_num_queries, url, queries
):
    client.force_login(demo_user("procurement"))
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(12)  # 12 more services with 3 bands, a member using all of them, 12 snapshots each
    # grow() writes with factories, past catalogue_changed(): empty the cache by hand.
    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


CACHED = [
    # the version (the user's groups for the navigation come with the user)
    ("/catalogue/", SIGNED_IN + VERSION + NAVIGATION),
    # the version
    ("/api/v1/services/", SIGNED_IN + VERSION),
    ("/api/v1/services/?page=1", SIGNED_IN + VERSION),
]


@pytest.mark.parametrize(("url", "queries"), CACHED)
def test_a_cached_catalogue_reads_only_its_version(
    client, demo_user, django_assert_num_queries, url, queries
):
    client.force_login(demo_user("procurement"))
    first = client.get(url)
    with django_assert_num_queries(queries):
        second = client.get(url)
    assert second.status_code == 200
    if "api" in url:
        assert second.json() == first.json()


def test_cio_quote_page_reads_the_organisation_once(client, demo_user, django_assert_num_queries):
    client.force_login(demo_user("cio-agency"))
    url = "/quote/?seats_desktop=2000&term_years=5"
    # the session with its user, organisation and groups (one statement); services; bands
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
