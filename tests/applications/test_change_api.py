"""The change request API, exactly as docs/interface.md lists it, and its refusals: 400 with
field errors, 403, 404, 409, and nothing changed."""

from __future__ import annotations

import pytest

from applications.models import ChangeRequest
from contracts.models import Contract

pytestmark = pytest.mark.django_db


def platform(slug: str) -> Contract:
    return Contract.objects.get(organisation__slug=slug, kind="platform")


def changes_url(contract: Contract) -> str:
    return f"/api/v1/contracts/{contract.reference}/changes/"


def test_a_cio_asks_and_an_approver_approves(world, as_user, django_capture_on_commit_callbacks):
    dius = platform("dius")
    response = as_user("cio_dius").post(
        changes_url(dius),
        {
            "lines": [
                {"service": "wireless", "seats": 1000},
                {"service": "hr-systems", "seats": 500},
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    reference = body["reference"]
    assert body | {"submitted_at": None, "events": None} == {
        "reference": reference,
        "contract": dius.reference,
        "organisation": "dius",
        "status": "submitted",
        "lines": [
            {"service": "hr-systems", "seats_before": 0, "seats_after": 500},
            {"service": "wireless", "seats_before": 400, "seats_after": 1000},
        ],
        "submitted_at": None,
        "decided_at": None,
        "decided_by": None,
        "reason": "",
        "events": None,
    }
    listed = as_user("cio_dius").get("/api/v1/change-requests/").json()
    assert [row["reference"] for row in listed["results"]] == [reference]
    # The approver sees ONS's too (the demo's), oldest first.
    listed = as_user("approver").get("/api/v1/change-requests/", {"status": "submitted"}).json()
    assert [row["reference"] for row in listed["results"]] == ["CHG-2026-0001", reference]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("approver").post(
            f"/api/v1/change-requests/{reference}/approve/", {"note": "Fine"}, format="json"
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["decided_by"], body["reason"]) == ("approved", "approver", "Fine")
    assert [event["action"] for event in body["events"]] == ["submitted", "approved"]
    contract = as_user("cio_dius").get(f"/api/v1/contracts/{dius.reference}/").json()
    assert {line["service"]: line["seats"] for line in contract["lines"]} == {
        "desktop": 1000,
        "wireless": 1000,
        "collaboration": 1000,
        "hr-systems": 500,
    }


def test_a_procurement_officer_reads_every_change_request_and_decides_none(
    world, as_user, unchanged
):
    api = as_user("procurement")
    assert api.get("/api/v1/change-requests/CHG-2026-0001/").status_code == 200
    with unchanged():
        for move in ("approve", "reject", "withdraw"):
            response = api.post(
                f"/api/v1/change-requests/CHG-2026-0001/{move}/", {"reason": "x"}, format="json"
            )
            assert response.status_code == 403, move
        response = api.post(
            changes_url(platform("ons")),
            {"lines": [{"service": "wireless", "seats": 1}]},
            format="json",
        )
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"lines": ["This field is required."]}),
        ({"lines": []}, {"lines": ["Enter the seats of at least one service to change."]}),
        (
            {"lines": [{"service": "no-such-service", "seats": 5}]},
            {"lines": {"0": {"service": ["No such service: no-such-service."]}}},
        ),
        (
            {"lines": [{"service": "email", "seats": 5}, {"service": "email", "seats": 6}]},
            {"lines": ["Enter each service only once."]},
        ),
        (
            {"lines": [{"service": "email", "seats": -1}]},
            {"lines": {"0": {"seats": ["Ensure this value is greater than or equal to 0."]}}},
        ),
        (
            {
                "lines": [
                    {"service": "email", "seats": 0},
                    {"service": "intranet", "seats": 0},
                    {"service": "staff-directory", "seats": 0},
                ]
            },
            {
                "lines": [
                    "That would remove every service from the contract, which is leaving Flex. "
                    "To leave, end the contract instead."
                ]
            },
        ),
    ],
)
def test_bad_input_is_a_400_with_field_errors(world, as_user, unchanged, body, errors):
    integration = Contract.objects.get(organisation__slug="dius", kind="integration")
    with unchanged():
        response = as_user("cio_dius").post(changes_url(integration), body, format="json")
    assert response.status_code == 400
    got = response.json()
    if "0" in str(errors):
        assert set(got) == set(errors)
    else:
        assert got == errors


def test_refusals_change_nothing(world, as_user, unchanged, frozen_now):
    ons = platform("ons")
    with unchanged():
        # Another organisation's contract: a write by anyone else is a 403.
        assert (
            as_user("cio_dius")
            .post(changes_url(ons), {"lines": [{"service": "wireless", "seats": 5}]}, format="json")
            .status_code
            == 403
        )
        # A second open change on ONS's contract.
        response = as_user("cio_ons").post(
            changes_url(ons), {"lines": [{"service": "wireless", "seats": 5}]}, format="json"
        )
        assert response.status_code == 409
        # The applicant cannot decide; another organisation's CIO cannot withdraw it.
        assert (
            as_user("cio_ons").post("/api/v1/change-requests/CHG-2026-0001/approve/").status_code
            == 403
        )
        assert (
            as_user("cio_dius").post("/api/v1/change-requests/CHG-2026-0001/withdraw/").status_code
            == 403
        )
        assert as_user("cio_dius").get("/api/v1/change-requests/CHG-2026-0001/").status_code == 404
        # A rejection without a reason.
        response = as_user("approver").post(
            "/api/v1/change-requests/CHG-2026-0001/reject/", {"reason": ""}, format="json"
        )
        assert response.status_code == 400 and set(response.json()) == {"reason"}
        assert as_user("approver").get("/api/v1/change-requests/CHG-2099-0001/").status_code == 404
        assert (
            as_user("approver").get("/api/v1/change-requests/", {"status": "x"}).status_code == 400
        )
    assert ChangeRequest.objects.get(reference="CHG-2026-0001").status == "submitted"
