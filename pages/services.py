"""Writes to the pages app's one table: feedback people send about the service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import MAX_EMAIL_LENGTH, MAX_IMPROVEMENT_LENGTH, Feedback, Satisfaction


def _refuse_null_characters(**fields: str) -> None:
    # PostgreSQL refuses a NUL byte in text (a 500 from DataError); no keyboard types one.
    errors = {
        name: "must not include a null character"
        for name, value in fields.items()
        if "\x00" in value
    }
    if errors:
        raise ValidationError(
            {name: f"The {name.replace('_', ' ')} {message}" for name, message in errors.items()}
        )


@transaction.atomic
def feedback_create(*, satisfaction: str, improvement: str = "", email: str = "") -> Feedback:
    """Record one answer to the feedback form. `improvement` and `email` are optional; text
    is refused past its bound (MAX_IMPROVEMENT_LENGTH, MAX_EMAIL_LENGTH) or with a NUL byte,
    and the satisfaction must be one of `Satisfaction`, so nothing half-valid is stored."""
    improvement, email = improvement.strip(), email.strip()
    _refuse_null_characters(improvement=improvement, email=email)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "Select how satisfied you are with this service"})
    if len(improvement) > MAX_IMPROVEMENT_LENGTH:
        raise ValidationError(
            {"improvement": f"Your answer must be {MAX_IMPROVEMENT_LENGTH:,} characters or fewer"}
        )
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValidationError(
            {"email": f"Your email address must be {MAX_EMAIL_LENGTH} characters or fewer"}
        )
    feedback = Feedback(satisfaction=satisfaction, improvement=improvement, email=email)
    try:
        feedback.full_clean()
    except ValidationError as error:
        if "email" in error.message_dict:
            raise ValidationError(
                {"email": "Enter an email address in the correct format, like name@example.com"}
            ) from None
        raise
    feedback.save()
    return feedback
