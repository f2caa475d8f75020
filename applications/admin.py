"""Admin for sign-up applications, read-only: applications change only
through the services (applications/services.py), which check, audit and reprice."""

from django.contrib import admin

from .models import ApplicationEvent, ApplicationLine, SignUpApplication


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ApplicationLineInline(_ReadOnlyInline):
    model = ApplicationLine
    fields = ["service", "seats"]


class ApplicationEventInline(_ReadOnlyInline):
    model = ApplicationEvent
    fields = ["at", "actor", "action", "detail"]


@admin.register(SignUpApplication)
class SignUpApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]
    list_select_related = ["organisation"]
    inlines = [ApplicationLineInline, ApplicationEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
