"""Form pieces every app's GOV.UK forms share."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from .money import has_too_many_decimal_places, parse_pounds


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


# GOV.UK's date input pattern: a year of other than four digits ("27") is refused with this,
# never read as the year 27.
YEAR_MESSAGE = "Year must include 4 numbers"


def four_digit_year(year: str) -> int:
    """The year typed in a date input, refused unless it is 4 digits (`YEAR_MESSAGE`)."""
    year = str(year).strip()
    if not (len(year) == 4 and year.isdigit()):
        raise ValidationError(YEAR_MESSAGE, code="year")
    return int(year)


def text_errors(what: str, *, max_length: int | None = None, **messages: str) -> dict[str, str]:
    """GOV.UK messages for a text field, `what` naming it as a sentence would ("The wave
    name"): too long (with `max_length`), a null character (no keyboard types one, but a paste
    or a script can), and any others by code, such as `required=`."""
    errors = {"null_characters_not_allowed": f"{what} must not include a null character"}
    if max_length is not None:
        errors["max_length"] = f"{what} must be {max_length:,} characters or fewer"
    return {**errors, **messages}


# A password longer than this is refused before authentication (no password manager makes
# one), as a username longer than the user model's is: django-axes records a failed sign-in's
# username in a 255-character column, and hashing a megabyte password is wasted work.
MAX_PASSWORD_LENGTH = 1024
PASSWORD_TOO_LONG = f"Your password must be {MAX_PASSWORD_LENGTH:,} characters or fewer"


def bound_sign_in(form: forms.Form) -> None:
    """Make Django's sign-in form refuse, as field errors before it authenticates, a username
    longer than the user model's (AuthenticationForm sets only the input's maxlength) and a
    password longer than MAX_PASSWORD_LENGTH."""
    username, password = form.fields["username"], form.fields["password"]
    password.max_length = MAX_PASSWORD_LENGTH
    password.error_messages.setdefault("max_length", PASSWORD_TOO_LONG)
    for field in (username, password):
        field.validators.append(validators.MaxLengthValidator(field.max_length))


def numeric_input(**attrs: str) -> forms.TextInput:
    """GOV.UK asks for text inputs with a numeric keyboard rather than type="number"."""
    return forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", **attrs})


class WholeNumberField(forms.IntegerField):
    """A whole number as people type it: spaces and thousands separators are allowed."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "")
        return super().to_python(value)


class PoundsField(forms.DecimalField):
    """An amount in pounds and pence as people type it: "2400", "2,400.50" or "£2400.50"
    (`core.money.parse_pounds`), cleaned to a Decimal in pence, or None when blank.

    Limits and wording are the form's own: `min_value`, `max_digits` and `decimal_places` as for
    any DecimalField, and `error_messages`, where "invalid" is for text that is not an amount
    and "max_decimal_places" for one with more than two decimal places.
    """

    default_error_messages = {
        "invalid": "Enter an amount in pounds and pence, like 2400 or 2400.50",
        "max_decimal_places": "Enter an amount in pounds and pence, like 2400 or 2400.50",
    }

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        amount = parse_pounds(str(value))
        if amount is None:
            code = "max_decimal_places" if has_too_many_decimal_places(str(value)) else "invalid"
            raise ValidationError(self.error_messages[code], code=code)
        return amount


def service_error_items(error: ValidationError) -> list[tuple[str | None, str]]:
    """A service's `ValidationError` as (field, message) pairs, in order: the field it names
    (as named, "__all__" included), or None for an error that names no field."""
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    return [
        (field, message) for field, messages in error.message_dict.items() for message in messages
    ]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names if the form has that field,
    else above the form (a non-field error)."""
    for field, message in service_error_items(error):
        form.add_error(field if field in form.fields else None, message)


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
