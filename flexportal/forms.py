"""Form pieces every app's GOV.UK forms share."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from crispy_forms_gds.widgets import DateInputWidget
from django import forms


def gds_helper(*fields) -> FormHelper:
    """A crispy-forms-gds helper for a form the template wraps in its own <form>.

    The template's <form> carries the CSRF token where it posts; a GET form (a search, a quote)
    carries none, so no token ends up in a bookmarkable address or a shared cached page.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def numeric_input(**attrs: str) -> forms.TextInput:
    """GOV.UK asks for text inputs with a numeric keyboard rather than type="number"."""
    return forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", **attrs})


class WholeNumberField(forms.IntegerField):
    """A whole number as people type it: spaces and thousands separators are allowed."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "")
        return super().to_python(value)


# The error summary links to `field.id_for_label`: for radios, checkboxes and the date input
# that must be the first input, which crispy-forms-gds numbers from 1 (the date from 0).


class GovukRadioSelect(forms.RadioSelect):
    def id_for_label(self, id_, index=None):
        if index is None:
            return f"{id_}_1" if id_ else id_
        return super().id_for_label(id_, index)


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        if index is None:
            return f"{id_}_1" if id_ else id_
        return super().id_for_label(id_, index)


class GovukDateInputWidget(DateInputWidget):
    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_
