"""Writes to sign-up applications: one function per transition.

    draft -> submitted -> approved | rejected | withdrawn

Every transition locks the application row (so two concurrent requests cannot both make the
same move), checks the move is allowed from the current status and that the actor may make it
(accounts.permissions), and writes an ApplicationEvent in the same transaction. Refusals raise
before anything is written:

- PermissionDenied: the actor may not make this move (HTTP 403);
- TransitionNotAllowed: the application's status does not allow it (HTTP 409);
- ValidationError: bad input, e.g. a rejection without a reason (HTTP 400).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from accounts.services import user_organisation_move
from catalogue.models import Category, Service, ServiceKind
from catalogue.pricing import MAX_SEATS, MAX_TERM_YEARS, MIN_TERM_YEARS
from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.models import ContractKind
from core.dates import add_years
from core.errors import Conflict
from core.references import reference_next
from organisations.models import MembershipStatus, Organisation
from organisations.services import (
    NAME_TAKEN,
    organisation_create,
    organisation_lock,
    organisation_membership_start,
    organisation_name_taken,
)
from repricing.services import repricing_request

from . import selectors
from .models import (
    ApplicationAction,
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    SignUpApplication,
)
from .notices import application_decision_notify, application_submitted_notify

REFERENCE_PREFIX = "FLEX"
INTEGRATION = Category.INTEGRATION
MAX_START_YEARS_AHEAD = 3
MAX_REASON_LENGTH = 2000


class TransitionNotAllowed(Conflict):
    """The application's current status does not allow the move (HTTP 409)."""


@dataclass(frozen=True)
class LineInput:
    service: Service
    seats: int


@dataclass(frozen=True)
class NewOrganisationInput:
    """An organisation that does not exist yet (for example one formed by a merger),
    described by the CIO applying for it."""

    name: str
    kind: str
    staff: int
    desktops: int | None = None
    predecessors: tuple[Organisation, ...] = ()


@dataclass(frozen=True)
class Applicant:
    """What an application's seats are checked against: the organisation applying, or the
    new one described."""

    staff: int
    desktops: int | None
    is_member: bool

    @classmethod
    def of(cls, organisation: Organisation) -> Applicant:
        return cls(
            staff=organisation.staff,
            desktops=organisation.desktops,
            is_member=organisation.membership_status == MembershipStatus.ACTIVE,
        )

    @classmethod
    def new(cls, new_organisation: NewOrganisationInput) -> Applicant:
        return cls(
            staff=new_organisation.staff, desktops=new_organisation.desktops, is_member=False
        )


@dataclass(frozen=True)
class UnusualSeats:
    """Seats of one service that are more than the organisation seems to need: more than its
    staff, or, for an optional extra, more than its desktops. Allowed once confirmed."""

    service: Service
    seats: int
    compared_with: int
    unit: str  # "staff" or "desktops"

    @property
    def question(self) -> str:
        return (
            f"You asked for {self.seats:,} {self.service.name.lower()} seats for"
            f" {self.compared_with:,} {self.unit}. Is that right?"
        )


def unusual_seats(*, lines: Sequence[LineInput], applicant: Applicant) -> list[UnusualSeats]:
    """Lines asking for more seats than the applicant seems to need, one entry a line: more
    than its staff; or, for an optional extra, more than the core seats asked for (else the
    desktops it has), since an extra serves desktops."""
    core_seats = sum(line.seats for line in lines if line.service.kind == ServiceKind.CORE)
    desktops = core_seats or applicant.desktops
    found = []
    for line in lines:
        if line.seats > applicant.staff:
            found.append(UnusualSeats(line.service, line.seats, applicant.staff, "staff"))
        elif (
            line.service.kind != ServiceKind.CORE and desktops is not None and line.seats > desktops
        ):
            found.append(UnusualSeats(line.service, line.seats, desktops, "desktops"))
    return found


def _core_missing(lines: Sequence[LineInput]) -> str | None:
    """The refusal for a joining organisation's lines without the core service, if it is
    missing (and offered: with none offered, nobody could join)."""
    if any(line.service.kind == ServiceKind.CORE for line in lines):
        return None
    core = Service.objects.filter(kind=ServiceKind.CORE, active=True).order_by("name").first()
    if core is None:
        return None
    name = core.name.lower()
    return f"Enter the number of {name} seats: every organisation joining Flex takes {name}."


# --- create -------------------------------------------------------------------------------


def application_terms_validate(
    *,
    lines: Sequence[LineInput],
    term_years: int,
    requested_start: dt.date,
    current_cost_per_seat: Decimal | None,
    applicant: Applicant | None = None,
    confirm_unusual_seats: bool = False,
    today: dt.date | None = None,
    contract_kind: str = ContractKind.PLATFORM,
) -> None:
    """The rules an application's terms keep, as field errors (forms and serializers repeat
    them only to word the message for their own fields).

    With the `applicant`: an organisation that is not yet a member must take the core
    service, and seats more than it seems to need (`unusual_seats`) are refused under
    `confirm_unusual_seats`, each saying what is unusual, unless `confirm_unusual_seats`.
    An integration call-off (`contract_kind`) covers integration services only, and needs
    no core service."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = ["Choose at least one service and enter its number of seats."]
    elif len({line.service.pk for line in lines}) != len(lines):
        errors["lines"] = ["Enter each service only once."]
    elif any(not 1 <= line.seats <= MAX_SEATS for line in lines):
        errors["lines"] = [f"Seats must be between 1 and {MAX_SEATS:,} for each service."]
    elif any(not line.service.active for line in lines):
        errors["lines"] = ["A chosen service is no longer offered."]
    elif contract_kind == ContractKind.INTEGRATION and (
        outside := [line.service.name for line in lines if line.service.category != INTEGRATION]
    ):
        errors["lines"] = [
            f"An integration call-off covers integration services only, so it cannot include "
            f"{outside[0].lower()}."
        ]
    elif (
        contract_kind == ContractKind.PLATFORM
        and applicant is not None
        and not applicant.is_member
        and (missing := _core_missing(lines))
    ):
        errors["lines"] = [missing]
    if not MIN_TERM_YEARS <= term_years <= MAX_TERM_YEARS:
        errors["term_years"] = [
            f"The term must be between {MIN_TERM_YEARS} and {MAX_TERM_YEARS} years."
        ]
    if requested_start < today:
        errors["requested_start"] = ["The start date must be today or in the future."]
    elif requested_start > latest_requested_start(today):
        errors["requested_start"] = [
            f"The start date must be within {MAX_START_YEARS_AHEAD} years from today."
        ]
    if current_cost_per_seat is not None and current_cost_per_seat < 0:
        errors["current_cost_per_seat"] = ["Enter a cost of £0 or more."]
    # Asked only of terms that are otherwise right, so the answer is about the final numbers.
    unusual = (
        unusual_seats(lines=lines, applicant=applicant)
        if not errors and applicant is not None and not confirm_unusual_seats
        else []
    )
    if unusual:
        errors["confirm_unusual_seats"] = [u.question for u in unusual]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_create(
    *,
    actor: User,
    lines: Sequence[LineInput],
    term_years: int,
    requested_start: dt.date,
    current_cost_per_seat: Decimal | None = None,
    new_organisation: NewOrganisationInput | None = None,
    confirm_unusual_seats: bool = False,
    at: dt.datetime | None = None,
    contract_kind: str = ContractKind.PLATFORM,
) -> SignUpApplication:
    """A draft application for the actor's organisation, or for a new organisation it
    describes. A new organisation is created as prospective; the CIO stays in their own
    organisation (keeping its contracts) and, as the application's creator, may see, submit
    and withdraw it (accounts.permissions); their account moves to the new organisation only
    when the application is approved. `at` (default now) dates records brought in from
    elsewhere, such as the demo.

    A member already holding a full platform contract cannot apply for a second one: it
    changes that contract (applications/changes.py) or applies for an integration call-off."""
    if not permissions.can_apply(actor):
        raise PermissionDenied("Only a chief information officer can apply to join Flex.")
    if new_organisation is None:
        # The row lock serialises two applications for the same organisation, so the
        # "one open application" check below cannot be raced.
        organisation = organisation_lock(organisation_id=actor.organisation_id)
    elif organisation_name_taken(new_organisation.name):
        # Whatever else it says, the application is for an organisation that exists.
        raise ValidationError({"name": [NAME_TAKEN]})
    application_terms_validate(
        lines=lines,
        term_years=term_years,
        requested_start=requested_start,
        current_cost_per_seat=current_cost_per_seat,
        applicant=Applicant.new(new_organisation)
        if new_organisation is not None
        else Applicant.of(organisation),
        confirm_unusual_seats=confirm_unusual_seats,
        contract_kind=contract_kind,
    )
    if new_organisation is None and contract_kind == ContractKind.PLATFORM:
        platform = contract_selectors.organisation_platform_contract(
            organisation_id=organisation.pk
        )
        if platform is not None:
            raise ValidationError(
                {
                    "contract_kind": [
                        f"{organisation.display_name} already has a full platform contract, "
                        f"{platform.reference}: change that contract instead, or apply for an "
                        "integration call-off."
                    ]
                }
            )
    if new_organisation is not None:
        organisation = organisation_create(
            name=new_organisation.name,
            kind=new_organisation.kind,
            staff=new_organisation.staff,
            desktops=new_organisation.desktops,
            predecessors=new_organisation.predecessors,
        )
    if organisation.membership_status == MembershipStatus.DISSOLVED:
        raise TransitionNotAllowed(
            f"{organisation.name} has been dissolved, so it cannot apply to join Flex."
        )
    open_application = selectors.organisation_open_application(organisation_id=organisation.pk)
    if open_application is not None:
        raise TransitionNotAllowed(
            f"{organisation.name} already has an open application, {open_application.reference}."
        )
    now = at or timezone.now()
    application = SignUpApplication(
        reference=reference_next(
            prefix=REFERENCE_PREFIX, year=timezone.localdate(now).year, model=SignUpApplication
        ),
        organisation=organisation,
        status=ApplicationStatus.DRAFT,
        contract_kind=contract_kind,
        term_years=term_years,
        requested_start=requested_start,
        current_cost_per_seat=current_cost_per_seat,
        created_by=actor,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        # The organisation row lock makes this unreachable for applications made through
        # this function; the constraint still has the last word over any other writer.
        if selectors.organisation_open_application(organisation_id=organisation.pk) is None:
            raise
        raise TransitionNotAllowed(f"{organisation.name} already has an open application.") from exc
    ApplicationLine.objects.bulk_create(
        ApplicationLine(application=application, service=line.service, seats=line.seats)
        for line in lines
    )
    detail = ", ".join(f"{line.service.name}: {line.seats:,} seats" for line in lines)
    if new_organisation is not None:
        detail = f"New organisation {organisation.name}. {detail}"
    _event(
        application=application,
        actor=actor,
        action=ApplicationAction.CREATED,
        at=now,
        detail=detail,
    )
    return application


# --- transitions --------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, application: SignUpApplication, actor: User, at: dt.datetime | None = None
) -> SignUpApplication:
    application = _lock(application)
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("Only the applying organisation's CIO can submit its application.")
    _require_status(application, {ApplicationStatus.DRAFT}, "submitted")
    now = at or timezone.now()
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at"])
    _event(application=application, actor=actor, action=ApplicationAction.SUBMITTED, at=now)
    application_submitted_notify(application=application)
    return application


@transaction.atomic
def application_withdraw(
    *, application: SignUpApplication, actor: User, reason: str = ""
) -> SignUpApplication:
    application = _lock(application)
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("Only the applying organisation's CIO can withdraw its application.")
    reason = clean_reason(reason, required=False)
    _require_status(application, {ApplicationStatus.SUBMITTED}, "withdrawn")
    now = timezone.now()
    application.status = ApplicationStatus.WITHDRAWN
    application.reason = reason
    application.save(update_fields=["status", "reason"])
    _event(
        application=application,
        actor=actor,
        action=ApplicationAction.WITHDRAWN,
        at=now,
        detail=reason,
    )
    return application


@transaction.atomic
def application_approve(
    *, application: SignUpApplication, actor: User, note: str = ""
) -> SignUpApplication:
    """Approve: the organisation becomes an active member, its contract is created at the
    "if joined" prices, and a repricing is requested so every member's price falls too —
    all or nothing. A CIO who applied for a new organisation moves to it now. The approver's
    optional `note` is kept with the decision (its `reason`) and in the audit trail."""
    application = _lock(application)
    require_decider(application, actor)
    note = clean_reason(note, required=False)
    _require_status(application, {ApplicationStatus.SUBMITTED}, "approved")
    now = timezone.now()
    today = timezone.localdate(now)
    application.status = ApplicationStatus.APPROVED
    application.decided_at = now
    application.decided_by = actor
    application.reason = note
    application.save(update_fields=["status", "decided_at", "decided_by", "reason"])

    organisation = organisation_lock(organisation_id=application.organisation_id)
    was_member = organisation.membership_status == MembershipStatus.ACTIVE
    if permissions.applied_for_prospective(application.created_by, organisation):
        user_organisation_move(user=application.created_by, organisation=organisation)
    organisation_membership_start(organisation=organisation, on=today)
    application.organisation = organisation
    contract = contract_services.contract_create(
        organisation=organisation,
        kind=application.contract_kind,
        lines=[
            contract_services.LineInput(service=line.service, seats=line.seats)
            for line in application.lines.select_related("service").prefetch_related(
                "service__bands"
            )
        ],
        signed_on=today,
        start_date=max(application.requested_start, today),
        term_years=application.term_years,
        previous_cost_per_seat=application.current_cost_per_seat,
        actor=actor,
    )
    application.contract = contract
    application.save(update_fields=["contract"])
    name = organisation.display_name
    if not was_member:
        cause = f"{name} joined"
    else:
        cause = f"{name} signed a new {contract.get_kind_display().lower()} contract"
    repricing_request(reason=cause, caused_by=organisation)
    _event(
        application=application,
        actor=actor,
        action=ApplicationAction.APPROVED,
        at=now,
        detail=f"Contract {contract.reference} created. {note}".strip(),
    )
    application_decision_notify(application=application)
    return application


@transaction.atomic
def application_reject(
    *, application: SignUpApplication, actor: User, reason: str
) -> SignUpApplication:
    application = _lock(application)
    require_decider(application, actor)
    reason = clean_reason(reason, required=True)
    _require_status(application, {ApplicationStatus.SUBMITTED}, "rejected")
    now = timezone.now()
    application.status = ApplicationStatus.REJECTED
    application.decided_at = now
    application.decided_by = actor
    application.reason = reason
    application.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    _event(
        application=application,
        actor=actor,
        action=ApplicationAction.REJECTED,
        at=now,
        detail=reason,
    )
    application_decision_notify(application=application)
    return application


# --- helpers ------------------------------------------------------------------------------


def _lock(application: SignUpApplication) -> SignUpApplication:
    """The application re-read under a row lock: a second concurrent request waits here,
    then sees the status the first one left."""
    return SignUpApplication.objects.select_for_update().get(pk=application.pk)


def _require_status(
    application: SignUpApplication, allowed: set[ApplicationStatus], becoming: str
) -> None:
    if application.status not in allowed:
        raise TransitionNotAllowed(
            f"Application {application.reference} is {application.get_status_display().lower()},"
            f" so it cannot be {becoming}."
        )


def require_decider(request, actor: User, *, what: str = "applications") -> None:
    """Approvers decide sign-ups and change requests (anything with an `organisation_id`),
    never their own organisation's."""
    if permissions.can_decide_application(actor, request):
        return
    if permissions.is_approver(actor):
        raise PermissionDenied(
            f"You cannot decide {what} from your own organisation: another approver must decide it."
        )
    raise PermissionDenied(f"Only Cabinet Office approvers can approve or reject {what}.")


def clean_reason(reason: str, *, required: bool, what: str = "the application") -> str:
    """A reason or note, stripped and bounded; `required` for a rejection."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [f"Enter the reason for rejecting {what}."]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": [f"The reason must be {MAX_REASON_LENGTH:,} characters or fewer."]}
        )
    return reason


def _event(
    *,
    application: SignUpApplication,
    actor: User,
    action: ApplicationAction,
    at: dt.datetime,
    detail: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, at=at, actor=actor, action=action, detail=detail
    )


def latest_requested_start(today: dt.date) -> dt.date:
    """The latest start an application may ask for: MAX_START_YEARS_AHEAD years from today
    (from 29 February, the 28th)."""
    return add_years(today, MAX_START_YEARS_AHEAD)
