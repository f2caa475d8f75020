"""The application list (a CIO's own, or the approver's queue), one application, and the
decisions made from the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applications.models import ApplicationStatus, SignUpApplication
from contracts.models import ContractLine
from notifications.models import Notification
from tests import factories

from .conftest import database_state

pytestmark = pytest.mark.django_db

LIST = reverse("applications:application-list")


def _detail(reference: str) -> str:
    return reverse("applications:application-detail", args=[reference])


def _submitted(name: str, *, days_ago: int, seats: int = 500) -> SignUpApplication:
    from django.utils import timezone

    application = factories.SignUpApplicationFactory(
        organisation=factories.OrganisationFactory(name=name),
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    factories.ApplicationLineFactory(
        application=application, service=factories.ServiceFactory(slug="desktop"), seats=seats
    )
    return application


# --- the approver's queue -----------------------------------------------------------------


def test_the_queue_lists_submitted_applications_oldest_first_with_their_age(client, world):
    # Two days old: newer than ONS's demo change request CHG-2026-0001 (three days old), which
    # the queue lists with the sign-ups.
    newer = _submitted("Newer Board", days_ago=2)
    older = _submitted("Older Office", days_ago=40, seats=1200)
    client.force_login(world["approver"])

    response = client.get(LIST)

    body = response.content.decode()
    assert "<title>Applications and changes: submitted" in body
    rows = [
        body.index(row_id)
        for row_id in (
            f'id="application-{older.reference}"',
            'id="application-FLEX-2026-0001"',
            'id="change-CHG-2026-0001"',
            f'id="application-{newer.reference}"',
        )
    ]
    assert rows == sorted(rows)
    older_row = body[rows[0] : body.index("</tr>", rows[0])]
    assert "Older Office" in older_row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">40</td>' in older_row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1,200</td>' in older_row
    agency_row = body[rows[1] : body.index("</tr>", rows[1])]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>' in agency_row
    change_row = body[rows[2] : body.index("</tr>", rows[2])]
    assert "Office for National Statistics" in change_row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in change_row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">+600</td>' in change_row
    assert "4 submitted requests, oldest first" in body
    assert 'id="onboarding-lead-time"' in body
    assert "No applications decided yet" in body


def test_the_queue_filters_by_status(client, world):
    rejected = _submitted("Rejected Agency", days_ago=20)
    SignUpApplication.objects.filter(pk=rejected.pk).update(
        status="rejected",
        decided_at=rejected.submitted_at + dt.timedelta(days=4),
        decided_by=world["approver"],
        reason="No.",
    )
    client.force_login(world["approver"])

    body = client.get(LIST, {"status": "rejected"}).content.decode()
    assert f'id="application-{rejected.reference}"' in body
    assert 'id="application-FLEX-2026-0001"' not in body
    assert "4.0 days from submission to decision, over 1 decided application" in body

    response = client.get(LIST, {"status": "nonsense"})
    assert response.status_code == 400
    # The portal's own message, not Django's "Select a valid choice. nonsense is not one...".
    assertContains(response, "Select a status from the list", status_code=400)


def test_queue_queries_stay_constant_as_applications_grow(client, world, django_assert_num_queries):
    client.force_login(world["approver"])
    client.get(LIST)  # warm the session
    # the session with its user, their organisation and groups (one statement); count of the
    # page; the page's keys (sign-ups and change requests together); the page's applications
    # with organisation and decider; their lines with services; the page's change requests
    # (the demo's CHG-2026-0001) with organisation, contract and decider; their lines with
    # services; the lead-time figures. Growing both kinds: test_change_query_counts.py.
    with django_assert_num_queries(8):
        client.get(LIST)
    for n in range(6):
        _submitted(f"Queue body {n}", days_ago=n)
    with django_assert_num_queries(8):
        client.get(LIST)


# --- a CIO's list -------------------------------------------------------------------------


def test_a_cio_sees_only_their_own_applications_with_status_tags(client, world):
    factories.SignUpApplicationFactory(organisation=world["cio_dius"].organisation, status="draft")
    client.force_login(world["cio_agency"])
    body = client.get(LIST).content.decode()
    assert "Your applications" in body
    assert 'id="application-FLEX-2026-0001"' in body
    assert '<strong class="govuk-tag govuk-tag--blue">Submitted</strong>' in body
    assert "Standard desktop, Email integration, Human resources systems" in body
    assert "is submitted. You can apply again once it has been decided or withdrawn." in body
    assert 'id="new-application"' not in body
    assert "Department for Innovation" not in body


def test_a_cio_without_an_open_application_can_start_one(client, cio_newcomer):
    client.force_login(cio_newcomer)
    response = client.get(LIST)
    assertContains(response, f'href="{reverse("applications:application-start")}"')
    assertContains(response, "has not applied to join Flex yet")


def test_a_member_on_a_platform_contract_is_offered_a_change_not_a_new_application(client, world):
    client.force_login(world["cio_dius"])
    response = client.get(LIST)
    assertNotContains(response, f'href="{reverse("applications:application-start")}"')
    assertNotContains(response, "has not applied to join Flex yet")
    assertContains(response, 'href="/contracts/CON-2026-0004/change/"')
    assertContains(response, f'href="{reverse("applications:application-start")}?kind=integration"')


def test_cio_list_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world["cio_agency"])
    client.get(LIST)
    # the session with its user, their organisation and groups (one statement); applications with
    # organisation and decider; lines with services; the organisation's platform contract
    # (none: it is not a member yet); its change requests (none)
    with django_assert_num_queries(5):
        client.get(LIST)
    organisation = world["cio_agency"].organisation
    for _ in range(4):
        application = factories.SignUpApplicationFactory(
            organisation=organisation,
            status="withdrawn",
            submitted_at=world["agency_application"].submitted_at,
        )
        factories.ApplicationLineFactory(application=application)
    with django_assert_num_queries(5):
        client.get(LIST)


def test_procurement_officers_read_the_queue_and_applications_and_decide_none(client, world):
    client.force_login(world["procurement"])
    assert client.get(LIST).status_code == 200
    body = client.get(_detail("FLEX-2026-0001")).content.decode()
    assert "FLEX-2026-0001" in body
    assert "Approve" not in body


# --- one application ----------------------------------------------------------------------


def test_the_approver_sees_the_application_the_organisation_and_the_pricing_impact(client, world):
    client.force_login(world["approver"])
    body = client.get(_detail("FLEX-2026-0001")).content.decode()

    assert "Government Skills Agency" in body
    assert "Standard desktop: 2,000 seats" in body
    assert "£2,400.00 a year" in body
    assert "(12 days ago)" in body
    impact = body[
        body.index('id="impact-desktop"') : body.index("</tr>", body.index('id="impact-desktop"'))
    ]
    # Now 5,300,000 / 4,100 + 850 = 2,142.68; after 5,300,000 / 6,100 + 850 = 1,718.85;
    # members save (2,142.68 - 1,718.85) x 4,100 = 1,737,703.00 a year.
    for figure in ("2,000", "4,100", "£2,142.68", "£1,718.85", "(19.8% lower)", "£1,737,703.00"):
        assert figure in impact, figure
    hr = body[
        body.index('id="impact-hr-systems"') : body.index(
            "</tr>", body.index('id="impact-hr-systems"')
        )
    ]
    assert "£280.00" in hr and "£173.33" in hr and "£266,675.00" in hr
    assert 'id="approve"' in body and 'id="reject"' in body
    events = body[body.index('id="events"') :]
    assert "Created" in events and "Submitted" in events


def test_a_cio_sees_their_application_and_may_withdraw_but_not_decide(client, world):
    client.force_login(world["cio_agency"])
    body = client.get(_detail("FLEX-2026-0001")).content.decode()
    assert 'id="withdraw"' in body
    assert 'id="approve"' not in body
    assert 'id="next-application"' not in body


def test_another_organisations_application_is_not_found(client, world, unchanged):
    client.force_login(world["cio_dius"])
    with unchanged():
        assert client.get(_detail("FLEX-2026-0001")).status_code == 404
        assert (
            client.post(
                reverse("applications:application-withdraw", args=["FLEX-2026-0001"])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("applications:application-approve", args=["FLEX-2026-0001"])
            ).status_code
            == 404
        )


def test_an_approver_cannot_decide_their_own_organisations_application(client, world, unchanged):
    own = _submitted("unused", days_ago=1)
    SignUpApplication.objects.filter(pk=own.pk).update(organisation=world["approver"].organisation)
    client.force_login(world["approver"])
    body = client.get(_detail(own.reference)).content.decode()
    assert 'id="own-organisation"' in body
    assert 'id="approve"' not in body
    with unchanged():
        assert (
            client.post(
                reverse("applications:application-approve", args=[own.reference])
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("applications:application-reject", args=[own.reference]), {"reason": "x"}
            ).status_code
            == 403
        )


# --- decisions ----------------------------------------------------------------------------


def test_approving_from_the_page_then_going_to_the_next_application(
    client, world, django_capture_on_commit_callbacks
):
    following = _submitted("Next Department", days_ago=2)
    client.force_login(world["approver"])
    url = reverse("applications:application-approve", args=["FLEX-2026-0001"])

    # Approving asks first, showing what approval does to every member's price.
    confirmation = client.get(url).content.decode()
    assert "Approve this application?" in confirmation
    assert 'id="pricing-impact"' in confirmation and 'id="confirm-approval"' in confirmation
    assert SignUpApplication.objects.get(reference="FLEX-2026-0001").status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": ""})

    assert response["Location"] == _detail("FLEX-2026-0001")
    page = client.get(response["Location"]).content.decode()
    assert "Application FLEX-2026-0001 approved." in page
    assert '<strong class="govuk-tag govuk-tag--green">Approved</strong>' in page
    # Next is the oldest request still waiting: ONS's change request, sent three days ago,
    # before the application sent two days ago.
    change_url = reverse("applications:change-detail", args=["CHG-2026-0001"])
    assert change_url == "/applications/changes/CHG-2026-0001/"
    assert f'href="{change_url}" id="next-application"' in page
    assert "Next change request: CHG-2026-0001, Office for National Statistics" in page
    assert _detail(following.reference) not in page
    assert 'id="pricing-impact"' not in page
    assert SignUpApplication.objects.get(reference="FLEX-2026-0001").status == "approved"
    assert ContractLine.objects.get(
        contract__reference="CON-2026-0001", service__slug="desktop"
    ).current_unit_price == Decimal("1718.85")
    assert Notification.objects.filter(template="application_decision").count() == 1


def test_approving_twice_says_why_and_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["approver"])
    url = reverse("applications:application-approve", args=["FLEX-2026-0001"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": ""})
    assert SignUpApplication.objects.get(reference="FLEX-2026-0001").status == "approved"
    before = database_state()
    response = client.post(url, {"note": ""}, follow=True)
    assertContains(response, "Application FLEX-2026-0001 is approved, so it cannot be approved.")
    assert database_state() == before


def test_rejecting_needs_a_reason_and_keeps_nothing_half_done(client, world, unchanged):
    client.force_login(world["approver"])
    url = reverse("applications:application-reject", args=["FLEX-2026-0001"])
    page = client.get(url).content.decode()
    assert '<h1 class="govuk-label-wrapper">' in page
    with unchanged():
        response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: Reject application FLEX-2026-0001" in body
    assert '<a href="#id_reason">Enter the reason for rejecting the application</a>' in body

    response = client.post(url, {"reason": "Seats exceed your staff."})
    assert response["Location"] == _detail("FLEX-2026-0001")
    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")
    assert (application.status, application.reason) == ("rejected", "Seats exceed your staff.")
    assertContains(client.get(_detail("FLEX-2026-0001")), "Seats exceed your staff.")


def test_withdrawing_from_the_page(client, world):
    client.force_login(world["cio_agency"])
    url = reverse("applications:application-withdraw", args=["FLEX-2026-0001"])
    assertContains(client.get(url), "Are you sure you want to withdraw application FLEX-2026-0001?")
    response = client.post(url, {"reason": "Budget moved."})
    assert response["Location"] == _detail("FLEX-2026-0001")
    page = client.get(_detail("FLEX-2026-0001")).content.decode()
    assert "Application FLEX-2026-0001 withdrawn." in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Withdrawn</strong>' in page
    assert 'id="withdraw"' not in page


def test_a_draft_made_through_the_api_is_submitted_from_its_page(client, world):
    draft = factories.SignUpApplicationFactory(
        organisation=world["cio_dius"].organisation, created_by=world["cio_dius"]
    )
    client.force_login(world["cio_dius"])
    assertContains(client.get(_detail(draft.reference)), 'id="submit"')
    client.post(reverse("applications:application-submit", args=[draft.reference]))
    assert SignUpApplication.objects.get(pk=draft.pk).status == "submitted"
    assertNotContains(client.get(_detail(draft.reference)), 'id="submit"')
