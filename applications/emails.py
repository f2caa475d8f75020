"""Emails to applicants. Sent only once the decision has committed, so nobody is told of a
decision that was rolled back; a mail server failure is logged and never undoes it."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import Role, User

from .models import SignUpApplication

logger = logging.getLogger(__name__)


def application_decision_email_send_on_commit(*, application_id: int) -> None:
    transaction.on_commit(partial(application_decision_email_send, application_id=application_id))


def application_decision_email_send(*, application_id: int) -> int:
    """Tell the applicant organisation's CIOs (and whoever created the application) the
    decision. Returns the number of messages sent."""
    application = (
        SignUpApplication.objects.select_related("organisation", "created_by", "decided_by")
        .prefetch_related("contract__lines__service")
        .get(pk=application_id)
    )
    recipients = applicant_addresses(application)
    if not recipients:
        logger.warning(
            "No address to tell the applicant of a decision",
            extra={"application": application.reference},
        )
        return 0
    context = {"application": application, "contract": getattr(application, "contract", None)}
    subject = " ".join(
        render_to_string("applications/emails/decision_subject.txt", context).split()
    )
    body = render_to_string("applications/emails/decision_body.txt", context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )
    try:
        return message.send()
    except Exception:
        logger.exception(
            "Could not send the decision email", extra={"application": application.reference}
        )
        return 0


def applicant_addresses(application: SignUpApplication) -> list[str]:
    cios = User.objects.filter(
        organisation_id=application.organisation_id, groups__name=Role.CIO.value, is_active=True
    ).exclude(email="")
    addresses = [application.created_by.email, *cios.values_list("email", flat=True)]
    return sorted({address for address in addresses if address})
