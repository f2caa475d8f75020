"""The audit view's filters: a GOV.UK form whose every refusal is a message in the error
summary. The organisation and actor are typed, not chosen from a list, so the page stays the
same size however many organisations and users there are."""

from __future__ import annotations

from django import forms

from core.forms import text_errors
from procurement.forms import ContractFilterForm, FilterDateField

from . import selectors
from .selectors import KINDS, AuditFilters

MAX_PAGE = 10_000


class AuditFilterForm(ContractFilterForm):
    kind = forms.ChoiceField(
        label="Type of record",
        required=False,
        choices=[("", "Any"), *((name, kind.label) for name, kind in KINDS.items())],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose a type of record from the list"},
    )
    organisation = forms.CharField(
        label="Organisation (name, short name or slug)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        error_messages=text_errors("The organisation", max_length=200),
    )
    actor = forms.CharField(
        label="Changed by (username)",
        required=False,
        max_length=150,
        widget=forms.TextInput(
            attrs={"class": "govuk-input", "spellcheck": "false", "autocomplete": "off"}
        ),
        error_messages=text_errors("The username", max_length=150),
    )
    changed_from = FilterDateField(label="Changed on or after", required=False)
    changed_to = FilterDateField(label="Changed on or before", required=False)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "The page must be a whole number",
            "min_value": "The page must be 1 or more",
            "max_value": f"The page must be {MAX_PAGE:,} or less: narrow the filters instead",
        },
    )

    def clean_organisation(self):
        text = self.cleaned_data["organisation"].strip()
        if not text:
            return None
        organisation = selectors.organisation_find(text)
        if organisation is None:
            raise forms.ValidationError(
                "Enter the name, short name or slug of an organisation in the portal"
            )
        return organisation

    def clean_actor(self):
        text = self.cleaned_data["actor"].strip()
        if not text:
            return None
        user = selectors.user_find(text)
        if user is None:
            raise forms.ValidationError("Enter the username of a portal user")
        return user

    def clean(self) -> dict:
        cleaned = forms.Form.clean(self)
        start, end = cleaned.get("changed_from"), cleaned.get("changed_to")
        if start and end and start > end:
            self.add_error(
                "changed_to",
                "Changed on or before must be the same as or after changed on or after",
            )
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            kind=data.get("kind") or None,
            organisation=data.get("organisation"),
            actor=data.get("actor"),
            changed_from=data.get("changed_from"),
            changed_to=data.get("changed_to"),
        )
