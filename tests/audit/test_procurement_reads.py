"""Procurement officers read every sign-up application and its audit trail, on the pages and
in the API, and decide or change none of them (403, nothing written)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from applications.models import ApplicationEvent, SignUpApplication

pytestmark = pytest.mark.django_db

User = get_user_model()
AGENCY = "FLEX-2026-0001"


@pytest.fixture
def officer(demo):
    return User.objects.get(username="procurement")


def test_the_api_lists_every_application_and_shows_its_audit_trail(api_client, officer):
    api_client.force_authenticate(officer)
    listed = api_client.get("/api/v1/applications/").json()
    assert [a["reference"] for a in listed["results"]] == [AGENCY]
    detail = api_client.get(f"/api/v1/applications/{AGENCY}/").json()
    assert [e["action"] for e in detail["events"]] == list(
        ApplicationEvent.objects.filter(application__reference=AGENCY)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert detail["events"]
    assert detail["actions"] == []


@pytest.mark.parametrize("move", ["approve", "reject", "withdraw", "submit"])
def test_api_moves_by_a_procurement_officer_are_refused_and_change_nothing(
    api_client, officer, move
):
    api_client.force_authenticate(officer)
    before = list(SignUpApplication.objects.values_list("status", "decided_at"))
    events = ApplicationEvent.objects.count()
    response = api_client.post(
        f"/api/v1/applications/{AGENCY}/{move}/", {"reason": "No"}, format="json"
    )
    assert response.status_code == 403
    assert list(SignUpApplication.objects.values_list("status", "decided_at")) == before
    assert ApplicationEvent.objects.count() == events


def test_the_pages_show_the_application_and_its_trail_without_decisions(client, officer):
    client.force_login(officer)
    body = client.get(f"/applications/{AGENCY}/").content.decode()
    assert AGENCY in body
    assert "Government Skills Agency" in body
    assert f'action="/applications/{AGENCY}/approve/"' not in body
    for move in ("approve", "reject"):
        response = client.post(f"/applications/{AGENCY}/{move}/", {"reason": "No"})
        assert response.status_code == 403
    assert SignUpApplication.objects.get(reference=AGENCY).status == "submitted"


def test_a_cio_still_sees_only_their_own(api_client, demo):
    api_client.force_authenticate(User.objects.get(username="cio-dius"))
    assert api_client.get(f"/api/v1/applications/{AGENCY}/").status_code == 404
