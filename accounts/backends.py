"""Authentication backend: Django's ModelBackend, loading the user's organisation and roles
with the user.

Every signed-in page shows the organisation in its header, every permission check scopes by it,
and the navigation and permissions need the user's roles, so all three are read in one plain
SQL statement on each request (accounts/signed_in.py), never cached between requests: with the
session itself when the session's read brought them (accounts.middleware), else on their own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import signed_in


class OrganisationModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = signed_in.user_read_with_session(user_id) or signed_in.user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
