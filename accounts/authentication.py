"""API token authentication: django-rest-knox tokens that expire, can be revoked, and die with
the password they were issued under.

Why knox: it is the maintained DRF token library that stores only a digest of each key (a
database leak gives no usable token), gives every token an expiry (REST_KNOX["TOKEN_TTL"]) and
lets a user hold one token per client, so revoking one (DELETE /api/v1/auth/token/) leaves the
others working. DRF's own authtoken has none of that: one plain-text key per user, forever.

Why a password fingerprint, and not a signal: a token must stop working the moment the
password changes, however it changes (the admin, `changepassword`, a reset), and the project
has no signals. So each token stores, when it is issued, a fingerprint of the user's password
hash (an HMAC keyed with SECRET_KEY, as Django's session auth hash is, under a salt of its own),
and every request compares it with the fingerprint of the password hash now in the database.
Any new password (even the same one typed again: the hash is salted afresh) changes it, so
existing tokens fail at once, with nothing to remember to call. A password-changed timestamp
would need a new user column that every password-setting path must keep up to date; the
fingerprint needs nothing but the password itself. Deactivation is checked on every request
too (knox's `validate_user`). Rotating SECRET_KEY with the old key in SECRET_KEY_FALLBACKS keeps
tokens working, as it keeps sessions.

Nothing is cached in the worker: every request reads the token and its user (one query, with
the user's organisation and roles, as the session backend does: accounts/signed_in.py).

Signing out of a session (accounts' logout page) ends that session only and does not touch
API tokens: a token is a separate credential held by a script or client, revoked by that client
(DELETE), by a password change or by deactivation.
"""

from __future__ import annotations

import hmac
import re

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from . import signed_in
from .models import ApiToken, User

FINGERPRINT_SALT = "accounts.authentication.password_fingerprint"
INVALID = "Invalid token."
# Knox keys are hex strings of AUTH_TOKEN_CHARACTER_LENGTH characters; anything else is refused
# before it reaches the database (which refuses some text, such as NUL bytes, with an error).
_KEY = re.compile(rf"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}")


def password_fingerprint(user: User, *, secret: str | None = None) -> str:
    """A fingerprint of the user's current password hash, keyed with SECRET_KEY (or `secret`)."""
    return salted_hmac(
        FINGERPRINT_SALT, user.password, secret=secret, algorithm="sha256"
    ).hexdigest()


def password_unchanged(user: User, fingerprint: str) -> bool:
    """Whether `fingerprint` was taken of the password the user has now (under SECRET_KEY or
    one of SECRET_KEY_FALLBACKS)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        hmac.compare_digest(password_fingerprint(user, secret=secret), fingerprint)
        for secret in secrets
    )


class TokenAuthentication(knox_auth.TokenAuthentication):
    """`Authorization: Token <key>`: knox's check, plus the password fingerprint, in one query."""

    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        if not _KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(INVALID)
        digest = hash_token(key)
        candidates = signed_in.tokens_with_users(key[: CONSTANTS.TOKEN_KEY_LENGTH])
        found = next((t for t in candidates if hmac.compare_digest(digest, t.digest)), None)
        if found is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if found.expiry is not None and found.expiry <= timezone.now():
            found.delete()
            raise exceptions.AuthenticationFailed("Token has expired: sign in again.")
        return self.validate_user(found)

    def validate_user(self, auth_token: ApiToken):
        user = auth_token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if not password_unchanged(user, auth_token.password_fingerprint):
            auth_token.delete()  # it can never work again
            raise exceptions.AuthenticationFailed(
                "The password has changed since this token was issued: sign in again."
            )
        return user, auth_token


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's name and shape for it, as for DRF's token authentication before it."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
