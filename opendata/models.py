"""Files the framework publishes, made by a worker rather than inside a visitor's request."""

from __future__ import annotations

from django.db import models


class PublishedFileName(models.TextChoices):
    CONTRACT_LINES = "contract-lines.csv", "Contract lines (CSV)"


class PublishedFile(models.Model):
    """The latest made copy of one published file. Written only by opendata.services, which
    stores a new file first and points this row at it in one transaction, so a download
    always gets a whole file."""

    name = models.CharField(max_length=40, choices=PublishedFileName.choices, unique=True)
    file = models.FileField(upload_to="open-data/", max_length=200)
    rows = models.PositiveIntegerField()
    contracts = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    made_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.made_at:%Y-%m-%d %H:%M})"
