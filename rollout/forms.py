"""GOV.UK forms for rollout pages. They check only what a person can get wrong in the form
(a real date, a whole number); the rules live in rollout/services.py, whose errors the views
put back on these forms' fields."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from contracts.models import Contract
from core.forms import (
    GovukDateInputWidget,
    GovukRadioSelect,
    four_digit_year,
    gds_helper,
    numeric_input,
    text_errors,
)

from . import services
from .models import RolloutTemplate, WaveStatus

SEATS_ERRORS = {
    "required": "Enter the number of seats",
    "invalid": "Enter the number of seats as a whole number, like 250",
}


class GovukDateField(DateInputField):
    """GOV.UK date input (day, month, year) with messages that name the date and refuse a
    half-filled date rather than silently dropping it."""

    widget = GovukDateInputWidget

    def __init__(self, *, label: str, required: bool = True, **kwargs) -> None:
        self.what = label[0].lower() + label[1:]
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {self.what}"
        self.error_messages["incomplete"] = f"The {self.what} must include a day, month and year"
        self.error_messages["invalid"] = f"The {self.what} must be a real date"
        for sub in self.fields:
            sub.required = False
            sub.validators = []

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [])][:3]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month = int(parts[0]), int(parts[1])
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        year = four_digit_year(parts[2])
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _seats_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        error_messages=SEATS_ERRORS,
        widget=numeric_input(),
        **kwargs,
    )


class WaveForm(forms.Form):
    name = forms.CharField(
        max_length=services.MAX_WAVE_NAME,
        error_messages=text_errors(
            "The wave name",
            max_length=services.MAX_WAVE_NAME,
            required="Enter a name for the wave",
        ),
    )
    site = forms.CharField(
        label="Site or business unit",
        max_length=services.MAX_WAVE_NAME,
        required=False,
        error_messages=text_errors("The site or business unit", max_length=services.MAX_WAVE_NAME),
    )
    seats = _seats_field(label="Seats")
    planned_start = GovukDateField(label="Planned start date", help_text="For example, 27 3 2027")
    planned_end = GovukDateField(label="Planned end date")
    status = forms.ChoiceField(
        choices=WaveStatus.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose a status", "invalid_choice": "Choose a status"},
    )
    actual_start = GovukDateField(
        label="Actual start date", required=False, help_text="Leave blank if not started"
    )
    actual_end = GovukDateField(
        label="Actual end date",
        required=False,
        help_text="The day the wave's seats went live. Needed to mark the wave as done",
    )
    blocked_reason = forms.CharField(
        label="Why is the wave blocked?",
        required=False,
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if the status is blocked",
        error_messages=text_errors("The reason", max_length=services.MAX_REASON),
    )

    def __init__(self, *args, seats_hint: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seats"].help_text = seats_hint
        self.helper = gds_helper(
            Field.text("name", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.text("site", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.text("seats", label_size=Size.SMALL, field_width=5),
            Field("planned_start", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field("planned_end", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.radios("status", legend_size=Size.SMALL),
            Field("actual_start", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field("actual_end", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.textarea("blocked_reason", label_size=Size.SMALL, rows=3),
            Button("submit", "Save changes"),
        )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return (
            f"{obj.reference}: {obj.organisation.display_name}, {obj.get_kind_display().lower()}, "
            f"{obj.seats_contracted:,} seats, starting {obj.start_date:%-d %B %Y}"
        )


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RolloutTemplate) -> str:
        phases = list(obj.phases.all())
        if not phases:
            return obj.name
        days = max(p.offset_days + p.duration_days for p in phases)
        return f"{obj.name}: {len(phases)} waves over {days} days"


class PlanFromTemplateForm(forms.Form):
    contract = ContractChoiceField(
        queryset=Contract.objects.none(),
        to_field_name="reference",
        widget=GovukRadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the contract to plan",
            "invalid_choice": "Choose one of the contracts listed",
        },
    )
    template = TemplateChoiceField(
        queryset=RolloutTemplate.objects.none(),
        widget=GovukRadioSelect,
        empty_label=None,
        label="Rollout template",
        error_messages={
            "required": "Choose a template",
            "invalid_choice": "Choose one of the templates listed",
        },
    )
    start_date = GovukDateField(
        label="Start date",
        help_text="The day the plan starts: the template's first wave or milestone falls on it. For example, 7 6 2027",
    )
    seats = _seats_field(
        label="Seats to roll out",
        help_text="Usually all the seats under the contract",
    )

    def __init__(self, *args, contracts, templates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["template"].queryset = templates
        self.helper = gds_helper(
            Field.radios("contract", legend_size=Size.MEDIUM),
            Field.radios("template", legend_size=Size.MEDIUM),
            Field("start_date", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field.text("seats", label_size=Size.MEDIUM, field_width=5),
            Button("submit", "Create rollout plan"),
        )


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(
        label="Template name",
        max_length=services.MAX_TEMPLATE_NAME,
        error_messages=text_errors(
            "The template name",
            max_length=services.MAX_TEMPLATE_NAME,
            required="Enter a name for the template",
        ),
    )
    description = forms.CharField(
        required=False,
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the template suits, and what was learnt from this rollout",
        error_messages=text_errors("The description", max_length=services.MAX_DESCRIPTION),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("name", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.textarea("description", label_size=Size.SMALL, rows=4),
            Button("submit", "Save as template"),
        )
