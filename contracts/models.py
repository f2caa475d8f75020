import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.history import track
from core.pagecache import stale_pages_on_write

from . import tally, values

MONEY = {"max_digits": 12, "decimal_places": 2}


class ContractKind(models.TextChoices):
    INTEGRATION = "integration", "Integration call-off"
    PLATFORM = "platform", "Full platform"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


@track(model_name="ContractHistory")
@stale_pages_on_write
class Contract(models.Model):
    """A call-off contract between an organisation and the Flex supplier. Its lines' seats
    count towards framework seats while the contract is active."""

    reference = models.CharField(max_length=30, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(max_length=12, choices=ContractKind.choices)
    status = models.CharField(
        max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    signed_on = models.DateField(null=True, blank=True)
    start_date = models.DateField()
    term_years = models.PositiveSmallIntegerField()
    previous_cost_per_seat = models.DecimalField(null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    # Notice to end on this day (a CIO leaving early); the daily expiry ends it then.
    notice_on = models.DateField(null=True, blank=True)
    # The day it stopped counting: at the end of its term, on its notice date, or at once.
    ended_on = models.DateField(null=True, blank=True)
    # What the contract costs a year at its lines' current prices: values.contract_figures'
    # annual_value, stored so lists sort and total by it without reading every line. Written
    # only by contracts/services.py, in the same transaction as every change to the lines or
    # their prices (`contract_annual_values_refresh`).
    annual_value = models.DecimalField(
        max_digits=16, decimal_places=2, default=values.ZERO, editable=False
    )

    class Meta:
        ordering = ["-signed_on", "reference"]
        # The running tally of count and value by status and kind (contracts/tally.py).
        triggers = tally.triggers()
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="contract_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(status="ended"),
                name="contract_end_date_only_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=10), name="contract_term_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(previous_cost_per_seat__isnull=True) | Q(previous_cost_per_seat__gte=0),
                name="contract_previous_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="contract_signed_unless_draft",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0), name="contract_annual_value_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "organisation"]),
            # The list's default order (latest signed first) and its "signed between" filter.
            models.Index(fields=["signed_on", "reference"], name="contract_signed_idx"),
            # Sorting the list by annual or total value (procurement/filters.py orders by the
            # same expressions), so a page of the largest is read from the index.
            models.Index(fields=["annual_value"], name="contract_annual_value_idx"),
            # The list's default order exactly (latest signed first, drafts last, then
            # reference) is also indexed on PostgreSQL: contract_latest_signed_idx, made in
            # migration 0005 (SQLite cannot index NULLS LAST).
            models.Index(
                models.F("annual_value") * models.F("term_years"), name="contract_total_value_idx"
            ),
            # Rollout plans are listed in their contract's start order (rollout.selectors):
            # walking this index and probing each contract's plan reads a page of plans in
            # about 2 ms at 40,000 organisations, where hashing every contract took 15 ms.
            models.Index(fields=["start_date", "id"], name="contract_start_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def end_date(self) -> dt.date:
        """The day after the last day of the term. Derived, not stored, so it can never
        disagree with the start and term; the `contract_term_1_to_10` constraint keeps the term
        at one year or more, so the end is always after the start."""
        return values.end_date(self.start_date, self.term_years)


@track(model_name="ContractLineHistory")
@stale_pages_on_write
class ContractLine(models.Model):
    """Seats of one service under a contract. `current_unit_price` follows repricing; the price
    at signing never changes."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="contract_lines"
    )
    seats = models.PositiveIntegerField()
    unit_price_at_signing = models.DecimalField(**MONEY)
    current_unit_price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["contract", "service__kind", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "service"], name="contract_line_unique"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="contract_line_seats_positive"),
            models.CheckConstraint(
                condition=Q(unit_price_at_signing__gte=0, current_unit_price__gte=0),
                name="contract_line_prices_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["service", "contract"])]

    def __str__(self) -> str:
        return f"{self.seats} seats of {self.service_id}"


class ContractEventKind(models.TextChoices):
    SIGNED = "signed", "Signed"
    CHANGED = "changed", "Changed"
    NOTICE_GIVEN = "notice_given", "Notice given"
    ENDED = "ended", "Ended"
    EXPIRED = "expired", "Expired"


class ContractEvent(models.Model):
    """Append-only timeline of a contract: signed, each change, notice given, ended. `lines`
    holds the lines' seats and prices at that step (service slug, seats, price at signing)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    # None when the portal itself acted (the daily expiry).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ContractEventKind.choices)
    detail = models.TextField(blank=True)
    lines = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["contract", "at"], name="contract_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} at {self.at:%Y-%m-%d}"


class DownloadKind(models.TextChoices):
    PDF = "pdf", "Contract summary (PDF)"
    CSV = "csv", "Contract list (CSV)"
    XLSX = "xlsx", "Contract list (XLSX)"


class ContractDownload(models.Model):
    """Who downloaded what, and when: seen by Cabinet Office staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    kind = models.CharField(max_length=5, choices=DownloadKind.choices)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"], name="contract_download_at_idx")]
        # The running count of the log (contracts/tally.py).
        triggers = tally.download_triggers()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class DownloadTally(models.Model):
    """A change to the number of downloads logged: written only by the triggers of
    contracts/tally.py (one row per write statement) and folded together by
    `services.contract_tally_compact`; their sum is the length of the log."""

    downloads = models.BigIntegerField()

    class Meta:
        db_table = tally.DOWNLOADS_TABLE

    def __str__(self) -> str:
        return f"{self.downloads:+} downloads"


@stale_pages_on_write
class ContractTally(models.Model):
    """A change to the count and value of contracts of one status and kind: written only by the
    triggers of contracts/tally.py (one row per write statement, + and -) and folded together
    by `services.contract_tally_compact`; their sums are the figures of every contract."""

    status = models.CharField(max_length=10, choices=ContractStatus.choices)
    kind = models.CharField(max_length=12, choices=ContractKind.choices)
    contracts = models.BigIntegerField()
    annual_pence = models.BigIntegerField()
    total_pence = models.BigIntegerField()

    class Meta:
        db_table = tally.TABLE
        indexes = [models.Index(fields=["status", "kind"], name="contract_tally_idx")]

    def __str__(self) -> str:
        return f"{self.contracts:+} {self.status} {self.kind}"
