"""Each application transition, and each refusal leaving the database as it was."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from applications import services
from applications.forms import StartDateForm
from applications.models import ApplicationStatus, SignUpApplication
from catalogue.models import Service
from contracts.models import Contract, ContractKind, ContractLine, ContractStatus
from notifications.models import Notification, NotificationStatus
from organisations.models import MembershipStatus, Organisation, OrganisationKind
from repricing.models import RepricingRequest
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def _lines(**seats: int) -> list[services.LineInput]:
    found = Service.objects.in_bulk(list(seats), field_name="slug")
    return [services.LineInput(service=found[slug], seats=n) for slug, n in seats.items()]


def _create(actor, **overrides) -> SignUpApplication:
    arguments = {
        "actor": actor,
        "lines": _lines(desktop=1000, email=1000),
        "term_years": 5,
        "requested_start": dt.date(2027, 4, 1),
        "current_cost_per_seat": Decimal("2850.00"),
    }
    return services.application_create(**(arguments | overrides))


# --- create -------------------------------------------------------------------------------


def test_create_makes_a_draft_for_the_cios_organisation_with_the_next_reference(cio_newcomer):
    application = _create(cio_newcomer)

    assert application.reference == "FLEX-2026-0002"  # FLEX-2026-0001 is the demo's
    assert application.status == ApplicationStatus.DRAFT
    assert application.contract_kind == ContractKind.PLATFORM
    assert application.organisation.slug == "dds"
    assert application.submitted_at is None
    assert [(line.service.slug, line.seats) for line in application.lines.all()] == [
        ("desktop", 1000),
        ("email", 1000),
    ]
    event = application.events.get()
    assert (event.action, event.actor, event.at) == (
        "created",
        cio_newcomer,
        dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC),
    )
    assert event.detail == "Standard desktop: 1,000 seats, Email integration: 1,000 seats"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (
            "cio_dius",
            "DIUS already has a full platform contract, CON-2026-0004: change that contract "
            "instead, or apply for an integration call-off.",
        ),
        (
            "cio_ons",
            "ONS already has a full platform contract, CON-2026-0002: change that contract "
            "instead, or apply for an integration call-off.",
        ),
    ],
)
def test_a_member_on_a_platform_contract_cannot_apply_for_a_second_one(
    world, unchanged, who, message
):
    with unchanged(), pytest.raises(ValidationError) as caught:
        _create(world[who])
    assert caught.value.message_dict == {"contract_kind": [message]}


def test_a_member_may_apply_for_an_integration_call_off(world):
    application = _create(
        world["cio_dius"], contract_kind=ContractKind.INTEGRATION, lines=_lines(email=500)
    )
    assert (application.organisation.slug, application.status, application.contract_kind) == (
        "dius",
        ApplicationStatus.DRAFT,
        ContractKind.INTEGRATION,
    )


def test_references_count_on_within_the_year_and_restart_in_a_new_one(
    world, cio_newcomer, time_machine
):
    assert _create(cio_newcomer).reference == "FLEX-2026-0002"
    # Another organisation: ONS, on a platform contract, applying for an integration call-off.
    call_off = {"contract_kind": ContractKind.INTEGRATION, "lines": _lines(email=500)}
    assert _create(world["cio_ons"], **call_off).reference == "FLEX-2026-0003"
    time_machine.move_to(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
    other = factories.CIOFactory()
    assert _create(other).reference == "FLEX-2027-0001"


def test_references_skip_over_numbers_written_directly(world, cio_newcomer):
    factories.SignUpApplicationFactory(
        reference="FLEX-2026-0041",
        status="withdrawn",
        submitted_at=world["agency_application"].submitted_at,
    )
    assert _create(cio_newcomer).reference == "FLEX-2026-0042"


def test_create_for_a_new_organisation_makes_it_prospective_and_keeps_the_cio_in_theirs(world):
    dti, dfes = Organisation.objects.filter(slug__in=["dti", "dfes"]).order_by("slug")
    cio = world["cio_ons"]
    application = _create(
        cio,
        new_organisation=services.NewOrganisationInput(
            name="  Department for   Business, Innovation and Skills ",
            kind=OrganisationKind.MINISTERIAL,
            staff=4500,
            desktops=4200,
            predecessors=(dti, dfes),
        ),
    )

    organisation = application.organisation
    assert organisation.name == "Department for Business, Innovation and Skills"
    assert organisation.slug == "department-for-business-innovation-and-skills"
    assert organisation.membership_status == MembershipStatus.PROSPECTIVE
    assert (organisation.staff, organisation.desktops) == (4500, 4200)
    assert set(organisation.predecessors.values_list("slug", flat=True)) == {"dti", "dfes"}
    cio.refresh_from_db()
    # The CIO moves to the new organisation only once it is approved (test_prospective_applicant).
    assert cio.organisation.slug == "ons"
    assert application.events.get().detail.startswith(
        "New organisation Department for Business, Innovation and Skills."
    )


def test_a_new_organisation_cannot_take_an_existing_name(world, unchanged):
    with unchanged(), pytest.raises(ValidationError) as caught:
        _create(
            world["cio_ons"],
            new_organisation=services.NewOrganisationInput(
                name="office for national statistics", kind="agency", staff=10
            ),
        )
    assert caught.value.message_dict == {
        "name": ["An organisation with this name already exists: apply for it instead."]
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            lambda: {"lines": []},
            {"lines": ["Choose at least one service and enter its number of seats."]},
        ),
        (
            lambda: {"lines": _lines(desktop=1_000_001)},
            {"lines": ["Seats must be between 1 and 1,000,000 for each service."]},
        ),
        (lambda: {"term_years": 11}, {"term_years": ["The term must be between 1 and 10 years."]}),
        (lambda: {"term_years": 0}, {"term_years": ["The term must be between 1 and 10 years."]}),
        (
            lambda: {"requested_start": dt.date(2026, 11, 21)},
            {"requested_start": ["The start date must be today or in the future."]},
        ),
        (
            lambda: {"requested_start": dt.date(2029, 11, 23)},
            {"requested_start": ["The start date must be within 3 years from today."]},
        ),
        (
            lambda: {"current_cost_per_seat": Decimal("-0.01")},
            {"current_cost_per_seat": ["Enter a cost of £0 or more."]},
        ),
    ],
)
def test_create_refuses_bad_terms_and_writes_nothing(cio_newcomer, unchanged, overrides, errors):
    with unchanged(), pytest.raises(ValidationError) as caught:
        _create(cio_newcomer, **overrides())
    assert caught.value.message_dict == errors


def test_create_refuses_the_same_service_twice(cio_newcomer, unchanged):
    desktop = Service.objects.get(slug="desktop")
    lines = [
        services.LineInput(service=desktop, seats=1),
        services.LineInput(service=desktop, seats=2),
    ]
    with unchanged(), pytest.raises(ValidationError) as caught:
        _create(cio_newcomer, lines=lines)
    assert caught.value.message_dict == {"lines": ["Enter each service only once."]}


def test_create_refuses_a_second_open_application(world, unchanged):
    with unchanged(), pytest.raises(services.TransitionNotAllowed) as caught:
        _create(world["cio_agency"])
    assert str(caught.value) == (
        "Government Skills Agency already has an open application, FLEX-2026-0001."
    )


@pytest.mark.parametrize("who", ["approver", "procurement", "admin"])
def test_only_a_cio_may_apply(world, unchanged, who):
    with unchanged(), pytest.raises(PermissionDenied):
        _create(world[who])


# --- submit -------------------------------------------------------------------------------


def test_submit_moves_a_draft_to_submitted(cio_newcomer):
    draft = _create(cio_newcomer)
    submitted = services.application_submit(application=draft, actor=cio_newcomer)

    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at == dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
    assert list(submitted.events.values_list("action", flat=True)) == ["created", "submitted"]
    assert SignUpApplication.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED


def test_submit_twice_is_refused_the_second_time(cio_newcomer, unchanged):
    draft = _create(cio_newcomer)
    services.application_submit(application=draft, actor=cio_newcomer)
    with unchanged(), pytest.raises(services.TransitionNotAllowed) as caught:
        # `draft` is the stale object a second request would hold: the lock re-reads it.
        services.application_submit(application=draft, actor=cio_newcomer)
    assert (
        str(caught.value) == "Application FLEX-2026-0002 is submitted, so it cannot be submitted."
    )


@pytest.mark.parametrize("who", ["cio_ons", "approver", "procurement"])
def test_only_the_applicants_cio_may_submit(world, cio_newcomer, unchanged, who):
    draft = _create(cio_newcomer)
    with unchanged(), pytest.raises(PermissionDenied):
        services.application_submit(application=draft, actor=world[who])


# --- withdraw -----------------------------------------------------------------------------


def test_withdraw_a_submitted_application(world):
    application = services.application_withdraw(
        application=world["agency_application"],
        actor=world["cio_agency"],
        reason="  Budget moved to next year.  ",
    )
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.reason == "Budget moved to next year."
    assert application.decided_at is None
    event = application.events.last()
    assert (event.action, event.detail) == ("withdrawn", "Budget moved to next year.")


def test_a_draft_cannot_be_withdrawn(cio_newcomer, unchanged):
    draft = _create(cio_newcomer)
    with unchanged(), pytest.raises(services.TransitionNotAllowed):
        services.application_withdraw(application=draft, actor=cio_newcomer)


@pytest.mark.parametrize("who", ["cio_dius", "approver"])
def test_only_the_applicants_cio_may_withdraw(world, unchanged, who):
    with unchanged(), pytest.raises(PermissionDenied):
        services.application_withdraw(application=world["agency_application"], actor=world[who])


# --- approve ------------------------------------------------------------------------------


def test_approve_makes_a_member_with_a_contract_and_requests_a_repricing(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = services.application_approve(
            application=world["agency_application"], actor=world["approver"]
        )

    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == world["approver"]
    assert application.decided_at == dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
    agency = Organisation.objects.get(slug="agency")
    assert (agency.membership_status, agency.joined_on) == (MembershipStatus.ACTIVE, TODAY)
    contract = Contract.objects.get(application=application)
    assert (contract.reference, contract.status, contract.signed_on) == (
        "CON-2026-0005",
        ContractStatus.ACTIVE,
        TODAY,
    )
    assert contract.start_date == dt.date(2027, 4, 1)
    # Priced "if joined": 5,300,000 / 6,100 + 850 = 1,718.85; email 5,500 seats: £48.00;
    # HR 600,000 / 4,500 + 40 = 173.33.
    assert sorted(
        contract.lines.values_list("service__slug", "seats", "unit_price_at_signing")
    ) == [
        ("desktop", 2000, Decimal("1718.85")),
        ("email", 2000, Decimal("48.00")),
        ("hr-systems", 2000, Decimal("173.33")),
    ]
    request = RepricingRequest.objects.get(processed_at__isnull=True)
    assert (request.reason, request.caused_by) == ("GSA joined", agency)
    event = application.events.last()
    assert (event.action, event.actor, event.detail) == (
        "approved",
        world["approver"],
        "Contract CON-2026-0005 created.",
    )
    # Nothing is sent or published before the commit: one callback for the repricing task,
    # one for the decision in the notification outbox, still queued.
    assert len(callbacks) == 2
    assert Notification.objects.get(template="application_decision").status == (
        NotificationStatus.QUEUED
    )


def test_approval_commits_then_reprices_everyone_and_emails_the_cio(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            application=world["agency_application"], actor=world["approver"]
        )

    # Celery is eager in tests: the repricing ran on commit. Existing members pay less.
    cabinet_office = ContractLine.objects.filter(contract__reference="CON-2026-0001")
    assert dict(cabinet_office.values_list("service__slug", "current_unit_price")) == {
        "desktop": Decimal("1718.85"),
        "email": Decimal("48.00"),
        "hr-systems": Decimal("173.33"),
        "intranet": Decimal("25.00"),
        "wireless": Decimal("95.00"),
    }
    assert Service.objects.get(slug="desktop").framework_seats == 6100
    assert not RepricingRequest.objects.filter(processed_at__isnull=True).exists()
    # The decision went through the outbox once the approval committed (printed: tests use
    # the console backend unless they start the fake Notify, tests/notifications/).
    message = Notification.objects.get(template="application_decision")
    assert (message.recipient, message.template, message.status) == (
        "cio-agency@example.gov.uk",
        "application_decision",
        NotificationStatus.SENT,
    )
    assert message.personalisation["decision"] == "approved"
    assert message.personalisation["contract_reference"] == "CON-2026-0005"
    assert message.personalisation["contract_start"] == "1 April 2027"
    assert message.personalisation["contract_term_years"] == "5"
    assert (
        "* Standard desktop: 2,000 seats at £1,718.85 per seat per year"
        in message.personalisation["prices"]
    )


def test_an_approver_may_not_approve_their_own_organisations_application(world, unchanged):
    own = factories.SignUpApplicationFactory(
        organisation=world["approver"].organisation, submitted=True
    )
    with unchanged(), pytest.raises(PermissionDenied) as caught:
        services.application_approve(application=own, actor=world["approver"])
    assert "your own organisation" in str(caught.value)


@pytest.mark.parametrize("who", ["cio_agency", "cio_dius", "procurement"])
def test_only_approvers_may_approve(world, unchanged, who):
    with unchanged(), pytest.raises(PermissionDenied):
        services.application_approve(application=world["agency_application"], actor=world[who])


@pytest.mark.parametrize("status", ["draft", "approved", "rejected", "withdrawn"])
def test_only_a_submitted_application_can_be_approved(world, unchanged, status):
    application = world["agency_application"]
    SignUpApplication.objects.filter(pk=application.pk).update(
        status=status,
        decided_at=application.submitted_at,
        decided_by=world["admin"],
        reason="x",
    )
    with unchanged(), pytest.raises(services.TransitionNotAllowed):
        services.application_approve(application=application, actor=world["approver"])


# --- reject -------------------------------------------------------------------------------


def test_reject_with_a_reason_tells_the_cio(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_reject(
            application=world["agency_application"],
            actor=world["approver"],
            reason="Seats exceed your staff numbers.",
        )
    assert application.status == ApplicationStatus.REJECTED
    assert application.reason == "Seats exceed your staff numbers."
    assert application.decided_by == world["approver"]
    assert not Contract.objects.filter(application=application).exists()
    assert Organisation.objects.get(slug="agency").membership_status == "prospective"
    assert RepricingRequest.objects.count() == 4  # the demo's four signings only
    message = Notification.objects.get(template="application_decision")
    assert message.recipient == "cio-agency@example.gov.uk"
    assert message.personalisation["decision"] == "rejected"
    assert message.personalisation["reason"] == "Seats exceed your staff numbers."


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_a_rejection_needs_a_reason(world, unchanged, reason):
    with unchanged(), pytest.raises(ValidationError) as caught:
        services.application_reject(
            application=world["agency_application"], actor=world["approver"], reason=reason
        )
    assert caught.value.message_dict == {
        "reason": ["Enter the reason for rejecting the application."]
    }


def test_a_withdrawn_application_cannot_be_rejected(world, unchanged):
    services.application_withdraw(
        application=world["agency_application"], actor=world["cio_agency"]
    )
    with unchanged(), pytest.raises(services.TransitionNotAllowed) as caught:
        services.application_reject(
            application=world["agency_application"], actor=world["approver"], reason="No."
        )
    assert str(caught.value) == (
        "Application FLEX-2026-0001 is withdrawn, so it cannot be rejected."
    )


def test_a_notify_outage_does_not_undo_the_decision(
    world, django_capture_on_commit_callbacks, settings
):
    # Notify at a port where nothing listens: the send fails, the decision stands, and the
    # message waits in the outbox for the sweeper (tests/notifications/ prove the resend).
    settings.NOTIFY_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:9"
    settings.NOTIFY_API_KEY = f"test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_TEMPLATES = {"application_decision": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=world["agency_application"], actor=world["approver"], reason="No."
        )
    assert SignUpApplication.objects.get(reference="FLEX-2026-0001").status == "rejected"
    message = Notification.objects.get(template="application_decision")
    assert (message.status, message.attempts) == (NotificationStatus.FAILED, 1)
    assert message.next_attempt_at is not None


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (dt.date(2026, 11, 22), dt.date(2029, 11, 22)),
        (dt.date(2028, 2, 29), dt.date(2031, 2, 28)),  # no 29 February three years on
    ],
)
def test_the_latest_start_is_three_years_on_and_the_form_agrees(today, latest):
    assert services.latest_requested_start(today) == latest
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.UTC)):
        on_time = StartDateForm(
            {
                "requested_start_0": latest.day,
                "requested_start_1": latest.month,
                "requested_start_2": latest.year,
            }
        )
        late = latest + dt.timedelta(days=1)
        too_late = StartDateForm(
            {
                "requested_start_0": late.day,
                "requested_start_1": late.month,
                "requested_start_2": late.year,
            }
        )
        assert on_time.is_valid(), on_time.errors
        assert not too_late.is_valid()
