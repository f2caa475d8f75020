"""Whole pages kept per user (core/pagecache.py): served again only while nothing they show has
changed, never across users or roles, never while a write is in progress, with the caller's own
CSRF token and CSP nonce.

Transactional tests: a request inside a test's transaction never uses the cache (its lock try
must not outlive its statement), and the in-progress writer needs a connection of its own.
"""

from __future__ import annotations

import re
import threading
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import signed_in
from accounts.models import Role, Session, User
from contracts.models import Contract
from core import pagecache
from organisations.models import Organisation
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTRACTS = "/contracts/"
# The pages kept (each view wears @cached_page), as each role that reads them.
CACHED = ["/contracts/", "/contracts/?sort=-annual_value&q=a", "/framework/", "/applications/"]
# What the key covers instead of a trigger: the session and the user's roles.
NOT_TRIGGERED = {"accounts_session", "auth_group", "accounts_user_groups"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def officer():
    user = factories.ProcurementOfficerFactory(username="olive-officer")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _contract(name: str = "Agency for Tests") -> Contract:
    line = factories.ContractLineFactory(contract__organisation__name=name)
    return line.contract


def _state(response) -> str:
    return response.get(pagecache.HEADER, "")


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {pagecache.SEQUENCE}")
        return cursor.fetchone()[0]


def _tables(sqls: list[str]) -> set[str]:
    return {t for sql in sqls for t in re.findall(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"', sql)}


def test_a_page_is_kept_then_served_with_the_callers_own_token_and_nonce(officer):
    _contract()
    first = officer.get(CONTRACTS)
    assert (first.status_code, _state(first)) == (200, "kept")
    second = officer.get(CONTRACTS)
    assert (second.status_code, _state(second)) == (200, "hit")
    assert "Agency for Tests" in second.content.decode()

    nonce = re.search(r'nonce="([^"]+)"', second.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert nonce not in first.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode())
    assert token.group(1) not in first.content.decode()  # a fresh mask, not the kept one
    # The token works: signing out with the form of the page served from the cache.
    out = officer.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert out.status_code == 302
    assert officer.get(CONTRACTS).status_code == 302  # signed out: no page, kept or not


def test_a_hit_reads_the_session_with_its_user_and_the_version_only_at_any_size(
    officer, django_assert_num_queries
):
    for size in (2, 40):
        factories.ContractLineFactory.create_batch(size)
        assert _state(officer.get(CONTRACTS)) == "kept"
        with django_assert_num_queries(1) as captured:  # the session, its user, the version
            assert _state(officer.get(CONTRACTS)) == "hit"
        assert pagecache.VERSION_COLUMN in captured.captured_queries[0]["sql"]


def test_the_version_read_with_the_session_is_the_one_now(officer, settings):
    """The session's read carries the version as it is at that moment, as a hit needs; with
    kept pages off it carries none."""
    key = officer.cookies[settings.SESSION_COOKIE_NAME].value
    read = signed_in.session_with_user(Session, key, timezone.now())
    assert read.page_version == _version()
    _contract()  # any write moves it
    assert signed_in.session_with_user(Session, key, timezone.now()).page_version == _version()
    assert _version() > read.page_version
    settings.PAGE_CACHE = False
    assert signed_in.session_with_user(Session, key, timezone.now()).page_version is None


def test_a_hit_is_looked_up_under_the_version_its_session_read(officer):
    """A write between the session's read and the lookup: the page is looked up under the
    version read with the session (kept under it, so served), and the next request, whose
    session reads the new version, makes the page afresh."""
    assert _state(officer.get(CONTRACTS)) == "kept"
    real = signed_in.session_with_user

    def then_a_write(*args, **kwargs):
        read = real(*args, **kwargs)
        factories.OrganisationFactory()
        return read

    with mock.patch.object(signed_in, "session_with_user", then_a_write):
        assert _state(officer.get(CONTRACTS)) == "hit"
    assert _state(officer.get(CONTRACTS)) == "kept"


def test_any_write_makes_the_next_page_fresh(officer):
    contract = _contract()
    assert _state(officer.get(CONTRACTS)) == "kept"
    Organisation.objects.filter(pk=contract.organisation_id).update(name="Renamed Body")
    fresh = officer.get(CONTRACTS)
    assert _state(fresh) == "kept"
    assert "Renamed Body" in fresh.content.decode()
    # A set-based statement outside the ORM moves it too (the repricing's kind of write).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organisations_organisation SET name = 'Raw Body'")
    assert "Raw Body" in officer.get(CONTRACTS).content.decode()


@pytest.mark.parametrize("path", CACHED)
@pytest.mark.parametrize(
    "factory",
    [factories.ProcurementOfficerFactory, factories.ApproverFactory, factories.CIOFactory],
)
def test_every_table_a_kept_page_reads_moves_the_version(path, factory):
    """Each table the page reads (as each role) has the trigger: a statement writing no row
    of it still advances the sequence. A new table a kept page starts reading fails here."""
    _contract()
    factories.SignUpApplicationFactory()
    client = Client()
    client.force_login(factory())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    tables = _tables([q["sql"] for q in captured.captured_queries]) - NOT_TRIGGERED
    assert {"contracts_contract", "organisations_organisation", "accounts_user"} & tables
    for table in sorted(tables):
        before = _version()
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE false')
        assert _version() > before, f"{table} has no pages_stale trigger"


def test_signing_in_leaves_the_kept_pages_be(officer):
    """Only what no page shows changes when someone signs in: their last sign-in."""
    _contract()
    assert _state(officer.get(CONTRACTS)) == "kept"
    before = _version()
    someone = factories.ApproverFactory()
    moved = _version()
    Client().force_login(someone)  # Django's login(): writes their last_login
    User.objects.filter(pk=someone.pk).update(password="changed")
    assert User.objects.get(pk=someone.pk).last_login is not None
    assert _version() == moved > before  # a new user moved it; signing in did not
    assert _state(officer.get(CONTRACTS)) == "kept"  # the new user's row is on no page yet
    assert _state(officer.get(CONTRACTS)) == "hit"
    User.objects.filter(pk=someone.pk).update(first_name="Renamed")
    assert _version() > moved  # a name a page may show


def test_pages_are_kept_per_user(officer):
    _contract()
    other = Client()
    other.force_login(factories.ProcurementOfficerFactory(username="peter-other"))
    assert _state(officer.get(CONTRACTS)) == "kept"
    theirs = other.get(CONTRACTS)
    assert _state(theirs) == "kept"  # not the first officer's page
    body = theirs.content.decode()
    assert "<strong>peter-other</strong>" in body and "olive-officer" not in body


def test_a_role_taken_away_is_never_answered_from_the_kept_page():
    approver = factories.ApproverFactory()
    client = Client()
    client.force_login(approver)
    _contract()
    assert _state(client.get("/applications/")) == "kept"
    # Straight in the membership table: no trigger there, the key holds the roles.
    approver.groups.remove(approver.groups.get(name=Role.APPROVER.value))
    approver.groups.add(factories.CIOFactory().groups.get())
    User.objects.filter(pk=approver.pk).update(organisation=None)
    response = client.get("/applications/")
    assert response.status_code == 403
    assert _state(response) == ""


def test_a_page_read_while_a_write_is_in_progress_is_not_kept(officer):
    contract = _contract("Before Body")
    written, release, done = threading.Event(), threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=contract.organisation_id).update(name="After Body")
                written.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    try:
        during = officer.get(CONTRACTS)
        assert _state(during) == "not kept"
        assert "Before Body" in during.content.decode()
        assert _state(officer.get(CONTRACTS)) == "not kept"  # nothing kept to serve
    finally:
        release.set()
        thread.join(10)
    assert done.is_set()
    after = officer.get(CONTRACTS)
    assert _state(after) == "kept" and "After Body" in after.content.decode()
    assert _state(officer.get(CONTRACTS)) == "hit"


def test_a_page_with_a_message_to_show_is_neither_served_nor_kept(officer, rf):
    _contract()
    assert _state(officer.get(CONTRACTS)) == "kept"
    storage = CookieStorage(rf.get("/"))
    officer.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Job done")])
    response = officer.get(CONTRACTS)
    assert _state(response) == ""
    assert "Job done" in response.content.decode()
    assert _state(officer.get(CONTRACTS)) == "hit"  # the message was shown once


def test_off_when_the_setting_is_off(officer, settings):
    settings.PAGE_CACHE = False
    _contract()
    assert _state(officer.get(CONTRACTS)) == ""
    assert _state(officer.get(CONTRACTS)) == ""
