"""What sign-up applications tell people, through the notification outbox (notifications/):
the applicant that its application arrived, the approvers that one is waiting, and the
applicant the decision. Each function is called from the service making the change, inside its
transaction, so a change that rolls back tells nobody; the messages go once it commits."""

from __future__ import annotations

from django.utils.formats import date_format

from core.formatting import money, seats
from notifications.models import TemplateKey
from notifications.selectors import approver_addresses, cio_addresses
from notifications.services import notification_enqueue

from .models import ApplicationStatus, ChangeRequest, ChangeStatus, SignUpApplication


def applicant_addresses(application: SignUpApplication) -> list[str]:
    """Whoever created the application, and the applying organisation's active CIOs."""
    cios = cio_addresses(organisation_ids=[application.organisation_id])
    return [application.created_by.email, *cios.get(application.organisation_id, [])]


def _services(application: SignUpApplication) -> str:
    return "\n".join(
        f"* {line.service.name}: {seats(line.seats)} seats"
        for line in application.lines.select_related("service").order_by("service__name")
    )


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def application_submitted_notify(*, application: SignUpApplication) -> None:
    """On submission: tell the applicant it arrived, and the approvers it is waiting."""
    application_received_notify(application=application)
    application_waiting_notify(application=application)


def application_received_notify(*, application: SignUpApplication) -> None:
    notification_enqueue(
        template=TemplateKey.APPLICATION_RECEIVED,
        recipients=applicant_addresses(application),
        key=f"application-received:{application.pk}",
        personalisation={
            "organisation": application.organisation.name,
            "reference": application.reference,
            "submitted_on": _day(application.submitted_at),
            "services": _services(application),
        },
    )


def application_waiting_notify(*, application: SignUpApplication) -> None:
    notification_enqueue(
        template=TemplateKey.APPLICATION_WAITING,
        recipients=approver_addresses(),
        key=f"application-waiting:{application.pk}",
        personalisation={
            "organisation": application.organisation.name,
            "reference": application.reference,
            "submitted_on": _day(application.submitted_at),
            "services": _services(application),
        },
    )


def application_decision_notify(*, application: SignUpApplication) -> None:
    """On approval or rejection: tell the applicant, with the contract approval created."""
    approved = application.status == ApplicationStatus.APPROVED
    contract = application.contract if approved else None
    prices = ""
    if contract is not None:
        prices = "\n".join(
            f"* {line.service.name}: {seats(line.seats)} seats at"
            f" {money(line.unit_price_at_signing)} per seat per year"
            for line in contract.lines.select_related("service").order_by("service__name")
        )
    notification_enqueue(
        template=TemplateKey.APPLICATION_DECISION,
        recipients=applicant_addresses(application),
        key=f"application-decision:{application.pk}",
        personalisation={
            "organisation": application.organisation.name,
            "reference": application.reference,
            "decision": application.get_status_display().lower(),
            "decided_on": _day(application.decided_at),
            "approved": "yes" if approved else "no",
            "reason": application.reason,
            "contract_reference": contract.reference if contract else "",
            "contract_start": _day(contract.start_date) if contract else "",
            "contract_term_years": str(contract.term_years) if contract else "",
            "prices": prices,
        },
    )


def change_decision_notify(*, change_request: ChangeRequest) -> None:
    """On approval or rejection of a change request: tell the organisation's CIOs and whoever
    asked, with the approver's note or the reason."""
    cios = cio_addresses(organisation_ids=[change_request.organisation_id])
    notification_enqueue(
        template=TemplateKey.CHANGE_DECISION,
        recipients=[change_request.created_by.email, *cios.get(change_request.organisation_id, [])],
        key=f"change-decision:{change_request.pk}",
        personalisation={
            "organisation": change_request.organisation.name,
            "reference": change_request.reference,
            "contract_reference": change_request.contract.reference,
            "decision": change_request.get_status_display().lower(),
            "approved": "yes" if change_request.status == ChangeStatus.APPROVED else "no",
            "decided_on": _day(change_request.decided_at),
            "reason": change_request.reason,
            "changes": "\n".join(
                f"* {line.service.name}: {seats(line.seats_before)} to"
                f" {seats(line.seats_after)} seats"
                for line in change_request.lines.select_related("service")
            ),
        },
    )
