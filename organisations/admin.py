"""Admin for organisations."""

from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "staff",
        "desktops",
        "membership_status",
        "joined_on",
    ]
    list_filter = ["membership_status", "kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["predecessors"]
