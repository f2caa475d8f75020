from django.db import models
from django.db.models import F, Q

from core.history import track


class WaveStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"


class RolloutPlan(models.Model):
    """How one contract's seats go live: ordered waves and milestones."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, related_name="rollout_plan"
    )
    name = models.CharField(max_length=200)
    template = models.ForeignKey(
        "rollout.RolloutTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract__start_date", "pk"]

    def __str__(self) -> str:
        return self.name


@track(model_name="WaveHistory")
class Wave(models.Model):
    """A batch of seats going live at one site or business unit."""

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="waves")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    site = models.CharField(max_length=120, blank=True)
    seats = models.PositiveIntegerField()
    planned_start = models.DateField()
    planned_end = models.DateField()
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=WaveStatus.choices, default=WaveStatus.PLANNED)
    blocked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="wave_order_unique"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="wave_seats_positive"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")), name="wave_planned_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="wave_actual_dates_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(blocked_reason=""),
                name="wave_blocked_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_end__isnull=False),
                name="wave_done_has_actual_end",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False),
                name="wave_actual_end_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=WaveStatus.values), name="wave_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A dated checkpoint of a plan: design sign-off, pilot, migration, decommission."""

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=120)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.name


class RolloutTemplate(models.Model):
    """A proven plan saved for reuse: phases with durations and seat shares."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    source_plan = models.ForeignKey(
        RolloutPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplatePhase(models.Model):
    """One phase of a template: starts `offset_days` after the plan start, lasts
    `duration_days`, and takes `seat_share` of the plan's seats (shares of a template sum to 1)."""

    template = models.ForeignKey(RolloutTemplate, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    offset_days = models.PositiveIntegerField()
    duration_days = models.PositiveIntegerField()
    seat_share = models.DecimalField(max_digits=7, decimal_places=6)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="phase_order_unique"),
            models.CheckConstraint(
                condition=Q(duration_days__gte=1), name="phase_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(seat_share__gt=0, seat_share__lte=1), name="phase_share_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateMilestone(models.Model):
    """A milestone of a template, due `offset_days` after the plan start."""

    template = models.ForeignKey(
        RolloutTemplate, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(max_length=120)
    offset_days = models.PositiveIntegerField()

    class Meta:
        ordering = ["template", "offset_days", "pk"]

    def __str__(self) -> str:
        return self.name
