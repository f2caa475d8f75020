"""A member changes its contract through the pages: the question page, check your answers
with the cost and everyone's price, the change request page, the approver's confirmation and
the queue with both kinds of request; and a member's "apply" path leads to changing its
contract, not to a second platform contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from applications import lifecycle
from applications.models import ChangeRequest, SignUpApplication
from catalogue.models import PriceSnapshot, Service
from contracts.models import Contract

pytestmark = pytest.mark.django_db


def platform(slug: str) -> Contract:
    return Contract.objects.get(organisation__slug=slug, kind="platform")


def seats_form(contract: Contract, **after: int) -> dict[str, str]:
    """The question page's answers: every service's current seats, with `after` changed."""
    current = dict(contract.lines.values_list("service__slug", "seats"))
    data = {f"seats_{s.slug}": str(current.get(s.slug, "")) for s in Service.objects.all()}
    data |= {f"seats_{slug.replace('_', '-')}": str(n) for slug, n in after.items()}
    return data


def test_dius_adds_extras_and_an_approver_approves_with_a_note(
    client, world, django_capture_on_commit_callbacks
):
    dius = platform("dius")
    client.force_login(world["cio_dius"])
    contract_page = client.get(reverse("contracts:detail", args=[dius.reference])).content.decode()
    change_url = reverse("lifecycle:change-seats", args=[dius.reference])
    assert f'href="{change_url}"' in contract_page
    assert 'id="timeline"' in contract_page

    page = client.get(change_url)
    assert page.status_code == 200
    assert "Now 400 seats. Enter 0 to remove it." in page.content.decode()

    response = client.post(change_url, seats_form(dius, wireless=1000, hr_systems=1000))
    check_url = reverse("lifecycle:change-check", args=[dius.reference])
    assert response["Location"] == check_url
    check = client.get(check_url).content.decode()
    assert "400 to 1,000 seats (+600)" in check
    assert "Add 1,000 seats" in check
    # HR systems: 600,000 / 3,500 + 40 = 211.43 for everyone (from 280.00).
    assert "£211.43" in check and "£280.00" in check
    assert 'id="pricing-impact"' in check

    response = client.post(check_url)
    change_request = ChangeRequest.objects.get(contract=dius)
    assert response["Location"] == reverse(
        "applications:change-detail", args=[change_request.reference]
    )
    assert (
        f"Change request {change_request.reference} sent."
        in client.get(response["Location"]).content.decode()
    )

    client.force_login(world["approver"])
    queue = client.get(reverse("applications:application-list"), {"type": "change"})
    assert f'id="change-{change_request.reference}"' in queue.content.decode()
    confirm_url = reverse("applications:change-approve", args=[change_request.reference])
    confirm = client.get(confirm_url).content.decode()
    assert "Approve this change request?" in confirm and 'id="pricing-impact"' in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url, {"note": "Within the agreed budget"})
    assert response["Location"] == reverse(
        "applications:change-detail", args=[change_request.reference]
    )
    change_request.refresh_from_db()
    assert (change_request.status, change_request.reason) == (
        "approved",
        "Within the agreed budget",
    )
    assert dict(dius.lines.values_list("service__slug", "seats")) == {
        "desktop": 1000,
        "wireless": 400 + 600,
        "collaboration": 1000,
        "hr-systems": 1000,
    }
    assert PriceSnapshot.objects.filter(service__slug="hr-systems").latest().reason == (
        "DIUS added 1,000 human resources systems seats and added 600 wireless access seats"
    )


def test_the_question_page_refuses_a_change_that_is_leaving(client, world):
    dius = Contract.objects.get(organisation__slug="dius", kind="integration")
    client.force_login(world["cio_dius"])
    response = client.post(
        reverse("lifecycle:change-seats", args=[dius.reference]),
        seats_form(dius, email=0, intranet=0, staff_directory=0),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "which is leaving Flex" in page
    assert not ChangeRequest.objects.filter(contract=dius).exists()


def test_an_open_change_leads_to_its_page_and_others_cannot_change_the_contract(client, world):
    ons = platform("ons")
    client.force_login(world["cio_ons"])
    waiting = ChangeRequest.objects.get(contract=ons, status="submitted")  # the demo's
    response = client.get(reverse("lifecycle:change-seats", args=[ons.reference]))
    assert response["Location"] == reverse("applications:change-detail", args=[waiting.reference])

    client.force_login(world["cio_dius"])
    assert client.get(reverse("lifecycle:change-seats", args=[ons.reference])).status_code == 404
    assert (
        client.get(reverse("applications:change-detail", args=[waiting.reference])).status_code
        == 404
    )
    client.force_login(world["procurement"])
    assert client.get(reverse("lifecycle:change-seats", args=[ons.reference])).status_code == 403
    assert (
        client.post(reverse("applications:change-approve", args=[waiting.reference])).status_code
        == 403
    )


def test_the_queue_holds_sign_ups_and_changes_and_filters_by_type(client, world):
    client.force_login(world["approver"])
    url = reverse("applications:application-list")
    both = client.get(url).content.decode()
    assert 'id="application-FLEX-2026-0001"' in both and 'id="change-CHG-2026-0001"' in both
    sign_ups = client.get(url, {"type": "sign-up"}).content.decode()
    assert 'id="application-FLEX-2026-0001"' in sign_ups and "CHG-2026-0001" not in sign_ups
    changes = client.get(url, {"type": "change"}).content.decode()
    assert "FLEX-2026-0001" not in changes and 'id="change-CHG-2026-0001"' in changes
    bad = client.get(url, {"type": "everything"})
    assert bad.status_code == 400 and "Select a type from the list" in bad.content.decode()


def test_a_rejection_needs_a_reason_and_a_withdrawal_does_not(client, world):
    waiting = ChangeRequest.objects.get(reference="CHG-2026-0001")
    client.force_login(world["approver"])
    url = reverse("applications:change-reject", args=[waiting.reference])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for rejecting the change request" in response.content.decode()
    client.force_login(world["cio_ons"])
    response = client.post(
        reverse("applications:change-withdraw", args=[waiting.reference]), {"reason": ""}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "withdrawn"
    # Deciding it now says why and changes nothing.
    client.force_login(world["approver"])
    response = client.post(url, {"reason": "Too late"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.reason) == ("withdrawn", "")


def test_a_member_applying_again_is_offered_a_change_or_an_integration_call_off(client, world):
    client.force_login(world["cio_dius"])
    page = client.get(reverse("applications:application-start")).content.decode()
    assert "is already a member of Flex" in page
    assert reverse("lifecycle:change-seats", args=[platform("dius").reference]) in page
    assert "?kind=integration" in page
    listing = client.get(reverse("applications:application-list")).content.decode()
    assert "has not applied to join Flex yet" not in listing
    assert 'id="member"' in listing

    start = client.get(reverse("applications:application-start"), {"kind": "integration"})
    assert 'id="integration-call-off"' in start.content.decode()
    client.post(reverse("applications:journey-organisation"), {"organisation": "own"})
    text = client.get(reverse("applications:journey-services")).content.decode()
    assert "Email integration" in text and "Standard desktop" not in text


def test_the_api_cannot_make_a_second_platform_contract(world, as_user, unchanged):
    api = as_user("cio_dius")
    with unchanged():
        response = api.post(
            "/api/v1/applications/",
            {
                "lines": [{"service": "wireless", "seats": 600}],
                "term_years": 3,
                "requested_start": "2027-01-04",
            },
            format="json",
        )
    assert response.status_code == 400
    assert response.json()["contract_kind"] == [
        "DIUS already has a full platform contract, CON-2026-0004: change that contract "
        "instead, or apply for an integration call-off."
    ]
    response = api.post(
        "/api/v1/applications/",
        {
            "contract_kind": "integration",
            "lines": [{"service": "wireless", "seats": 600}],
            "term_years": 1,
            "requested_start": "2027-01-04",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "integration services only" in response.json()["lines"][0]
    response = api.post(
        "/api/v1/applications/",
        {
            "contract_kind": "integration",
            "lines": [{"service": "email", "seats": 200}],
            "term_years": 1,
            "requested_start": "2027-01-04",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["contract_kind"] == "integration"
    assert SignUpApplication.objects.get(reference=response.json()["reference"]).contract_kind == (
        "integration"
    )


def test_the_contract_page_flags_renew_or_leave_and_the_end_page_gives_notice(
    client, world, frozen_now
):
    integration = Contract.objects.get(organisation__slug="dius", kind="integration")
    client.force_login(world["cio_dius"])
    page = client.get(reverse("contracts:detail", args=[integration.reference])).content.decode()
    # Its term ends on 12 October 2027, more than six months after 22 November 2026.
    assert 'id="renew-or-leave"' not in page
    end_url = reverse("lifecycle:end", args=[integration.reference])
    response = client.post(end_url, {"on_0": "31", "on_1": "3", "on_2": "2027", "reason": ""})
    assert response.status_code == 302
    integration.refresh_from_db()
    assert str(integration.notice_on) == "2027-03-31"
    page = client.get(reverse("contracts:detail", args=[integration.reference])).content.decode()
    assert 'id="renew-or-leave"' in page and "ends on 31 March 2027" in page
    home = client.get(reverse("home")).content.decode()
    assert integration.reference in home and "renew or leave" in home

    bad = client.post(end_url, {"on_0": "1", "on_1": "1", "on_2": "2030"})
    assert bad.status_code == 400
    assert "on or before the end of the contract" in bad.content.decode()


def test_the_home_page_tells_a_cio_of_price_changes_since_their_last_visit(
    client, world, frozen_now, django_capture_on_commit_callbacks
):
    client.force_login(world["cio_dius"])
    assert 'id="price-changes"' not in client.get(reverse("home")).content.decode()  # first visit
    ons = platform("ons")
    # An hour later ONS leaves: DIUS's desktop price rises from 2,142.68 to 2,364.29.
    with (
        time_machine.travel(frozen_now + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        lifecycle.contract_leave(contract=ons, actor=world["cio_ons"], on=frozen_now.date())
    with time_machine.travel(frozen_now + dt.timedelta(hours=2), tick=False):
        home = client.get(reverse("home")).content.decode()
        assert 'id="price-changes"' in home
        assert (
            "Standard desktop: £2,142.68 to £2,364.29 per seat a year (up), because ONS left."
            in home
        )
        # Shown once.
        assert 'id="price-changes"' not in client.get(reverse("home")).content.decode()
    assert Service.objects.get(slug="desktop").current_unit_price == Decimal("2364.29")


def test_change_requests_are_read_only_in_the_admin(client, world, unchanged):
    client.force_login(world["admin"])
    waiting = ChangeRequest.objects.get(reference="CHG-2026-0001")
    url = reverse("admin:applications_changerequest_change", args=[waiting.pk])
    page = client.get(url)
    assert page.status_code == 200 and "CHG-2026-0001" in page.content.decode()
    with unchanged():
        client.post(url, {"status": "approved", "reason": "Sneaked in"})
        client.post(
            reverse("admin:applications_changerequest_delete", args=[waiting.pk]), {"post": "yes"}
        )
    assert client.get(reverse("admin:applications_changerequest_add")).status_code == 403


def test_the_contracts_list_flags_contracts_ending_within_six_months(client, world):
    client.force_login(world["procurement"])
    url = reverse("contracts:list")
    assert "renew or leave" not in client.get(url).content.decode()
    # DIUS's integration call-off ends on 12 October 2027: within six months of 1 May 2027.
    with time_machine.travel(dt.datetime(2027, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(world["procurement"])  # the session of November has expired
        page = client.get(url).content.decode()
    assert page.count("renew or leave") == 1
    assert "Ends 12 Oct 2027: renew or leave" in page


def test_a_members_cio_can_still_apply_for_a_new_organisation(client, world):
    client.force_login(world["cio_dius"])
    page = client.get(reverse("applications:application-start")).content.decode()
    assert 'id="apply-for-new-organisation"' in page
    start = client.get(reverse("applications:application-start"), {"for": "new"})
    assert "is already a member" not in start.content.decode()
    assert client.session["applications.application_journey"]["organisation"] == "new"


def test_an_empty_post_still_approves(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["approver"])
    url = reverse("applications:change-approve", args=["CHG-2026-0001"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert ChangeRequest.objects.get(reference="CHG-2026-0001").status == "approved"
