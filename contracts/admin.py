"""Admin for contracts: read-only views for support staff.

A contract's status, dates, lines and seats change only through the lifecycle services
(contracts/services.py, applications/lifecycle.py), which ask for the repricing every member's
price depends on; prices on lines belong to repricing; the timeline and the download log are
audit trails. So none of them is added, edited or deleted here: the admin is not a back door.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.admin import ReadOnlyModelAdmin

from .models import Contract, ContractDownload, ContractLine


class ContractLineInline(admin.TabularInline):
    model = ContractLine
    extra = 0
    fields = ["service", "seats", "unit_price_at_signing", "current_unit_price"]
    # Rollout checks waves' seats against the contract's seats under a lock (rollout/services.py);
    # editing a line's seats here would bypass that check.
    readonly_fields = ["seats", "unit_price_at_signing", "current_unit_price"]
    raw_id_fields = ["service"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "kind", "status", "signed_on", "term_years"]
    # No filter by organisation: it would list every organisation (40,000 across the public
    # sector) on every page; the search finds a member's contracts by name instead.
    list_filter = ["status", "kind"]
    list_select_related = ["organisation"]
    show_full_result_count = False
    search_fields = ["reference", "organisation__name", "organisation__short_name"]
    date_hierarchy = "signed_on"
    readonly_fields = [
        "reference",
        "organisation",
        "kind",
        "status",
        "signed_on",
        "start_date",
        "term_years",
        "previous_cost_per_seat",
        "notice_on",
        "ended_on",
        "created_at",
        "timeline",
    ]
    inlines = [ContractLineInline]

    @admin.display(description="Timeline")
    def timeline(self, contract: Contract) -> str:
        return format_html_join(
            mark_safe("<br>"),
            "{} {}: {}",
            (
                (f"{event.at:%Y-%m-%d %H:%M}", event.get_kind_display(), event.detail)
                for event in contract.events.order_by("at", "pk")
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ContractDownload)
class ContractDownloadAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "user", "kind", "contract", "rows"]
    list_filter = ["kind"]
    list_select_related = ["user", "contract"]
    search_fields = ["user__username", "contract__reference"]
    # No date hierarchy: its year links read every row's date (hundreds of thousands of
    # downloads at public-sector scale) on every page; the list is newest first anyway. One
    # count a page, not two.
    show_full_result_count = False
