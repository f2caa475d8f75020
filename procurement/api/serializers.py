"""Output of the contract API; its input is the query string, validated by ContractFilter."""

from __future__ import annotations

from rest_framework import serializers

from contracts.models import Contract, ContractEventKind, ContractKind, ContractStatus
from contracts.selectors import figures_for

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class ContractLineOutputSerializer(serializers.Serializer):
    service = serializers.CharField(
        source="service.slug", read_only=True, help_text="Service slug."
    )
    seats = serializers.IntegerField(read_only=True)
    unit_price_at_signing = serializers.DecimalField(**MONEY)
    current_unit_price = serializers.DecimalField(**MONEY)


class ContractOutputSerializer(serializers.Serializer):
    """A contract with its values at current prices; `core_value` is at the price at signing."""

    reference = serializers.CharField(read_only=True)
    organisation = serializers.CharField(
        source="organisation.slug", read_only=True, help_text="Organisation slug."
    )
    kind = serializers.ChoiceField(choices=ContractKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ContractStatus.choices, read_only=True)
    signed_on = serializers.DateField(read_only=True, allow_null=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(
        read_only=True, help_text="The day after the term's last day: start date + term years."
    )
    term_years = serializers.IntegerField(read_only=True)
    lines = ContractLineOutputSerializer(many=True, read_only=True)
    annual_value = serializers.DecimalField(
        source="figures.annual_value", help_text="Σ seats x current unit price.", **MONEY
    )
    total_value = serializers.DecimalField(
        source="figures.total_value", help_text="Annual value x term years.", **MONEY
    )
    core_value = serializers.DecimalField(
        source="figures.core_value",
        help_text="Core-service lines over the term at the unit price at signing.",
        **MONEY,
    )
    previous_cost_per_seat = serializers.DecimalField(allow_null=True, **MONEY)
    savings_per_year = serializers.DecimalField(
        source="figures.savings_per_year",
        allow_null=True,
        help_text="Previous cost per seat x core seats - annual core cost at current prices.",
        **MONEY,
    )
    savings_percent = serializers.DecimalField(
        source="figures.savings_percent",
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        read_only=True,
    )

    notice_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Notice given to end the contract on this day."
    )
    ended_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day it ended (status `ended`)."
    )

    def to_representation(self, instance: Contract) -> dict:
        # The figures are computed once per contract, from its prefetched lines.
        if not hasattr(instance, "figures"):
            instance.figures = figures_for(instance)
        return super().to_representation(instance)


class ContractEventLineOutputSerializer(serializers.Serializer):
    service = serializers.CharField(read_only=True, help_text="Service slug.")
    seats = serializers.IntegerField(read_only=True)
    unit_price_at_signing = serializers.DecimalField(**MONEY)


class ContractEventOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        help_text="Username; null when the portal itself acted (expiry).",
    )
    kind = serializers.ChoiceField(choices=ContractEventKind.choices, read_only=True)
    detail = serializers.CharField(read_only=True)
    lines = ContractEventLineOutputSerializer(
        many=True, read_only=True, help_text="The lines' seats and signing prices at this step."
    )


class ContractDetailOutputSerializer(ContractOutputSerializer):
    """One contract with its history (signed, each change, notice given, ended); needs the
    contract's `timeline` (contracts.selectors.contract_timeline) set by the view."""

    history = ContractEventOutputSerializer(source="timeline", many=True, read_only=True)


class ContractEndInputSerializer(serializers.Serializer):
    on = serializers.DateField(
        help_text="Today ends the contract at once; a later day within its term gives notice."
    )
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Optional."
    )
