"""Navigation by role, for the base template's header."""

from django.http import HttpRequest
from django.urls import reverse

from . import permissions


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = [("Catalogue", reverse("catalogue:list"))]
    if permissions.is_cio(user):
        items.append(("Get a quote", reverse("catalogue:quote")))
    if (
        permissions.is_cio(user)
        or permissions.is_approver(user)
        or permissions.is_procurement(user)
    ):
        items.append(("Applications", reverse("applications:application-list")))
    if permissions.is_cio(user) or permissions.can_see_all_organisations_records(user):
        items.append(("Contracts", reverse("contracts:list")))
        items.append(("Rollout", reverse("rollout:list")))
    items.append(("Framework", reverse("framework:framework")))
    if permissions.can_see_all_organisations_records(user):
        items.append(("Audit", reverse("audit:list")))
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path.startswith(url)} for label, url in items
        ],
        "user_roles": permissions.role_names(user),
    }
