"""API plumbing shared by every app: errors as `{"field": ["message"]}`, and slugs that never
reach the database when they cannot be slugs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.parsers import too_big_message
from core.errors import Conflict
from core.forms import MAX_PASSWORD_LENGTH, PASSWORD_TOO_LONG

logger = logging.getLogger(__name__)
T = TypeVar("T")


class ConflictError(exceptions.APIException):
    """409: the object is not in a state that allows this (e.g. approving a withdrawn application)."""

    status_code = 409
    default_detail = "This cannot be done in the object's current state."
    default_code = "conflict"


# Refusals never echo the caller's input: it may hold anything, even text that cannot be
# encoded (a lone surrogate), and the message is clearer for saying what was expected.


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField that answers "does not exist" for anything that is not a slug
    without asking the database, which refuses some text (NUL bytes) with an error."""

    default_error_messages = {"does_not_exist": "There is no {model} with this {slug_name}."}

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, str) and slug_re.fullmatch(data):
            found = queryset.filter(**{self.slug_field: data}).first()
            if found is not None:
                return found
        self.fail(
            "does_not_exist", model=queryset.model._meta.verbose_name, slug_name=self.slug_field
        )


class ChoiceField(serializers.ChoiceField):
    """DRF's ChoiceField, whose refusal lists the choices instead of echoing the input."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(choices, **kwargs)
        if "invalid_choice" not in kwargs.get("error_messages", {}):
            listed = ", ".join(str(choice) for choice in self.choices)
            self.error_messages["invalid_choice"] = f"Choose one of: {listed}."


def sign_in_password_field() -> serializers.CharField:
    """DRF's sign-in password field (AuthTokenSerializer's), refusing a password longer than
    the sign-in page takes (`core.forms.bound_sign_in`) before authentication runs."""
    return serializers.CharField(
        label="Password",
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=MAX_PASSWORD_LENGTH,
        error_messages={"max_length": PASSWORD_TOO_LONG},
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus the services' refusals: Django's ValidationError as 400 with field
    errors, PermissionDenied as 403 and `errors.Conflict` as 409, each keeping its message; and
    a body over Django's size bound as the JSON parser's 400."""
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(too_big_message())
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in errs] for field, errs in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Conflict):
        exc = ConflictError(str(exc) or None)
    return drf_exception_handler(exc, context)


def get_for_write(get: Callable[[], T], *, sees_everything: bool, refusal: str) -> T:
    """The object a write acts on, read with the caller's own visibility (`get` raises Http404
    for one they may not see). A caller who sees every such object gets that 404; anyone else
    gets 403 with `refusal`, whether or not the object exists, so a write never reveals another
    organisation's record (docs/interface.md: writes by anyone else get 403)."""
    try:
        return get()
    except Http404:
        if sees_everything:
            raise
        raise exceptions.PermissionDenied(refusal) from None
