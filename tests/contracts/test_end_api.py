"""POST /api/v1/contracts/{reference}/end/: the contract's CIO or Cabinet Office ends a contract
at once or gives notice; anyone else is refused and nothing changes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from contracts.models import Contract, ContractStatus
from tests.applications.conftest import frozen_now  # noqa: F401  (a fixture: 22 November 2026)

pytestmark = pytest.mark.django_db

ONS = "/api/v1/contracts/{}/end/"


@pytest.fixture
def as_user(api_client, frozen_now, demo):  # noqa: F811
    def sign_in(username: str):
        api_client.force_authenticate(get_user_model().objects.get(username=username))
        return api_client

    return sign_in


def ons() -> Contract:
    return Contract.objects.get(organisation__slug="ons")


def test_the_cio_gives_notice_and_the_json_says_so(as_user):
    response = as_user("cio-ons").post(
        ONS.format(ons().reference), {"on": "2027-03-31", "reason": "Moving on"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["notice_on"], body["ended_on"]) == ("active", "2027-03-31", None)
    assert [event["kind"] for event in body["history"]] == ["signed", "notice_given"]


def test_an_approver_ends_a_contract_today(as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused = as_user("approver").post(
            ONS.format(ons().reference), {"on": "2026-11-22"}, format="json"
        )
        assert refused.status_code == 400
        assert refused.json() == {"reason": ["Enter the reason for ending this contract."]}
        response = as_user("approver").post(
            ONS.format(ons().reference),
            {"on": "2026-11-22", "reason": "Body wound up"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["ended_on"]) == ("ended", "2026-11-22")
    assert ons().status == ContractStatus.ENDED


@pytest.mark.parametrize(
    ("who", "data", "status"),
    [
        ("cio-dius", {"on": "2026-11-22"}, 403),  # another organisation's contract
        ("procurement", {"on": "2026-11-22"}, 403),  # reads every contract, ends none
        ("cio-ons", {"on": "2026-11-21"}, 400),  # before today
        ("cio-ons", {"on": "2031-01-01"}, 400),  # after the term (to 1 October 2029)
        ("cio-ons", {}, 400),
    ],
)
def test_refusals_change_nothing(as_user, who, data, status):
    before = list(Contract.objects.values_list("status", "notice_on", "ended_on").order_by("pk"))
    response = as_user(who).post(ONS.format(ons().reference), data, format="json")
    assert response.status_code == status, response.json()
    after = list(Contract.objects.values_list("status", "notice_on", "ended_on").order_by("pk"))
    assert after == before


def test_an_unknown_contract_is_403_for_a_cio_and_404_for_cabinet_office(as_user):
    unknown = ONS.format("CON-1999-0001")
    data = {"on": "2026-11-22"}
    assert as_user("cio-ons").post(unknown, data, format="json").status_code == 403
    assert as_user("approver").post(unknown, data, format="json").status_code == 404


def test_an_ended_contract_cannot_end_again(as_user, django_capture_on_commit_callbacks):
    client = as_user("approver")
    data = {"on": "2026-11-22", "reason": "Body wound up"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ONS.format(ons().reference), data, format="json")
    response = client.post(ONS.format(ons().reference), data, format="json")
    assert response.status_code == 409
