"""/api/v1/applications/: the list, one application with its events, creating a draft, and
one endpoint per transition, with the same rules as the pages (403, 404, 409, 400)."""

from __future__ import annotations

import pytest

from accounts.services import api_token_issue
from applications.models import ApplicationStatus, SignUpApplication
from organisations.models import Organisation
from tests import factories

from .conftest import database_state

pytestmark = pytest.mark.django_db

LIST = "/api/v1/applications/"
AGENCY = "/api/v1/applications/FLEX-2026-0001/"

AGENCY_JSON = {
    "reference": "FLEX-2026-0001",
    "organisation": "agency",
    "status": "submitted",
    "contract_kind": "platform",
    "lines": [
        {"service": "desktop", "seats": 2000},
        {"service": "email", "seats": 2000},
        {"service": "hr-systems", "seats": 2000},
    ],
    "term_years": 5,
    "requested_start": "2027-04-01",
    "submitted_at": "2026-11-10T10:00:00Z",
    "decided_at": None,
    "decided_by": None,
    "reason": "",
}


def _new_application(**overrides) -> dict:
    return {
        "lines": [{"service": "desktop", "seats": 1000}, {"service": "email", "seats": 1000}],
        "term_years": 7,
        "requested_start": "2027-06-01",
        "current_cost_per_seat": "2850.00",
    } | overrides


# --- reading ------------------------------------------------------------------------------


def test_approvers_list_every_application_oldest_first(as_user, world):
    draft = factories.SignUpApplicationFactory(organisation=world["cio_dius"].organisation)
    response = as_user("approver").get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert body["results"][0] == AGENCY_JSON
    assert body["results"][1]["reference"] == draft.reference


def test_the_list_filters_by_status(as_user, world):
    factories.SignUpApplicationFactory(organisation=world["cio_dius"].organisation)
    response = as_user("approver").get(LIST, {"status": "draft"})
    assert [a["status"] for a in response.json()["results"]] == ["draft"]
    bad = as_user("approver").get(LIST, {"status": "lost"})
    assert bad.status_code == 400
    assert list(bad.json()) == ["status"]


def test_a_cio_lists_only_their_own_organisations_applications(as_user, world):
    factories.SignUpApplicationFactory(organisation=world["cio_dius"].organisation)
    assert [a["reference"] for a in as_user("cio_agency").get(LIST).json()["results"]] == [
        "FLEX-2026-0001"
    ]
    # Procurement officers read every application (tests/audit/test_procurement_reads.py).
    assert as_user("procurement").get(LIST).json()["count"] == 2


def test_list_queries_stay_constant_as_applications_grow(
    api_client, world, django_assert_num_queries
):
    api_client.force_login(world["approver"])
    # the session with its user and groups; count; applications with organisation and decider;
    # their lines with services
    with django_assert_num_queries(4):
        api_client.get(LIST)
    for _ in range(5):
        application = factories.SignUpApplicationFactory()
        factories.ApplicationLineFactory(application=application)
    with django_assert_num_queries(4):
        assert api_client.get(LIST).json()["count"] == 6


def test_one_application_with_its_audit_trail(as_user):
    body = as_user("cio_agency").get(AGENCY).json()
    assert body == AGENCY_JSON | {
        "events": [
            {
                "at": "2026-11-10T09:00:00Z",
                "actor": "cio-agency",
                "action": "created",
                # The demo applies through the services, which list the lines applied for.
                "detail": "Standard desktop: 2,000 seats, Email integration: 2,000 seats, "
                "Human resources systems: 2,000 seats",
            },
            {
                "at": "2026-11-10T10:00:00Z",
                "actor": "cio-agency",
                "action": "submitted",
                "detail": "",
            },
        ],
        # The moves the caller may make now (applications.selectors.application_actions).
        "actions": ["withdraw"],
    }


@pytest.mark.parametrize("who", ["cio_dius"])
def test_another_organisations_application_is_not_found(as_user, who):
    response = as_user(who).get(AGENCY)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_token_authentication_works(api_client, world):
    _, key = api_token_issue(user=world["approver"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(AGENCY).status_code == 200
    api_client.credentials()
    assert api_client.get(AGENCY).status_code in (401, 403)


# --- creating -----------------------------------------------------------------------------


def test_a_cio_creates_a_draft(api_client, cio_newcomer):
    api_client.force_authenticate(cio_newcomer)
    response = api_client.post(LIST, _new_application(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "reference": "FLEX-2026-0002",
        "organisation": "dds",
        "status": "draft",
        "contract_kind": "platform",
        "lines": [{"service": "desktop", "seats": 1000}, {"service": "email", "seats": 1000}],
        "term_years": 7,
        "requested_start": "2027-06-01",
        "submitted_at": None,
        "decided_at": None,
        "decided_by": None,
        "reason": "",
        "events": [
            {
                "at": "2026-11-22T10:00:00Z",
                "actor": "cio-dds",
                "action": "created",
                "detail": "Standard desktop: 1,000 seats, Email integration: 1,000 seats",
            }
        ],
        "actions": ["submit"],
    }
    assert (
        str(SignUpApplication.objects.get(reference="FLEX-2026-0002").current_cost_per_seat)
        == "2850.00"
    )


def test_a_member_on_a_platform_contract_cannot_apply_for_a_second_one(as_user, world):
    before = database_state()
    response = as_user("cio_dius").post(LIST, _new_application(), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "contract_kind": [
            "DIUS already has a full platform contract, CON-2026-0004: change that contract "
            "instead, or apply for an integration call-off."
        ]
    }
    assert database_state() == before


def test_a_cio_creates_a_draft_for_a_new_organisation(as_user, world):
    payload = _new_application(
        new_organisation={
            "name": "Department for Business, Innovation and Skills",
            "kind": "ministerial",
            "staff": 4500,
            "predecessors": ["dti", "dfes"],
        }
    )
    response = as_user("cio_ons").post(LIST, payload, format="json")
    assert response.status_code == 201
    organisation = Organisation.objects.get(slug=response.json()["organisation"])
    assert organisation.name == "Department for Business, Innovation and Skills"
    assert organisation.membership_status == "prospective"


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            _new_application(lines=[]),
            {"lines": ["Add at least one line: a service and its number of seats."]},
        ),
        (
            _new_application(lines=[{"service": "nope", "seats": 1}]),
            {"lines": {"0": {"service": ["There is no service with this slug."]}}},
        ),
        (
            # Text the database itself refuses (a NUL byte) is an unknown slug, not a 500.
            _new_application(lines=[{"service": "desk\u0000top", "seats": 1}]),
            {"lines": {"0": {"service": ["There is no service with this slug."]}}},
        ),
        (
            _new_application(
                new_organisation={
                    "name": "A new agency",
                    "kind": "agency",
                    "staff": 5,
                    "predecessors": ["d\u0000ius"],
                }
            ),
            {"new_organisation": {"predecessors": ["There is no organisation with this slug."]}},
        ),
        (
            _new_application(lines=[{"service": "desktop", "seats": 0}]),
            {"lines": {"0": {"seats": ["Ensure this value is greater than or equal to 1."]}}},
        ),
        (
            _new_application(
                lines=[{"service": "desktop", "seats": 1}, {"service": "desktop", "seats": 2}]
            ),
            {"lines": ["Enter each service only once."]},
        ),
        (
            _new_application(term_years=11),
            {"term_years": ["Ensure this value is less than or equal to 10."]},
        ),
        (
            _new_application(requested_start="2026-11-21"),
            {"requested_start": ["The start date must be today or in the future."]},
        ),
        (
            _new_application(current_cost_per_seat="-1"),
            {"current_cost_per_seat": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            _new_application(
                new_organisation={"name": "Cabinet Office", "kind": "ministerial", "staff": 5}
            ),
            {"name": ["An organisation with this name already exists: apply for it instead."]},
        ),
    ],
)
def test_bad_input_is_refused_with_field_errors(as_user, world, payload, errors):
    before = database_state()
    response = as_user("cio_dius").post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert database_state() == before


def test_a_second_open_application_is_a_conflict(as_user, world):
    before = database_state()
    response = as_user("cio_agency").post(LIST, _new_application(), format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Government Skills Agency already has an open application, FLEX-2026-0001."
    }
    assert database_state() == before


@pytest.mark.parametrize(
    ("who", "payload"),
    [
        ("approver", _new_application()),
        ("procurement", _new_application()),
        ("cio_dius", _new_application(organisation="ons")),
    ],
)
def test_applying_for_someone_else_is_forbidden(as_user, world, who, payload):
    before = database_state()
    assert as_user(who).post(LIST, payload, format="json").status_code == 403
    assert database_state() == before


# --- transitions --------------------------------------------------------------------------


def _action(reference: str, action: str) -> str:
    return f"/api/v1/applications/{reference}/{action}/"


def test_submit_then_submit_again(as_user, world):
    draft = factories.SignUpApplicationFactory(
        organisation=world["cio_dius"].organisation, created_by=world["cio_dius"]
    )
    client = as_user("cio_dius")
    response = client.post(_action(draft.reference, "submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"] == "2026-11-22T10:00:00Z"
    before = database_state()
    again = client.post(_action(draft.reference, "submit"))
    assert again.status_code == 409
    assert again.json() == {
        "detail": f"Application {draft.reference} is submitted, so it cannot be submitted."
    }
    assert database_state() == before


def test_withdraw(as_user):
    response = as_user("cio_agency").post(
        _action("FLEX-2026-0001", "withdraw"), {"reason": "Budget moved."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("withdrawn", "Budget moved.")
    assert response.json()["events"][-1]["action"] == "withdrawn"


def test_approve(as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("approver").post(_action("FLEX-2026-0001", "approve"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decided_by"], body["decided_at"]) == (
        "approved",
        "approver",
        "2026-11-22T10:00:00Z",
    )
    assert body["events"][-1] == {
        "at": "2026-11-22T10:00:00Z",
        "actor": "approver",
        "action": "approved",
        "detail": "Contract CON-2026-0005 created.",
    }


def test_reject_needs_a_reason(as_user):
    before = database_state()
    for payload in ({}, {"reason": "  "}):
        response = as_user("approver").post(
            _action("FLEX-2026-0001", "reject"), payload, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {"reason": ["Enter the reason for rejecting the application."]}
    assert database_state() == before
    response = as_user("approver").post(
        _action("FLEX-2026-0001", "reject"), {"reason": "Too many seats."}, format="json"
    )
    assert (response.status_code, response.json()["reason"]) == (200, "Too many seats.")


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("cio_agency", "approve", 403),  # a CIO may not decide, even their own
        ("cio_agency", "reject", 403),
        ("approver", "submit", 403),
        ("approver", "withdraw", 403),
        ("procurement", "approve", 403),
        ("procurement", "withdraw", 403),
        # another organisation's application: a write by anyone else is 403 (INTERFACE.md)
        ("cio_dius", "withdraw", 403),
        ("cio_dius", "approve", 403),
        ("approver", "submit-nothing", 404),
    ],
)
def test_refusals_change_nothing(as_user, who, action, status):
    before = database_state()
    response = as_user(who).post(_action("FLEX-2026-0001", action), {"reason": ""}, format="json")
    assert response.status_code == status
    assert database_state() == before


def test_a_cio_cannot_tell_another_organisations_application_from_none(as_user):
    other = as_user("cio_dius").post(_action("FLEX-2026-0001", "withdraw"))
    missing = as_user("cio_dius").post(_action("FLEX-2026-9999", "withdraw"))
    assert (other.status_code, other.json()) == (missing.status_code, missing.json())
    assert other.json() == {"detail": "You can only act on your own organisation's applications."}
    # Reading still answers 404, as for an application that does not exist.
    assert as_user("cio_dius").get("/api/v1/applications/FLEX-2026-0001/").status_code == 404


def test_an_approver_may_not_approve_their_own_organisation(as_user, world):
    own = factories.SignUpApplicationFactory(
        organisation=world["approver"].organisation, submitted=True
    )
    before = database_state()
    response = as_user("approver").post(_action(own.reference, "approve"))
    assert response.status_code == 403
    assert "your own organisation" in response.json()["detail"]
    assert database_state() == before


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw"])
def test_wrong_state_is_a_conflict(as_user, world, action):
    SignUpApplication.objects.filter(reference="FLEX-2026-0001").update(
        status=ApplicationStatus.WITHDRAWN
    )
    who = "cio_agency" if action == "withdraw" else "approver"
    before = database_state()
    response = as_user(who).post(_action("FLEX-2026-0001", action), {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert database_state() == before


def test_a_predecessor_the_cio_may_not_see_is_refused_like_a_missing_one(as_user, world):
    before = database_state()
    payload = _new_application(
        new_organisation={
            "name": "New Body",
            "kind": "agency",
            "staff": 5,
            "predecessors": ["agency"],
        }
    )
    response = as_user("cio_dius").post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "new_organisation": {"predecessors": ["There is no organisation with this slug."]}
    }
    assert database_state() == before


@pytest.mark.parametrize(
    ("who", "actions"),
    [("cio_agency", ["withdraw"]), ("approver", ["approve", "reject"])],
)
def test_the_detail_lists_the_moves_the_caller_may_make(as_user, who, actions):
    """The same selector decides what the application page offers (test_application_pages)."""
    assert as_user(who).get(AGENCY).json()["actions"] == actions
