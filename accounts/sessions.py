"""The session store: Django's database sessions, read in plain SQL (accounts/signed_in.py).

Sessions stay in the database, so signing out (the row is deleted), a password change (the
session's auth hash no longer matches) and deactivation (the user is refused) end them at once,
as with Django's own store; only the read on each request is cheaper. Writes (creating, saving,
deleting, clearing expired sessions) are Django's.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from . import signed_in


class SessionStore(DatabaseSessionStore):
    def load(self):
        data = signed_in.session_data(self.model, self.session_key, timezone.now())
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)

    async def aload(self):
        return await sync_to_async(self.load)()
