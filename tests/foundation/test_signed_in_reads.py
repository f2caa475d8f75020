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
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts import permissions, signed_in
from accounts.models import ApiToken, Role, Session, User
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


def test_a_signed_in_page_reads_session_and_user_in_one_statement(
    client, django_assert_num_queries
):
    """One read signs the request in; the navigation's roles come with the user."""
    user = factories.ProcurementOfficerFactory()
    client.force_login(user)
    client.get(CATALOGUE)  # warm the catalogue cache
    with django_assert_num_queries(2) as captured:  # session with user, catalogue version
        assert client.get(CATALOGUE).status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    assert 'FROM "accounts_session" s LEFT JOIN "accounts_user" u' in sqls[0]
    assert "auth_group" in sqls[0] and "organisations_organisation" in sqls[0]
    assert not any("auth_group" in sql for sql in sqls[1:])


def _request_signed_in_as(client, rf):
    """A request carrying `client`'s session cookie, through the session and authentication
    middleware as the portal runs them; request.user not yet read."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from accounts.middleware import AuthenticationMiddleware

    request = rf.get(CATALOGUE)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def test_the_session_and_its_user_are_read_in_one_query(client, rf, django_assert_num_queries):
    user = factories.ApproverFactory()
    client.force_login(user)
    request = _request_signed_in_as(client, rf)

    with django_assert_num_queries(1):
        assert request.user.pk == user.pk
        assert permissions.role_names(request.user) == [Role.APPROVER.label]
        assert request.user.organisation.name == user.organisation.name
    expected = User.objects.select_related("organisation").get(pk=user.pk)
    assert _fields(request.user) == _fields(expected)
    assert _fields(request.user.organisation) == _fields(expected.organisation)


def test_the_session_row_names_its_user_from_sign_in_until_sign_out(client):
    user = factories.CIOFactory()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == user.pk

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(user=user).exists()


def test_a_session_naming_nobody_loads_its_data_and_signs_nobody_in(rf, django_assert_num_queries):
    from django.contrib.sessions.middleware import SessionMiddleware

    from accounts.middleware import AuthenticationMiddleware

    store = SessionStore()
    store["journey"] = {"seats": 20}
    store.save()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    request = rf.get(CATALOGUE)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = store.session_key
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)

    with django_assert_num_queries(1):
        assert request.user.is_anonymous
        assert request.session["journey"] == {"seats": 20}


def test_the_user_is_the_one_the_session_data_names_not_its_column(client, rf):
    """Were the column ever to disagree with the session's own data, the data decides, and the
    other user is read (and checked) as Django always did."""
    named, other = factories.CIOFactory(), factories.ApproverFactory()
    client.force_login(named)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(user=other)

    request = _request_signed_in_as(client, rf)

    assert request.user.pk == named.pk


def test_a_deactivated_user_read_with_their_session_is_signed_out(client, rf):
    user = factories.CIOFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert _request_signed_in_as(client, rf).user.is_anonymous
    assert client.get(CATALOGUE).status_code == 302


def test_a_changed_password_ends_a_session_read_with_its_user(client, rf):
    user = factories.CIOFactory()
    client.force_login(user)
    user.set_password("another long passphrase 456")
    user.save()

    assert _request_signed_in_as(client, rf).user.is_anonymous


def test_the_user_read_with_a_session_is_never_handed_out_after_it(client, rf):
    user = factories.CIOFactory()
    client.force_login(user)
    request = _request_signed_in_as(client, rf)
    assert request.user.pk == user.pk

    assert signed_in.user_read_with_session(user.pk) is None


def test_expired_sessions_are_cleared_by_the_daily_task(client):
    from accounts.tasks import clear_expired_sessions

    live, expired = factories.CIOFactory(), factories.CIOFactory()
    client.force_login(expired)
    Session.objects.filter(user=expired).update(expire_date=timezone.now() - dt.timedelta(days=1))
    client.force_login(live)

    assert clear_expired_sessions.delay().get(timeout=10) == 1
    assert list(Session.objects.values_list("user", flat=True)) == [live.pk]
    assert "accounts.tasks.clear_expired_sessions" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_deleting_a_user_ends_their_sessions(client):
    user = factories.CIOFactory()
    client.force_login(user)
    assert Session.objects.filter(user=user).exists()

    User.objects.filter(pk=user.pk).delete()

    assert not Session.objects.filter(user_id=user.pk).exists()
    assert client.get(CATALOGUE).status_code == 302
