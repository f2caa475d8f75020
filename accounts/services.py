"""Writes to accounts: the role groups and users made by loaders (people are otherwise added by
Cabinet Office staff in the admin)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models, transaction

from .models import Role, User


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
