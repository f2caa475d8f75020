from django.db import models
from django.db.models import Q


class ReferenceCounter(models.Model):
    """The last number handed out for one kind of reference in one year (`FLEX-2026-…`,
    `CON-2026-…`). Numbers are taken one at a time under a row lock (core/references.py), so
    concurrent writers never get the same one and none is skipped."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique"),
            models.CheckConstraint(condition=~Q(prefix=""), name="reference_counter_has_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"
