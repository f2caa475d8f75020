"""Writes to accounts: the role groups and users made by loaders (people are otherwise added by
Cabinet Office staff in the admin), a CIO's move to the organisation they applied for, and API
tokens (issued at sign-in, revoked by their client; accounts/authentication.py says why they
also die with the password)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from .authentication import password_fingerprint
from .models import ApiToken, Role, Session, User


def role_groups_ensure() -> dict[Role, Group]:
    """The group behind each role, made if missing."""
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}


@transaction.atomic
def user_ensure(
    *,
    username: str,
    email: str,
    password: str,
    organisation: models.Model | None,
    role: Role | None,
    is_superuser: bool = False,
    is_staff: bool = False,
) -> User:
    """A user with `role`, made with `password` if missing; an existing user keeps theirs."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "email": email,
            "is_superuser": is_superuser,
            "is_staff": is_staff,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if role is not None:
        user.groups.add(role_groups_ensure()[role])
    return user


@transaction.atomic
def user_organisation_move(*, user: User, organisation: models.Model) -> User:
    """The user now works for `organisation` (a CIO whose application for a new organisation
    was approved)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.organisation = organisation
    user.full_clean(validate_unique=False)
    user.save(update_fields=["organisation"])
    return user


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for one client of `user`, and its key (shown once: only a digest is kept).
    The user's expired tokens are deleted, and past API_TOKENS_PER_USER live ones the oldest
    are revoked, so signing in from a script in a loop cannot pile tokens up."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issuer at a time per user
    tokens = ApiToken.objects.filter(user=user)
    tokens.filter(expiry__lte=timezone.now()).delete()
    keep = max(settings.API_TOKENS_PER_USER - 1, 0)
    oldest = tokens.order_by("-created").values_list("digest", flat=True)[keep:]
    ApiToken.objects.filter(digest__in=list(oldest)).delete()
    token, key = ApiToken.objects.create(user=user, password_fingerprint=password_fingerprint(user))
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke one token (the client signing out); the user's other clients keep theirs."""
    ApiToken.objects.filter(digest=token.digest).delete()


def user_prices_seen(*, user: User, at: dt.datetime) -> None:
    """Record that `user` has been shown the prices as they were at `at` (never moving the
    mark back, so an older page rendered late does not show a change twice)."""
    User.objects.filter(pk=user.pk).filter(
        models.Q(prices_seen_at__isnull=True) | models.Q(prices_seen_at__lt=at)
    ).update(prices_seen_at=at)
    user.prices_seen_at = max(filter(None, (user.prices_seen_at, at)))


def sessions_clear_expired() -> int:
    """Delete the sessions whose time is up (they already sign nobody in); how many went."""
    deleted, _ = Session.objects.filter(expire_date__lte=timezone.now()).delete()
    return deleted
