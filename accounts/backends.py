"""Authentication backend: Django's ModelBackend, loading the user's organisation and roles
with the user.

Every signed-in page shows the organisation in its header, offers navigation by role, and every
permission check scopes by them, so reading all three in one query saves queries on each request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .permissions import with_roles


class OrganisationModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = with_roles(model._default_manager.select_related("organisation")).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
