"""Export jobs in the admin, read-only: they are written only by procurement/services.py."""

from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "status", "rows_done", "rows_total", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
