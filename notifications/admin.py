"""The outbox in the admin, read-only: a row changes only through notifications/services.py,
so an edit here cannot mark unsent mail as sent or send mail twice."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["recipient", "key", "reference", "notify_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference",
        "key",
        "template",
        "recipient",
        "personalisation",
        "status",
        "attempts",
        "last_error",
        "notify_id",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
