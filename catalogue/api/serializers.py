"""Serializers of the catalogue API: one input and one output serializer per endpoint."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from catalogue import pricing, schemes
from catalogue.models import Category, Service, ServiceKind

from .fields import Money

# --- services --------------------------------------------------------------------------------

# One choice per pricing scheme, told apart by "scheme"; each scheme's serializer is in its codec.
PRICING_SCHEMA = PolymorphicProxySerializer(
    component_name="Pricing",
    serializers=schemes.pricing_serializers(),
    resource_type_field_name="scheme",
)


class ServiceOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField()
    pricing = serializers.SerializerMethodField()
    current_unit_price = Money(allow_null=True)
    framework_seats = serializers.IntegerField()

    @extend_schema_field(PRICING_SCHEMA)
    def get_pricing(self, service: Service) -> dict:
        return schemes.representation(schemes.scheme_for(service))


class PriceSnapshotOutputSerializer(serializers.Serializer):
    effective_at = serializers.DateTimeField()
    unit_price = Money()
    framework_seats = serializers.IntegerField()
    reason = serializers.CharField()


# --- quotes ----------------------------------------------------------------------------------


class QuoteLineInputSerializer(serializers.Serializer):
    service = serializers.SlugField(
        max_length=64,
        help_text="The service's slug, e.g. desktop.",
        error_messages={
            "required": "Choose a service.",
            "blank": "Choose a service.",
            "invalid": "Enter a service slug, like desktop.",
        },
    )
    seats = serializers.IntegerField(
        min_value=1,
        max_value=pricing.MAX_SEATS,
        error_messages={
            "required": "Enter the number of seats.",
            "invalid": "Seats must be a whole number, like 2000.",
            "min_value": "Seats must be 1 or more.",
            "max_value": f"Seats must be {pricing.MAX_SEATS:,} or fewer.",
        },
    )


class QuoteInputSerializer(serializers.Serializer):
    """Needs `context["services"]`: the services on offer, by slug (with bands)."""

    lines = QuoteLineInputSerializer(many=True, allow_empty=False, max_length=100)
    term_years = serializers.IntegerField(
        min_value=pricing.MIN_TERM_YEARS,
        max_value=pricing.MAX_TERM_YEARS,
        error_messages={
            "required": "Enter the contract term in years.",
            "invalid": "The term must be a whole number of years, like 5.",
            "min_value": f"The term must be between {pricing.MIN_TERM_YEARS} and {pricing.MAX_TERM_YEARS} years.",
            "max_value": f"The term must be between {pricing.MIN_TERM_YEARS} and {pricing.MAX_TERM_YEARS} years.",
        },
    )
    current_cost_per_seat = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text="What the organisation pays per seat a year today, to work out savings.",
        error_messages={
            "invalid": "Enter an amount in pounds, like 2400.00.",
            "min_value": "The cost per seat must be 0 or more.",
            "max_digits": "The cost per seat must be 99999999.99 or less.",
            "max_whole_digits": "The cost per seat must be 99999999.99 or less.",
            "max_decimal_places": "The cost per seat must have no more than 2 decimal places.",
            "max_string_length": "Enter an amount in pounds, like 2400.00.",
        },
    )

    def validate_lines(self, lines: list[dict]) -> list[dict]:
        """Errors are keyed by the line's index, as DRF keys the lines' own field errors."""
        services: dict[str, Service] = self.context["services"]
        errors: dict[str, dict[str, list[str]]] = {}
        seen: set[str] = set()
        for index, line in enumerate(lines):
            slug = line["service"]
            # The messages never echo the slug: refusals say what is wrong, not what was sent.
            if slug not in services:
                message = "There is no service with this slug in the catalogue."
                errors[str(index)] = {"service": [message]}
            elif slug in seen:
                message = "This service is quoted on an earlier line: one line per service."
                errors[str(index)] = {"service": [message]}
            seen.add(slug)
        if errors:
            raise serializers.ValidationError(errors)
        return [{"service": services[line["service"]], "seats": line["seats"]} for line in lines]


class QuoteLineOutputSerializer(serializers.Serializer):
    service = serializers.CharField(source="service.slug")
    seats = serializers.IntegerField()
    unit_price_now = Money()
    unit_price_if_joined = Money()
    annual_cost = Money()


class QuoteOutputSerializer(serializers.Serializer):
    """`savings_per_year` and `savings_percent` are present only when the request gave
    `current_cost_per_seat`; they are null when the quote has no core (desktop) seats."""

    lines = QuoteLineOutputSerializer(many=True)
    annual_total = Money()
    term_total = Money()
    savings_per_year = Money(required=False, allow_null=True)
    savings_percent = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        required=False,
        allow_null=True,
        help_text="Savings as a percentage of today's cost, to one decimal place; null when today's cost is zero.",
    )

    def to_representation(self, quote: pricing.Quote) -> dict:
        data = super().to_representation(quote)
        if quote.current_cost_per_seat is None:
            data.pop("savings_per_year")
            data.pop("savings_percent")
        return data
