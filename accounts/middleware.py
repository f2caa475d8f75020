"""Django's AuthenticationMiddleware, taking the user the session read with itself
(accounts/sessions.py) instead of reading them again: one query for both on each request.

Django's own `get_user` still decides who is signed in (the backend named in the session, the
session's auth hash against the user's password, the backend refusing an inactive user); only
the backend's read of the user is answered from the session's statement (accounts.backends).
"""

from __future__ import annotations

from functools import partial

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.utils.functional import SimpleLazyObject

from . import signed_in


def _signed_in_user(request):
    with signed_in.users_read_with(request.session):
        return auth.get_user(request)


class AuthenticationMiddleware(DjangoAuthentication):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(partial(_signed_in_user, request))
