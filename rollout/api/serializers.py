"""Input and output serializers of the rollout API.

Outputs read `selectors.PlanSummary` (a plan with its progress on a given day), so the figures
match the pages exactly. Class docstrings are public: they describe the schema components."""

from __future__ import annotations

from rest_framework import serializers

from .. import services
from ..models import WaveStatus


def _text(what: str, limit: int, **kwargs) -> serializers.CharField:
    """Text of at most `limit` characters, refused with the services' own GOV.UK message."""
    return serializers.CharField(
        max_length=limit,
        error_messages={"max_length": f"{what} must be {limit:,} characters or fewer"},
        **kwargs,
    )


class RolloutWaveOutputSerializer(serializers.Serializer):
    """A wave of a rollout plan: a batch of seats going live at one site or business unit."""

    id = serializers.IntegerField(source="wave.id")
    order = serializers.IntegerField(source="wave.order")
    name = serializers.CharField(source="wave.name")
    site = serializers.CharField(source="wave.site")
    seats = serializers.IntegerField(source="wave.seats")
    planned_start = serializers.DateField(source="wave.planned_start")
    planned_end = serializers.DateField(source="wave.planned_end")
    actual_start = serializers.DateField(source="wave.actual_start", allow_null=True)
    actual_end = serializers.DateField(source="wave.actual_end", allow_null=True)
    status = serializers.ChoiceField(source="wave.status", choices=WaveStatus.choices)
    blocked_reason = serializers.CharField(source="wave.blocked_reason")
    overdue = serializers.BooleanField(help_text="Due to have finished before today and not done.")


class RolloutMilestoneOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    due_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)


class RolloutPlanOutputSerializer(serializers.Serializer):
    """A contract's rollout plan with its waves, milestones and progress as of today."""

    id = serializers.IntegerField(source="plan.id")
    name = serializers.CharField(source="plan.name")
    contract = serializers.CharField(source="plan.contract.reference", help_text="Reference")
    organisation = serializers.CharField(source="plan.contract.organisation.slug", help_text="Slug")
    template = serializers.CharField(
        source="plan.template.name",
        allow_null=True,
        help_text="The template the plan was laid out from, if any.",
    )
    seats_contracted = serializers.IntegerField(
        source="progress.seats_contracted",
        help_text="Seats of the contract's core service lines, or of its largest line.",
    )
    seats_live = serializers.IntegerField(
        source="progress.seats_live", help_text="Seats of the waves that are done."
    )
    percent_live = serializers.IntegerField(source="progress.percent")
    overdue_waves = serializers.IntegerField(source="progress.overdue_waves")
    waves = RolloutWaveOutputSerializer(many=True)
    milestones = RolloutMilestoneOutputSerializer(source="plan.milestones.all", many=True)


class RolloutPlanCreateInputSerializer(serializers.Serializer):
    contract = serializers.CharField(help_text="Reference of a contract with no plan yet.")
    template = serializers.IntegerField(help_text="Id of a rollout template.")
    start_date = serializers.DateField(help_text="The day the first wave starts.")
    seats = serializers.IntegerField(help_text="Seats to roll out; shared out as the template's.")
    name = _text("The plan name", services.MAX_PLAN_NAME, required=False, allow_blank=True)


class RolloutWaveUpdateInputSerializer(serializers.Serializer):
    """Any subset of a wave's fields; the rest keep their values."""

    name = _text("The wave name", services.MAX_WAVE_NAME, required=False)
    site = _text(
        "The site or business unit", services.MAX_WAVE_NAME, required=False, allow_blank=True
    )
    seats = serializers.IntegerField(required=False)
    planned_start = serializers.DateField(required=False)
    planned_end = serializers.DateField(required=False)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(required=False, choices=WaveStatus.choices)
    blocked_reason = _text("The reason", services.MAX_REASON, required=False, allow_blank=True)


class RolloutTemplatePhaseOutputSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    offset_days = serializers.IntegerField(help_text="Days after the plan start.")
    duration_days = serializers.IntegerField()
    seat_share = serializers.DecimalField(max_digits=7, decimal_places=6)


class RolloutTemplateMilestoneOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    offset_days = serializers.IntegerField(help_text="Days after the plan start.")


class RolloutTemplateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    phases = RolloutTemplatePhaseOutputSerializer(source="phases.all", many=True)
    milestones = RolloutTemplateMilestoneOutputSerializer(source="milestones.all", many=True)
