"""Input and output of the sign-up application API (docs/interface.md)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import Service
from catalogue.pricing import MAX_SEATS, MAX_TERM_YEARS, MIN_TERM_YEARS
from contracts.models import ContractKind
from core.api import ChoiceField, SlugRelatedField
from organisations.models import Organisation, OrganisationKind
from organisations.selectors import scope_organisations

from ..models import ApplicationAction, ApplicationStatus
from ..selectors import ApplicationMove, application_actions
from ..services import MAX_REASON_LENGTH


class ApplicationLineOutputSerializer(serializers.Serializer):
    service = serializers.CharField(
        source="service.slug", read_only=True, help_text="Service slug."
    )
    seats = serializers.IntegerField(read_only=True)


class ApplicationOutputSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True, help_text="e.g. FLEX-2026-0007")
    organisation = serializers.CharField(
        source="organisation.slug", read_only=True, help_text="Organisation slug."
    )
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    contract_kind = serializers.ChoiceField(choices=ContractKind.choices, read_only=True)
    lines = ApplicationLineOutputSerializer(many=True, read_only=True)
    term_years = serializers.IntegerField(read_only=True)
    requested_start = serializers.DateField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, help_text="Username."
    )
    reason = serializers.CharField(
        read_only=True, help_text="Why it was rejected (or withdrawn); empty otherwise."
    )


class ApplicationEventOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, help_text="Username.")
    action = serializers.ChoiceField(choices=ApplicationAction.choices, read_only=True)
    detail = serializers.CharField(read_only=True)


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    """Needs `context["user"]`: `actions` are the moves that user may make now."""

    events = ApplicationEventOutputSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="The moves the caller may make now: submit, withdraw, approve, reject."
    )

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ApplicationMove)))
    )
    def get_actions(self, application) -> list[str]:
        moves = application_actions(user=self.context["user"], application=application)
        return sorted(moves)


class ApplicationLineInputSerializer(serializers.Serializer):
    service = SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True), help_text="Service slug."
    )
    seats = serializers.IntegerField(min_value=1, max_value=MAX_SEATS)


@extend_schema_field(OpenApiTypes.STR)
class VisibleOrganisationField(SlugRelatedField):
    """An organisation the caller may see, by slug: naming one they may not is refused just
    as a slug that does not exist, so the refusal reveals nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Organisation.objects.none()
        return scope_organisations(request.user, Organisation.objects.all())


class NewOrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = ChoiceField(choices=OrganisationKind.choices)
    staff = serializers.IntegerField(min_value=1, max_value=10_000_000)
    desktops = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    predecessors = VisibleOrganisationField(
        slug_field="slug",
        many=True,
        required=False,
        help_text="Slugs of the organisations it replaces.",
    )


class ApplicationCreateInputSerializer(serializers.Serializer):
    """Apply for the caller's own organisation (`organisation` may be left out), or for a new
    organisation described in `new_organisation`. The application is created as a draft.

    For a new organisation the caller stays in their own organisation (and keeps seeing its
    contracts) while the application is decided, and may see, submit and withdraw it; their
    account moves to the new organisation when it is approved. An organisation that is not yet
    a member must ask for the core service (`desktop`)."""

    organisation = serializers.SlugField(
        required=False, help_text="Your own organisation's slug (the default)."
    )
    new_organisation = NewOrganisationInputSerializer(required=False)
    contract_kind = ChoiceField(
        choices=ContractKind.choices,
        required=False,
        default=ContractKind.PLATFORM,
        help_text="`platform` (joining Flex, the default) or `integration`: a separate "
        "integration call-off covering integration services only. A member that already has "
        "a platform contract changes it (`POST /api/v1/contracts/{reference}/changes/`).",
    )
    lines = serializers.ListField(
        child=ApplicationLineInputSerializer(),
        allow_empty=False,
        max_length=50,
        error_messages={"empty": "Add at least one line: a service and its number of seats."},
    )
    term_years = serializers.IntegerField(min_value=MIN_TERM_YEARS, max_value=MAX_TERM_YEARS)
    requested_start = serializers.DateField()
    current_cost_per_seat = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    confirm_unusual_seats = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Set true to confirm seats that look more than the organisation needs: seats"
        " of any service above its staff, or of an optional extra above the core seats asked"
        " for (else its desktops). Without it such an application is refused with 400,"
        ' `{"confirm_unusual_seats": ["You asked for 50,000 standard desktop seats for 300'
        ' staff. Is that right?"]}`, one message for each unusual line.',
    )

    def validate_lines(self, lines: list[dict]) -> list[dict]:
        slugs = [line["service"].slug for line in lines]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError("Enter each service only once.")
        return lines

    def validate(self, data: dict) -> dict:
        if data.get("organisation") and data.get("new_organisation"):
            raise serializers.ValidationError(
                {"new_organisation": ["Give either your organisation or a new one, not both."]}
            )
        return data


class ApplicationWithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH, required=False, allow_blank=True, default=""
    )


class ApplicationApproveInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="The approver's decision note (optional), kept in the audit trail.",
    )


REASON_NEEDED = "Enter the reason for rejecting the application."


class ApplicationRejectInputSerializer(serializers.Serializer):
    # Required and not blank, as the service's rule is (so the schema says so too); the view
    # checks the caller's right to reject before refusing this input (403 before 400).
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        help_text="Why the application is rejected.",
        error_messages={"required": REASON_NEEDED, "blank": REASON_NEEDED, "null": REASON_NEEDED},
    )
