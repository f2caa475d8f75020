from django.conf import settings
from django.db import models
from django.db.models import F, Q

from contracts.models import ContractKind
from core.pagecache import stale_pages_on_write


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


@stale_pages_on_write
class SignUpApplication(models.Model):
    """An organisation's application to join Flex, decided by a Cabinet Office approver."""

    reference = models.CharField(max_length=20, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # The contract approval signs: the full platform (joining Flex), or an integration
    # call-off (a separate quick-fix contract, like DIUS's October deal).
    contract_kind = models.CharField(
        max_length=12, choices=ContractKind.choices, default=ContractKind.PLATFORM
    )
    term_years = models.PositiveSmallIntegerField()
    requested_start = models.DateField()
    current_cost_per_seat = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        help_text="The contract its approval created.",
    )

    class Meta:
        ordering = ["submitted_at", "created_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue_idx"),
            # The order of every list of applications (selectors.application_list: oldest
            # submission first, drafts last), so a page of 50 is read from the index instead
            # of every application being joined to its organisation and sorted.
            models.Index(fields=["submitted_at", "created_at", "id"], name="application_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=10), name="application_term_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(current_cost_per_seat__isnull=True) | Q(current_cost_per_seat__gte=0),
                name="application_current_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="application_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="application_rejection_has_reason",
            ),
            # One live application per organisation at a time.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["draft", "submitted"]),
                name="application_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


@stale_pages_on_write
class ApplicationLine(models.Model):
    """Seats of one service asked for in a sign-up application."""

    application = models.ForeignKey(
        SignUpApplication, on_delete=models.CASCADE, related_name="lines"
    )
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField()

    class Meta:
        ordering = ["service__kind", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "service"], name="application_line_one_per_service"
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1, seats__lte=1_000_000), name="application_line_seats_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seats} seats of {self.service_id}"


class ApplicationAction(models.TextChoices):
    CREATED = "created", "Created"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class DecisionEvent(models.Model):
    """One step of an append-only audit trail: who did what, and when (the sign-up's and the
    change request's trails share it)."""

    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=ApplicationAction.choices)
    detail = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class ApplicationEvent(DecisionEvent):
    """Append-only audit trail of an application."""

    application = models.ForeignKey(
        SignUpApplication, on_delete=models.CASCADE, related_name="events"
    )


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


@stale_pages_on_write
class ChangeRequest(models.Model):
    """A member's request to change an active contract's services and seats (add optional
    extras, remove them, change any line's seats), decided by a Cabinet Office approver in the
    same queue as sign-ups. Submitted when created: the CIO's answers live in the session
    until they submit on "Check your answers" (applications/journey.py)."""

    reference = models.CharField(max_length=20, unique=True)
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="change_requests"
    )
    # The contract's organisation, kept here so the queue and scoping need no join.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="change_requests"
    )
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reason for rejecting or withdrawing, or the approver's note on approval.
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="change_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="change_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="change_rejection_has_reason",
            ),
            # One open change request per contract: a second would be decided against seats
            # the first may change.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="submitted"),
                name="change_one_open_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


@stale_pages_on_write
class ChangeRequestLine(models.Model):
    """One service the change request changes: its seats on the contract before and after
    (0 before: a new line; 0 after: the line is removed)."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="lines"
    )
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    seats_before = models.PositiveIntegerField()
    seats_after = models.PositiveIntegerField()

    class Meta:
        ordering = ["service__kind", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "service"], name="change_line_one_per_service"
            ),
            models.CheckConstraint(
                condition=Q(seats_after__lte=1_000_000) & ~Q(seats_after=F("seats_before")),
                name="change_line_changes_seats",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.seats_before} -> {self.seats_after}"

    @property
    def difference(self) -> int:
        return self.seats_after - self.seats_before


class ChangeRequestEvent(DecisionEvent):
    """Append-only audit trail of a change request."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="events"
    )
