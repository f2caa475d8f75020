"""A CIO applying for a new organisation stays in their own until the application is approved:
they keep their organisation's contracts, may see, submit and withdraw the new organisation's
application as its creator (and nobody else may), and move to the new organisation only when
it is approved."""

from __future__ import annotations

import pytest

from accounts import permissions
from organisations.models import MembershipStatus

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"
CONTRACTS = "/api/v1/contracts/"
NEW_BODY = {
    "lines": [{"service": "desktop", "seats": 900}, {"service": "email", "seats": 900}],
    "term_years": 5,
    "requested_start": "2027-06-01",
    "new_organisation": {
        "name": "Office for Statistics and Skills",
        "kind": "agency",
        "staff": 1000,
    },
}


@pytest.fixture
def applied(as_user, world) -> str:
    """cio-ons's submitted application for a new organisation; its reference."""
    response = as_user("cio_ons").post(APPLICATIONS, NEW_BODY, format="json")
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    assert as_user("cio_ons").post(f"{APPLICATIONS}{reference}/submit/").status_code == 200
    return reference


def contract_organisations(client) -> set[str]:
    return {contract["organisation"] for contract in client.get(CONTRACTS).json()["results"]}


def test_the_rule_names_the_prospective_status_by_its_value():
    assert permissions.PROSPECTIVE == MembershipStatus.PROSPECTIVE


def test_before_the_decision_the_cio_keeps_their_organisation_and_its_contracts(
    as_user, world, applied
):
    cio = world["cio_ons"]
    cio.refresh_from_db()
    assert cio.organisation.slug == "ons"
    client = as_user("cio_ons")
    assert contract_organisations(client) == {"ons"}
    detail = client.get(f"{APPLICATIONS}{applied}/").json()
    assert detail["organisation"] == "office-for-statistics-and-skills"
    assert detail["status"] == "submitted"
    assert detail["actions"] == ["withdraw"]
    assert applied in [a["reference"] for a in client.get(APPLICATIONS).json()["results"]]


def test_the_applicant_may_withdraw_it(as_user, applied):
    response = as_user("cio_ons").post(f"{APPLICATIONS}{applied}/withdraw/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_another_organisations_cio_can_neither_see_nor_act_on_it(as_user, applied):
    client = as_user("cio_dius")
    assert client.get(f"{APPLICATIONS}{applied}/").status_code == 404
    assert applied not in [a["reference"] for a in client.get(APPLICATIONS).json()["results"]]
    assert client.post(f"{APPLICATIONS}{applied}/withdraw/", {}, format="json").status_code == 403


def test_another_cio_of_the_applicants_organisation_does_not_act_for_it(as_user, world, applied):
    from tests import factories

    colleague = factories.CIOFactory(organisation=world["cio_ons"].organisation)
    client = as_user("cio_ons")
    client.force_authenticate(colleague)
    assert client.get(f"{APPLICATIONS}{applied}/").status_code == 404


def test_after_rejection_the_cio_still_has_their_organisation(as_user, world, applied):
    response = as_user("approver").post(
        f"{APPLICATIONS}{applied}/reject/", {"reason": "Not a public body."}, format="json"
    )
    assert response.status_code == 200

    world["cio_ons"].refresh_from_db()
    assert world["cio_ons"].organisation.slug == "ons"
    client = as_user("cio_ons")
    assert contract_organisations(client) == {"ons"}
    assert client.get(f"{APPLICATIONS}{applied}/").json()["status"] == "rejected"


def test_on_approval_the_cio_moves_to_the_new_organisation(as_user, world, applied):
    response = as_user("approver").post(f"{APPLICATIONS}{applied}/approve/")
    assert response.status_code == 200

    cio = world["cio_ons"]
    cio.refresh_from_db()
    assert cio.organisation.slug == "office-for-statistics-and-skills"
    assert cio.organisation.membership_status == MembershipStatus.ACTIVE
    client = as_user("cio_ons")
    client.force_authenticate(cio)  # the user as it now is
    assert contract_organisations(client) == {"office-for-statistics-and-skills"}
    assert client.get(f"{APPLICATIONS}{applied}/").json()["status"] == "approved"


def test_the_pages_show_the_application_to_its_applicant(client, world, applied):
    client.force_login(world["cio_ons"])
    assert applied in client.get("/applications/").content.decode()
    assert client.get(f"/applications/{applied}/").status_code == 200
    client.force_login(world["cio_dius"])
    assert client.get(f"/applications/{applied}/").status_code == 404
