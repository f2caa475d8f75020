"""Authentication backend: Django's ModelBackend, loading the user's organisation with the user.

Every signed-in page shows the organisation in its header and every permission check scopes by
it, so reading both in one query saves a query on each request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OrganisationModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
