"""API plumbing shared by every app: errors as `{"field": ["message"]}`, and slugs that never
reach the database when they cannot be slugs."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict

logger = logging.getLogger(__name__)


class ConflictError(exceptions.APIException):
    """409: the object is not in a state that allows this (e.g. approving a withdrawn application)."""

    status_code = 409
    default_detail = "This cannot be done in the object's current state."
    default_code = "conflict"


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField that answers "does not exist" for anything that is not a slug
    without asking the database, which refuses some text (NUL bytes) with an error."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not slug_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus the services' refusals: Django's ValidationError as 400 with field
    errors, PermissionDenied as 403 and `errors.Conflict` as 409, each keeping its message."""
    if isinstance(exc, DjangoValidationError):
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
