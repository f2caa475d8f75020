"""Forms of the application pages: one question a page for the CIO's journey, and the
approver's rejection. Each form only words the rules for its page; the services enforce them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from catalogue.forms import SEATS_PREFIX
from catalogue.models import Service
from catalogue.pricing import MAX_SEATS, MAX_TERM_YEARS, MIN_TERM_YEARS
from core.formatting import money
from core.forms import (
    GovukCheckboxSelectMultiple,
    GovukDateInputWidget,
    GovukRadioSelect,
    PoundsField,
    WholeNumberField,
    four_digit_year,
    gds_helper,
    numeric_input,
    text_errors,
)
from organisations.models import Organisation, OrganisationKind
from organisations.services import organisation_name_clean, organisation_name_taken

from .models import ApplicationStatus
from .services import MAX_REASON_LENGTH, MAX_START_YEARS_AHEAD, latest_requested_start

# Today's cost per seat is stored to the penny in 10 digits: at most £99,999,999.99.
COST_MAX_WHOLE_DIGITS = 8
COST_INVALID = "Enter an amount in pounds and pence, like 2400 or 2400.50"


class StartDateField(DateInputField):
    """GOV.UK date input whose messages say what is wrong with the date (`what`: "start
    date", "end date")."""

    widget = GovukDateInputWidget

    def __init__(
        self,
        *,
        what: str = "start date",
        required_message: str = "Enter the date you want the service to start",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = required_message
        self.error_messages["incomplete"] = f"The {what} must include a day, month and year"
        self.error_messages["invalid"] = f"The {what} must be a real date"
        for subfield, part in zip(self.fields, ("day", "month", "year"), strict=True):
            subfield.validators[0].message = f"The {what}'s {part} must be a number"
            subfield.error_messages |= text_errors(
                f"The {what}'s {part}", incomplete=f"The {what} must include a {part}"
            )
        for subwidget in self.widget.widgets:
            subwidget.attrs["inputmode"] = "numeric"

    def compress(self, data_list) -> dt.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return dt.date(day=int(day), month=int(month), year=four_digit_year(year))
        except ValueError as exc:
            raise forms.ValidationError(
                f"The {self.what} must be a real date", code="invalid"
            ) from exc


# --- the CIO's journey --------------------------------------------------------------------


class OrganisationChoiceForm(forms.Form):
    OWN, NEW = "own", "new"

    organisation = forms.ChoiceField(
        label="Which organisation are you applying for?",
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select which organisation you are applying for",
            "invalid_choice": "Select which organisation you are applying for",
        },
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (self.OWN, organisation.name),
            (
                self.NEW,
                "A new organisation that is not on Flex yet, for example one formed by a merger",
            ),
        ]
        self.helper = gds_helper(
            Field.radios("organisation", legend_size=Size.LARGE, legend_tag="h1")
        )


class NewOrganisationForm(forms.Form):
    name = forms.CharField(
        label="Full name of the organisation",
        max_length=200,
        error_messages=text_errors(
            "The name", max_length=200, required="Enter the full name of the organisation"
        ),
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select the kind of organisation",
            "invalid_choice": "Select the kind of organisation from the list",
        },
    )
    staff = WholeNumberField(
        label="Number of staff",
        min_value=1,
        max_value=10_000_000,
        widget=numeric_input(),
        error_messages={
            "required": "Enter the number of staff",
            "invalid": "The number of staff must be a whole number, like 2000",
            "min_value": "The number of staff must be 1 or more",
            "max_value": "The number of staff must be 10,000,000 or fewer",
        },
    )
    desktops = WholeNumberField(
        label="Number of desktops (optional)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=numeric_input(),
        error_messages={
            "invalid": "The number of desktops must be a whole number, like 1800",
            "min_value": "The number of desktops must be 0 or more",
            "max_value": "The number of desktops must be 10,000,000 or fewer",
        },
    )
    predecessors = forms.MultipleChoiceField(
        label="Organisations it replaces (optional)",
        help_text="Select any organisations whose work the new organisation takes over.",
        required=False,
        widget=GovukCheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select organisations from the list",
            "invalid_list": "Select organisations from the list",
        },
    )

    def __init__(self, *args, predecessors: Sequence[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].choices = [(o.slug, o.name) for o in predecessors]
        self.helper = gds_helper(
            Fieldset(
                Field.text("name"),
                Field.radios("kind", legend_size=Size.SMALL),
                Field.text("staff", field_width=10),
                Field.text("desktops", field_width=10),
                Field.checkboxes("predecessors", legend_size=Size.SMALL, small=True),
                legend="Tell us about the new organisation",
                legend_size=Size.LARGE,
                legend_tag="h1",
            )
        )

    def clean_name(self) -> str:
        name = organisation_name_clean(self.cleaned_data["name"])
        if organisation_name_taken(name):
            raise forms.ValidationError(
                "An organisation with this name already exists: apply for it instead"
            )
        return name


class ServicesForm(forms.Form):
    """Seats per service, `seats_<slug>`; blank means the service is not wanted."""

    def __init__(self, *args, services: Sequence[Service], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.services = list(services)
        for service in self.services:
            price = (
                f"{money(service.current_unit_price)} per seat a year today"
                if service.current_unit_price is not None
                else ""
            )
            self.fields[SEATS_PREFIX + service.slug] = WholeNumberField(
                label=service.name,
                help_text=price,
                required=False,
                min_value=1,
                max_value=MAX_SEATS,
                widget=numeric_input(),
                error_messages={
                    "invalid": f"Seats of {service.name.lower()} must be a whole number, like 2000",
                    "min_value": f"Seats of {service.name.lower()} must be 1 or more, or leave it blank",
                    "max_value": f"Seats of {service.name.lower()} must be {MAX_SEATS:,} or fewer",
                },
            )
        self.helper = gds_helper(
            Fieldset(
                *(Field.text(SEATS_PREFIX + s.slug, field_width=10) for s in self.services),
                legend="How many seats of each service do you need?",
                legend_size=Size.LARGE,
                legend_tag="h1",
            )
        )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and self.services and not self.seats():
            # On the first input, so the error summary links to where to start typing.
            self.add_error(
                SEATS_PREFIX + self.services[0].slug,
                forms.ValidationError(
                    "Enter the number of seats for at least one service", code="required"
                ),
            )
        return data

    def seats(self) -> dict[str, int]:
        return {
            s.slug: self.cleaned_data[SEATS_PREFIX + s.slug]
            for s in self.services
            if self.cleaned_data.get(SEATS_PREFIX + s.slug)
        }


class TermForm(forms.Form):
    term_years = WholeNumberField(
        label="How many years do you want the contract to run for?",
        help_text=f"Between {MIN_TERM_YEARS} and {MAX_TERM_YEARS} years.",
        min_value=MIN_TERM_YEARS,
        max_value=MAX_TERM_YEARS,
        widget=numeric_input(),
        error_messages={
            "required": "Enter how many years you want the contract to run for",
            "invalid": "The contract term must be a whole number of years, like 5",
            "min_value": f"The contract term must be at least {MIN_TERM_YEARS} year",
            "max_value": f"The contract term must be {MAX_TERM_YEARS} years or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("term_years", label_size=Size.LARGE, label_tag="h1", field_width=3)
        )


class StartDateForm(forms.Form):
    requested_start = StartDateField(
        label="When do you want the service to start?",
        help_text="For example, 1 4 2027. It must be within the next "
        f"{MAX_START_YEARS_AHEAD} years.",
        require_all_fields=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field(
                "requested_start",
                context={"legend_size": "govuk-fieldset__legend--l", "legend_tag": "h1"},
            )
        )

    def clean_requested_start(self) -> dt.date:
        start = self.cleaned_data["requested_start"]
        today = timezone.localdate()
        if start < today:
            raise forms.ValidationError("The start date must be today or in the future")
        if start > latest_requested_start(today):
            raise forms.ValidationError(
                f"The start date must be within {MAX_START_YEARS_AHEAD} years from today"
            )
        return start


class CurrentCostForm(forms.Form):
    current_cost_per_seat = PoundsField(
        label="How much do you pay per desktop seat a year today? (optional)",
        help_text="In pounds, for example 2400. We use it to show your saving; leave it blank "
        "if you do not know.",
        required=False,
        max_digits=COST_MAX_WHOLE_DIGITS + 2,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        # Too many digits reads as "not an amount", as it always has on this page.
        error_messages={
            "invalid": COST_INVALID,
            "max_decimal_places": COST_INVALID,
            "max_digits": COST_INVALID,
            "max_whole_digits": COST_INVALID,
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text(
                "current_cost_per_seat", label_size=Size.LARGE, label_tag="h1", field_width=10
            )
        )


# Check your answers: seats more than the organisation seems to need (services.unusual_seats)
# are sent only once the CIO ticks this box.
CONFIRM_SEATS_FIELD = "confirm_unusual_seats"
CONFIRM_SEATS_ID = "confirm-unusual-seats"
CONFIRM_SEATS_LEGEND = "Are these numbers of seats right?"
CONFIRM_SEATS_LABEL = "Yes, these numbers of seats are right"
CONFIRM_SEATS_MISSING = "Confirm that the numbers of seats are right, or change them"


# --- Cabinet Office -----------------------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, noun: str = "application", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = f"Why are you rejecting this {noun}?"
        field.help_text = "The organisation's CIO is sent this reason."
        field.error_messages = text_errors(
            "The reason",
            max_length=MAX_REASON_LENGTH,
            required=f"Enter the reason for rejecting the {noun}",
        )
        self.helper = gds_helper(Field.textarea("reason", label_size=Size.LARGE, label_tag="h1"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors("The reason", max_length=MAX_REASON_LENGTH),
    )

    def __init__(self, *args, noun: str = "application", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = f"Why are you withdrawing the {noun}? (optional)"
        self.helper = gds_helper(Field.textarea("reason", label_size=Size.MEDIUM))


class ApproveForm(forms.Form):
    """The approver's confirmation, with an optional note kept with the decision."""

    note = forms.CharField(
        label="Decision note (optional)",
        help_text="Kept in the audit trail and sent to the organisation's CIO.",
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors("The note", max_length=MAX_REASON_LENGTH),
    )

    def __init__(self, *args, noun: str = "application", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("note", label_size=Size.MEDIUM))


class ChangeSeatsForm(forms.Form):
    """The seats each service should have on the contract after the change, `seats_<slug>`,
    prefilled with today's; 0 or blank means none."""

    def __init__(
        self, *args, services: Sequence[Service], current: dict[str, int], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = list(services)
        self.current = current
        for service in self.services:
            now = current.get(service.slug, 0)
            self.fields[SEATS_PREFIX + service.slug] = WholeNumberField(
                label=service.name,
                help_text=(
                    f"Now {now:,} seats. Enter 0 to remove it."
                    if now
                    else "Not on this contract. Leave blank, or enter seats to add it."
                ),
                required=False,
                min_value=0,
                max_value=MAX_SEATS,
                widget=numeric_input(),
                error_messages={
                    "invalid": f"Seats of {service.name.lower()} must be a whole number, like 600",
                    "min_value": f"Seats of {service.name.lower()} must be 0 or more",
                    "max_value": f"Seats of {service.name.lower()} must be {MAX_SEATS:,} or fewer",
                },
            )
        self.helper = gds_helper(
            Fieldset(
                *(Field.text(SEATS_PREFIX + s.slug, field_width=10) for s in self.services),
                legend="How many seats of each service should the contract have?",
                legend_size=Size.LARGE,
                legend_tag="h1",
            )
        )

    def seats_after(self) -> dict[str, int]:
        """The services whose seats the answers change, and their seats afterwards."""
        after = {}
        for service in self.services:
            seats = self.cleaned_data.get(SEATS_PREFIX + service.slug) or 0
            if seats != self.current.get(service.slug, 0):
                after[service.slug] = seats
        return after


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    type = forms.ChoiceField(
        label="Type",
        choices=[("", "Sign-ups and changes"), ("sign-up", "Sign-ups"), ("change", "Changes")],
        required=False,
        error_messages={"invalid_choice": "Select a type from the list"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.select("status"), Field.select("type"))


class EndContractForm(forms.Form):
    """Notice to end a contract on a day, or today to end it now; the service checks the day
    against the term (contracts.services.contract_end_date_validate)."""

    on = StartDateField(
        what="end date",
        required_message="Enter the date the contract should end",
        label="When should the contract end?",
        help_text="For example, 31 3 2027. Enter today's date to end it now.",
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Why is the contract ending? (optional)",
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors("The reason", max_length=MAX_REASON_LENGTH),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if reason_required:
            # Cabinet Office ending another organisation's contract (applications.lifecycle).
            self.fields["reason"].label = "Why is the contract ending?"
            self.fields["reason"].help_text = "The organisation's CIO is told this reason."
        self.helper = gds_helper(
            Field("on", context={"legend_size": "govuk-fieldset__legend--m", "legend_tag": "h2"}),
            Field.textarea("reason", label_size=Size.MEDIUM),
        )
