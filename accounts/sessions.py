"""The session store: Django's database sessions, in the portal's own table (accounts.Session),
read with the signed-in user in one plain SQL statement (accounts/signed_in.py).

Sessions stay in the database, so signing out (the row is deleted), a password change (the
session's auth hash no longer matches) and deactivation (the user is refused) end them at once,
as with Django's own store. What differs: the row also names its user (written from the
session's data on every save), so the read on each request brings the user, their organisation
and roles with the session, and accounts.backends takes that user instead of reading it again.
Writes (creating, saving, deleting, clearing expired sessions) are Django's.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from . import signed_in


class SessionStore(DatabaseSessionStore):
    # The user read with the session by load(), when the session names one (else None), and
    # the kept pages' version read with it (core.pagecache.SESSION_ATTRIBUTE; None where off).
    user_read_with_session = None
    page_version = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = signed_in.user_pk(data.get(SESSION_KEY))
        return session

    def load(self):
        self.user_read_with_session = self.page_version = None
        found = signed_in.session_with_user(self.model, self.session_key, timezone.now())
        if found is None:
            self._session_key = None
            return {}
        self.user_read_with_session, self.page_version = found.user, found.page_version
        return self.decode(found.data)

    async def aload(self):
        return await sync_to_async(self.load)()
