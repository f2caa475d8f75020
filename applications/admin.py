"""Admin for sign-up applications and change requests, read-only: they change only through
the services (applications/services.py, applications/changes.py), which check, audit and
reprice."""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import (
    ApplicationEvent,
    ApplicationLine,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    SignUpApplication,
)


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


class _ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["reference", "organisation", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(SignUpApplication)
class SignUpApplicationAdmin(_ApplicationAdmin):
    inlines = [ApplicationLineInline, ApplicationEventInline]


class ChangeRequestLineInline(_ReadOnlyInline):
    model = ChangeRequestLine
    fields = ["service", "seats_before", "seats_after"]


class ChangeRequestEventInline(_ReadOnlyInline):
    model = ChangeRequestEvent
    fields = ["at", "actor", "action", "detail"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(_ApplicationAdmin):
    inlines = [ChangeRequestLineInline, ChangeRequestEventInline]
