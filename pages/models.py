from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# The longest answer the feedback form takes: a page of text, which the character count shows.
MAX_IMPROVEMENT_LENGTH = 1200
MAX_EMAIL_LENGTH = 254  # RFC 5321's longest address


class Satisfaction(models.TextChoices):
    """GOV.UK's five-point satisfaction scale, best first as the form offers it."""

    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


class Feedback(models.Model):
    """One answer to the feedback form. Who sent it is not recorded: only the email address
    they chose to give, if any, so the team can reply."""

    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    improvement = models.TextField(max_length=MAX_IMPROVEMENT_LENGTH, blank=True)
    email = models.EmailField(max_length=MAX_EMAIL_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__in=Satisfaction.values),
                name="pages_feedback_satisfaction_valid",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("improvement"), MAX_IMPROVEMENT_LENGTH),
                name="pages_feedback_improvement_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_satisfaction_display()} on {self.created_at:%-d %B %Y}"
