"""An application and the contract its approval created link to each other, and the times on
an application are written as GOV.UK writes them (issue 14: "7:53a.m.", no link between them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import services
from applications.models import SignUpApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(demo):
    application = SignUpApplication.objects.get(organisation__slug="agency")
    approver = get_user_model().objects.get(username="approver")
    services.application_approve(application=application, actor=approver)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("username", ["approver", "cio-agency", "procurement"])
def test_the_application_and_its_contract_link_to_each_other(client, approved, username):
    client.force_login(get_user_model().objects.get(username=username))
    contract = approved.contract
    application_page = client.get(f"/applications/{approved.reference}/").content.decode()
    assert f'href="/contracts/{contract.reference}/">{contract.reference}</a>' in application_page
    contract_page = client.get(f"/contracts/{contract.reference}/")
    assert contract_page.status_code == 200
    html = contract_page.content.decode()
    assert f'href="/applications/{approved.reference}/">{approved.reference}</a>' in html
    # The link leads somewhere the reader may go.
    assert client.get(f"/applications/{approved.reference}/").status_code == 200


def test_a_contract_made_without_an_application_has_no_such_link(client, demo):
    client.force_login(get_user_model().objects.get(username="procurement"))
    html = client.get("/contracts/CON-2026-0001/").content.decode()
    assert 'id="contract-application"' not in html


def test_times_on_an_application_read_7_53am(client, demo):
    application = SignUpApplication.objects.get(organisation__slug="agency")
    at = timezone.make_aware(dt.datetime(2026, 11, 19, 7, 53))  # London, GMT in November
    SignUpApplication.objects.filter(pk=application.pk).update(submitted_at=at)
    application.events.update(at=at)
    client.force_login(get_user_model().objects.get(username="approver"))
    html = client.get(f"/applications/{application.reference}/").content.decode()
    assert "19 November 2026, 7:53am" in html  # the summary
    assert "19 Nov 2026, 7:53am" in html  # the history table
    assert "a.m." not in html and "p.m." not in html
