from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """The groups that grant a role in the portal; a user's role is the group they are in."""

    CIO = "CIO", "Chief information officer"
    APPROVER = "Cabinet Office approver", "Cabinet Office approver"
    PROCUREMENT = "Procurement officer", "Procurement officer"


class User(AbstractUser):
    """A person who signs in. CIOs (and approvers, who work for the Cabinet Office) belong to
    one organisation, which scopes what they may see."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        db_table = "accounts_user"
