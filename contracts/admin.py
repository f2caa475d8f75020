"""Admin for contracts: read-mostly views for support staff.

Prices on contract lines belong to repricing (repricing/services.py), their seats to the rollout
seat checks, and the download log is an audit trail, so none of them is edited here.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import Contract, ContractDownload, ContractLine


class ContractLineInline(admin.TabularInline):
    model = ContractLine
    extra = 0
    fields = ["service", "seats", "unit_price_at_signing", "current_unit_price"]
    # Rollout checks waves' seats against the contract's seats under a lock (rollout/services.py);
    # editing a line's seats here would bypass that check.
    readonly_fields = ["seats", "unit_price_at_signing", "current_unit_price"]
    raw_id_fields = ["service"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "kind", "status", "signed_on", "term_years"]
    list_filter = ["status", "kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["reference", "organisation__name", "organisation__short_name"]
    date_hierarchy = "signed_on"
    raw_id_fields = ["organisation"]
    readonly_fields = ["created_at"]
    inlines = [ContractLineInline]


@admin.register(ContractDownload)
class ContractDownloadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "contract", "rows"]
    list_filter = ["kind"]
    list_select_related = ["user", "contract"]
    search_fields = ["user__username", "contract__reference"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
