from crispy_forms_gds.layout import Button, Field, Fluid
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.forms import bound_sign_in, gds_helper, text_errors


class LoginForm(AuthenticationForm):
    """Django's sign-in form, laid out the GOV.UK way."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages = text_errors(
            "Your username",
            max_length=self.fields["username"].max_length,
            required="Enter your username",
        )
        self.fields["password"].error_messages = text_errors(
            "Your password", required="Enter your password"
        )
        self.fields["username"].widget = forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        )
        self.helper = gds_helper(
            Field.text("username", field_width=Fluid.ONE_THIRD),
            Field.text("password", field_width=Fluid.ONE_THIRD),
            Button("submit", "Sign in"),
        )
        bound_sign_in(self)
