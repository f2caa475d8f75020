from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from knox.models import AbstractAuthToken

from core.pagecache import stale_pages_on_write


class Role(models.TextChoices):
    """The groups that grant a role in the portal; a user's role is the group they are in."""

    CIO = "CIO", "Chief information officer"
    APPROVER = "Cabinet Office approver", "Cabinet Office approver"
    PROCUREMENT = "Procurement officer", "Procurement officer"


# Signing in (last_login), a password change and seeing the prices change nothing a kept page
# shows (core/pagecache.py): those updates leave the pages be.
@stale_pages_on_write(ignoring=("last_login", "password", "prices_seen_at"))
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
    # When the member's CIO last saw their prices: the home and contract pages tell them of
    # every price change since (accounts.services.user_prices_seen).
    prices_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "accounts_user"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox: only a digest of the key is stored, and it expires),
    valid only while the password it was issued under is unchanged (accounts/authentication.py).
    A client gets one per sign-in; signing out with DELETE revokes only its own."""

    password_fingerprint = models.CharField(
        max_length=64, help_text="Fingerprint of the user's password when the token was issued."
    )

    class Meta:
        db_table = "accounts_api_token"
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.token_key}… of {self.user_id}"


class Session(AbstractBaseSession):
    """A browser's session (Django's own columns), with the user it signs in, so that each
    request reads the session and that user in one statement (accounts/signed_in.py). The
    column is written from the session's data whenever the session is saved
    (accounts/sessions.py); deleting a user ends their sessions."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
