from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, User


@admin.register(User)
class FlexUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Flex", {"fields": ("organisation",)}))
    list_display = ("username", "email", "organisation", "is_staff")
    list_filter = ("groups", "is_staff", "organisation")
    list_select_related = ("organisation",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff revoke a client's API token by deleting it. Tokens are issued only by signing in
    (POST /api/v1/auth/token/), never here: only a digest of each key is kept."""

    list_display = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__username")
    fields = readonly_fields = ("token_key", "user", "created", "expiry")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
