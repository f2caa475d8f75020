"""The feedback form. It checks what a person can get wrong in it; the bounds are the service's
(pages/services.py), whose refusals the view puts back on these fields."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms import GovukRadioSelect, gds_helper, text_errors

from .models import MAX_EMAIL_LENGTH, MAX_IMPROVEMENT_LENGTH, Satisfaction

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="Overall, how did you feel about the service you received today?",
        choices=Satisfaction.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select how satisfied you are with this service",
            "invalid_choice": "Select how satisfied you are with this service",
        },
    )
    improvement = forms.CharField(
        label="How could we improve this service?",
        help_text="Do not include personal or financial information, like your National "
        "Insurance number or credit card details.",
        required=False,
        max_length=MAX_IMPROVEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=text_errors("Your answer", max_length=MAX_IMPROVEMENT_LENGTH),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="Only if you would like us to reply. We will not use it for anything else.",
        required=False,
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=text_errors(
            "Your email address", max_length=MAX_EMAIL_LENGTH, invalid=EMAIL_INVALID
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # GOV.UK's character count lets people type past the limit and says by how much: a
        # maxlength would cut a pasted answer short without telling them.
        self.fields["improvement"].widget.attrs.pop("maxlength", None)
        self.helper = gds_helper(
            Field.radios("satisfaction", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea(
                "improvement",
                label_size=Size.MEDIUM,
                label_tag="h2",
                rows=5,
                max_characters=MAX_IMPROVEMENT_LENGTH,
            ),
            Field.text("email", label_size=Size.SMALL),
        )
