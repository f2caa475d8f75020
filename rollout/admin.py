"""Admin for rollout data: read-mostly views for support staff. Changes that must respect the
contract's seats go through the portal's pages (rollout/services.py), not here."""

from django.contrib import admin

from .models import Milestone, RolloutPlan, RolloutTemplate, TemplateMilestone, TemplatePhase, Wave


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0
    fields = [
        "order",
        "name",
        "site",
        "seats",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "status",
        "blocked_reason",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(RolloutPlan)
class RolloutPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "contract", "template", "created_at"]
    list_select_related = ["contract", "template"]
    search_fields = ["name", "contract__reference", "contract__organisation__name"]
    raw_id_fields = ["contract"]
    inlines = [WaveInline, MilestoneInline]


class TemplatePhaseInline(admin.TabularInline):
    model = TemplatePhase
    extra = 0


class TemplateMilestoneInline(admin.TabularInline):
    model = TemplateMilestone
    extra = 0


@admin.register(RolloutTemplate)
class RolloutTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "source_plan", "created_at"]
    list_select_related = ["source_plan"]
    search_fields = ["name"]
    raw_id_fields = ["source_plan"]
    inlines = [TemplatePhaseInline, TemplateMilestoneInline]
