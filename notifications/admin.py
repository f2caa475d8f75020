"""The outbox in the admin, read-only: a row changes only through notifications/services.py,
so an edit here cannot mark unsent mail as sent or send mail twice."""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
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
