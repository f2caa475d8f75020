"""Feedback in the admin, read-only: what people sent is a record, not something to edit."""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "satisfaction", "short_improvement", "email"]
    list_filter = ["satisfaction", "created_at"]
    search_fields = ["improvement", "email"]
    date_hierarchy = "created_at"
    fields = ["created_at", "satisfaction", "improvement", "email"]
    readonly_fields = fields

    @admin.display(description="How could we improve")
    def short_improvement(self, feedback: Feedback) -> str:
        text = feedback.improvement
        return text if len(text) <= 80 else f"{text[:79]}…"
