from django.db import models
from django.db.models import Q


class RepricingRequest(models.Model):
    """A durable request to recompute framework prices, written in the same transaction as
    the change that needs it (an approval, a scheme change).

    The Celery task marks requests done; a periodic sweeper re-sends the task for any request
    still pending, so a sign-up is never lost when the broker was unreachable at commit time.
    """

    requested_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    caused_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=Q(processed_at__isnull=True),
                name="repricing_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({'done' if self.processed_at else 'pending'})"


class RepricingRun(models.Model):
    """One recomputation, kept so operators (and tests) can see how many runs a burst cost."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    requests_processed = models.PositiveIntegerField()
    snapshots_written = models.PositiveIntegerField()
    lines_updated = models.PositiveIntegerField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Repricing at {self.started_at:%Y-%m-%d %H:%M}"
