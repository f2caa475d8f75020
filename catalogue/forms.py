"""Forms of the catalogue pages: the catalogue search and the quote builder (both GET, so a
search or a quote is a bookmarkable address)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.utils.html import conditional_escape

from core.formatting import money, seats
from core.forms import PoundsField, WholeNumberField, gds_helper, numeric_input

from . import pricing
from .models import Service

SEATS_PREFIX = "seats_"


class ServiceSearchForm(forms.Form):
    """Base form of `filters.ServiceFilter`, which declares the fields. The submit buttons are
    in the templates: a named button would add itself to the bookmarkable query string."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("q"), Field.select("category"), Field.select("kind"))


class QuoteForm(forms.Form):
    """Seats per service (`seats_<slug>`), the term, and optionally today's cost per seat.

    Built for the services on offer: a `seats_...` parameter naming any other service is an
    error, not silently ignored, so a stale bookmark does not quote less than it says.
    """

    term_years = WholeNumberField(
        label="Contract term, in years",
        help_text=f"Between {pricing.MIN_TERM_YEARS} and {pricing.MAX_TERM_YEARS} years.",
        min_value=pricing.MIN_TERM_YEARS,
        max_value=pricing.MAX_TERM_YEARS,
        widget=numeric_input(),
        error_messages={
            "required": "Enter the contract term in years",
            "invalid": "Contract term must be a whole number of years, like 5",
            "min_value": (
                f"Contract term must be between {pricing.MIN_TERM_YEARS} and "
                f"{pricing.MAX_TERM_YEARS} years"
            ),
            "max_value": (
                f"Contract term must be between {pricing.MIN_TERM_YEARS} and "
                f"{pricing.MAX_TERM_YEARS} years"
            ),
        },
    )
    current_cost_per_seat = PoundsField(
        label="Today's cost per seat a year, in pounds (optional)",
        help_text="What you pay now for each desktop a year, to work out your savings. For example, 2400.00.",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Today's cost per seat must be an amount in pounds, like 2400.00",
            "min_value": "Today's cost per seat must be £0 or more",
            "max_digits": "Today's cost per seat must be £99,999,999.99 or less",
            "max_whole_digits": "Today's cost per seat must be £99,999,999.99 or less",
            "max_decimal_places": "Today's cost per seat must have no more than 2 decimal places, like 2400.50",
        },
    )

    def __init__(self, *args, services: Sequence[Service], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        seat_fields = []
        for service in services:
            name = service.name
            kind = service.get_kind_display()
            price = (
                f"{money(service.current_unit_price)} per seat a year now, with "
                f"{seats(service.framework_seats)} seats on the framework"
                if service.current_unit_price is not None
                else "Price to be confirmed"
            )
            self.fields[SEATS_PREFIX + service.slug] = WholeNumberField(
                label=conditional_escape(f"{name} (seats)"),
                help_text=conditional_escape(f"{kind}. {price}."),
                required=False,
                min_value=1,
                max_value=pricing.MAX_SEATS,
                widget=numeric_input(),
                error_messages={
                    "invalid": f"Seats for {name} must be a whole number, like 2000",
                    "min_value": f"Seats for {name} must be 1 or more",
                    "max_value": f"Seats for {name} must be {pricing.MAX_SEATS:,} or fewer",
                },
            )
            seat_fields.append(Field.text(SEATS_PREFIX + service.slug, field_width=10))
        self.order_fields([*(SEATS_PREFIX + s for s in self.services), "term_years"])
        self.helper = gds_helper(
            Fieldset(*seat_fields, legend="How many seats of each service?", legend_size="m"),
            Field.text("term_years", field_width=2),
            Field.text("current_cost_per_seat", field_width=10),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        unknown = sorted(
            key.removeprefix(SEATS_PREFIX)
            for key in self.data
            if key.startswith(SEATS_PREFIX) and key.removeprefix(SEATS_PREFIX) not in self.services
        )
        for slug in unknown:
            self.add_error(None, f"There is no service “{slug}” in the catalogue: remove it")
        seat_errors = any(SEATS_PREFIX + slug in self.errors for slug in self.services)
        if not seat_errors and not self.lines_from(cleaned):
            self.add_error(None, "Enter the number of seats for at least one service")
        return cleaned

    def lines_from(self, cleaned: dict) -> list[tuple[Service, int]]:
        return [
            (service, cleaned[SEATS_PREFIX + slug])
            for slug, service in self.services.items()
            if cleaned.get(SEATS_PREFIX + slug)
        ]

    @property
    def lines(self) -> list[tuple[Service, int]]:
        return self.lines_from(self.cleaned_data)
