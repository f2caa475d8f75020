"""The session, user and token reads of every signed-in request, in plain SQL
(accounts/signed_in.py, accounts/sessions.py): the same objects the ORM gives, one query each,
and nothing odd in a cookie or a header reaches the database as an error.

(Sign-out, password change and deactivation ending a session or token on the next request are
proved in test_tokens.py, through this same store and backend.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts import permissions, signed_in
from accounts.models import ApiToken, Role, User
from accounts.services import api_token_issue
from accounts.sessions import SessionStore
from tests import factories

pytestmark = pytest.mark.django_db
CATALOGUE = "/catalogue/"


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_is_read_with_their_organisation_and_roles_in_one_query(
    django_assert_num_queries,
):
    user = factories.ApproverFactory()
    user.groups.add(factories.CIOFactory().groups.get())  # two roles

    with django_assert_num_queries(1):
        read = signed_in.user_with_roles(user.pk)
        assert read.organisation.name == user.organisation.name
        assert sorted(permissions.role_names(read)) == sorted([Role.CIO.label, Role.APPROVER.label])

    expected = User.objects.select_related("organisation").get(pk=user.pk)
    assert _fields(read) == _fields(expected)
    assert _fields(read.organisation) == _fields(expected.organisation)
    assert model_to_dict(read.organisation) == model_to_dict(expected.organisation)
    assert read._state.adding is False and read._state.db == "default"


def test_a_user_without_organisation_or_roles_reads_as_none_and_no_roles():
    user = factories.UserFactory(organisation=None)
    read = signed_in.user_with_roles(user.pk)
    assert read.organisation is None
    assert permissions.role_names(read) == []


@pytest.mark.parametrize("user_id", [None, "", "abc", "1\x00", "99999999"])
def test_a_session_naming_no_user_reads_nobody(user_id):
    assert signed_in.user_with_roles(user_id) is None


def _cookie(client, key: str) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = key


@pytest.mark.parametrize(
    "key",
    ["nul\x00" + "a" * 28, "A" * 32, "x" * 300, "short", "a" * 31 + "'", "é" * 32],
)
def test_an_odd_session_cookie_is_no_session_not_an_error(client, key):
    _cookie(client, key)
    response = client.get(CATALOGUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_expired_session_is_no_session(client):
    user = factories.CIOFactory()
    client.force_login(user)
    assert client.get(CATALOGUE).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(CATALOGUE).status_code == 302


def test_the_store_loads_what_djangos_own_store_saved():
    store = SessionStore()
    store["answer"] = {"nested": [1, "two"]}
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": {"nested": [1, "two"]}}
    missing = SessionStore("a" * 32)
    assert missing.load() == {}
    assert missing.session_key is None


def test_a_token_is_read_with_its_user_organisation_and_roles_in_one_query(
    django_assert_num_queries,
):
    user = factories.CIOFactory()
    token, _key = api_token_issue(user=user)
    with django_assert_num_queries(1):
        [read] = signed_in.tokens_with_users(token.token_key)
        assert permissions.is_cio(read.user)
        assert read.user.organisation.name == user.organisation.name
    assert _fields(read) == _fields(ApiToken.objects.get(pk=token.pk))
    assert _fields(read.user) == _fields(user)
    assert signed_in.tokens_with_users("nothing") == []


def test_a_signed_in_page_reads_session_and_user_once_each(client, django_assert_num_queries):
    """Two reads sign the request in; the navigation's roles come with the user."""
    user = factories.ProcurementOfficerFactory()
    client.force_login(user)
    client.get(CATALOGUE)  # warm the catalogue cache
    with django_assert_num_queries(3) as captured:  # session, user, catalogue version
        assert client.get(CATALOGUE).status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    assert sqls[0].startswith("SELECT session_data FROM")
    assert "auth_group" in sqls[1] and "organisations_organisation" in sqls[1]
    assert not any("auth_group" in sql for sql in sqls[2:])
