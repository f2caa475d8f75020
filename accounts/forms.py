from crispy_forms_gds.layout import Button, Field, Fluid
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.forms import gds_helper


class LoginForm(AuthenticationForm):
    """Django's sign-in form, laid out the GOV.UK way."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages = {"required": "Enter your username"}
        self.fields["password"].error_messages = {"required": "Enter your password"}
        self.fields["username"].widget = forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        )
        self.helper = gds_helper(
            Field.text("username", field_width=Fluid.ONE_THIRD),
            Field.text("password", field_width=Fluid.ONE_THIRD),
            Button("submit", "Sign in"),
        )
