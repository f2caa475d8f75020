from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class FlexUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Flex", {"fields": ("organisation",)}))
    list_display = ("username", "email", "organisation", "is_staff")
    list_filter = ("groups", "is_staff", "organisation")
    list_select_related = ("organisation",)
