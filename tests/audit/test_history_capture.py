"""Every write path leaves a change-history row naming who acted and why: the API, the pages,
the services admin, the repricing task's set-based UPDATE in a worker, the demo loader. The
rows are written by PostgreSQL triggers, so these run on PostgreSQL; on SQLite nothing is
recorded and every write still works."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from accounts.services import api_token_issue
from catalogue.models import PriceBandHistory, Service, ServiceHistory
from contracts.models import Contract, ContractHistory, ContractLine, ContractLineHistory
from core.history import CHANGED, CREATED, RECORDED, history_context
from organisations.models import Organisation, OrganisationHistory
from repricing import services as repricing_services
from repricing.tasks import reprice_framework
from rollout.models import RolloutPlan, WaveHistory
from tests.databases import on_each_database

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres

User = get_user_model()


def _user(username: str):
    return User.objects.get(username=username)


def _metadata(event) -> dict:
    return event.pgh_context.metadata if event.pgh_context_id else {}


@postgres
def test_an_api_approval_records_the_contract_its_lines_and_the_membership_by_the_approver(
    demo, client
):
    approver = _user("approver")
    token = api_token_issue(user=approver)[1]
    response = client.post(
        "/api/v1/applications/FLEX-2026-0001/approve/",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content
    contract = Contract.objects.get(organisation__slug="agency")

    created = ContractHistory.objects.get(pgh_obj=contract, pgh_label=CREATED)
    assert _metadata(created)["user"] == approver.pk
    assert _metadata(created)["url"] == "/api/v1/applications/FLEX-2026-0001/approve/"
    assert "joined" in _metadata(created)["reason"]
    lines = ContractLineHistory.objects.filter(contract_id=contract.pk, pgh_label=CREATED)
    assert lines.count() == contract.lines.count() == 3
    assert {_metadata(e)["user"] for e in lines} == {approver.pk}

    agency = OrganisationHistory.objects.filter(pgh_obj__slug="agency", pgh_label=CHANGED)
    assert [(e.membership_status, _metadata(e)["user"]) for e in agency] == [
        ("active", approver.pk)
    ]


@postgres
def test_the_services_admin_records_the_old_and_new_scheme_the_staff_member_and_the_repricing(
    demo, client, django_capture_on_commit_callbacks
):
    from tests.catalogue.test_admin import change_url, form_data

    admin = _user("admin")
    client.force_login(admin)
    desktop = Service.objects.get(slug="desktop")
    before = desktop.fixed_annual_cost
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(desktop), form_data(desktop, fixed_annual_cost="4100000.00")
        )
    assert response.status_code == 302

    # The admin's change, then the repricing's new price (another event, the same context).
    scheme = (
        ServiceHistory.objects.filter(
            pgh_obj=desktop, pgh_label=CHANGED, fixed_annual_cost=Decimal("4100000.00")
        )
        .order_by("pgh_id")
        .first()
    )
    previous = ServiceHistory.objects.filter(pgh_obj=desktop, pgh_id__lt=scheme.pgh_id).last()
    assert previous.fixed_annual_cost == before != scheme.fixed_annual_cost
    assert _metadata(scheme) == {
        "user": admin.pk,
        "url": change_url(desktop),
        "source": "web",
        "reason": repricing_services.SCHEME_REASON,
    }
    # The repricing the change asked for moved every desktop line, with the same cause.
    repriced = ContractLineHistory.objects.filter(
        service_id=desktop.pk, pgh_label=CHANGED, current_unit_price=Decimal("1850.00")
    )
    assert repriced.count() == ContractLine.objects.filter(service=desktop).count() > 0
    assert {_metadata(e)["reason"] for e in repriced} == {repricing_services.SCHEME_REASON}


@postgres
def test_the_repricing_task_records_every_line_it_repriced_in_one_update_with_its_cause(demo):
    from contracts.services import LineInput, contract_create

    desktop = Service.objects.get(slug="desktop")
    members_lines = list(
        ContractLine.objects.filter(contract__status="active", service=desktop).order_by("pk")
    )
    # A new member's contract, written outside any request as a worker finds it, then the
    # repricing request its approval makes and the task a worker runs.
    organisation = Organisation.objects.get(slug="agency")
    contract_create(
        organisation=organisation,
        kind="platform",
        lines=[LineInput(service=desktop, seats=2000)],
        signed_on=dt.date(2026, 11, 1),
        start_date=dt.date(2026, 12, 1),
        term_years=3,
    )
    repricing_services.repricing_request(reason="The agency joined", caused_by=organisation)
    last_before = ContractLineHistory.objects.order_by("pgh_id").last().pgh_id

    assert reprice_framework.apply().get() == 1

    repriced = ContractLineHistory.objects.filter(pgh_id__gt=last_before, pgh_label=CHANGED)
    # Every member's desktop line, in one set-based UPDATE (the new line already had the price).
    assert sorted(e.pgh_obj_id for e in repriced) == [line.pk for line in members_lines]
    new_price = Service.objects.get(pk=desktop.pk).current_unit_price
    for event in repriced:
        assert event.current_unit_price == new_price
        assert _metadata(event) == {"source": "repricing task", "reason": "The agency joined"}
    price = ServiceHistory.objects.filter(pgh_obj=desktop, pgh_label=CHANGED).last()
    assert price.current_unit_price == new_price
    assert _metadata(price)["reason"] == "The agency joined"


@postgres
def test_a_wave_edited_on_its_page_is_recorded_with_the_cio(demo, client):
    from tests.rollout.test_pages import form_data, wave_url

    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    cio = _user("cio-dius")
    client.force_login(cio)
    response = client.post(wave_url(plan, 1), form_data(seats="30"))
    assert response.status_code == 302
    event = WaveHistory.objects.filter(pgh_label=CHANGED).get()
    assert (event.seats, _metadata(event)["user"], _metadata(event)["source"]) == (
        30,
        cio.pk,
        "web",
    )


@postgres
def test_a_service_called_outside_a_request_records_the_actor_it_is_given(db):
    from tests import factories

    approver = factories.ApproverFactory()
    with history_context(actor=approver, reason="Bulk fix", source="shell"):
        organisation = factories.OrganisationFactory(name="Home Office")
    event = OrganisationHistory.objects.get(pgh_obj=organisation)
    assert event.pgh_label == CREATED
    assert _metadata(event) == {"user": approver.pk, "reason": "Bulk fix", "source": "shell"}


@postgres
def test_the_demo_loader_records_its_rows_as_its_own(demo):
    events = ServiceHistory.objects.filter(pgh_label=CREATED)
    assert events.count() == Service.objects.count()
    assert {_metadata(e)["source"] for e in events} == {"demo loader"}
    assert PriceBandHistory.objects.filter(pgh_label=CREATED).exists()


@postgres
def test_history_rows_cannot_be_changed_or_deleted(demo):
    event = ServiceHistory.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceHistory.objects.filter(pk=event.pk).update(name="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceHistory.objects.filter(pk=event.pk).delete()
    assert ServiceHistory.objects.get(pk=event.pk).name == event.name


@postgres
def test_the_migration_records_every_row_that_existed_before_tracking_began(demo):
    from django.apps import apps

    from core.history import record_existing_rows
    from rollout.models import Wave

    with connection.schema_editor() as editor:
        record_existing_rows("rollout.Wave", "rollout.WaveHistory")(apps, editor)
    recorded = WaveHistory.objects.filter(pgh_label=RECORDED)
    assert sorted(recorded.values_list("pgh_obj_id", "seats", "name")) == sorted(
        Wave.objects.values_list("pk", "seats", "name")
    )
    assert all(e.pgh_context_id is None for e in recorded)


@on_each_database
def test_writes_work_on_either_database_and_only_postgresql_records_them(database, demo, client):
    client.force_login(_user("cio-dius"))
    from tests.rollout.test_pages import form_data, wave_url

    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0004")
    assert client.post(wave_url(plan, 1), form_data(seats="31")).status_code == 302
    assert plan.waves.get(order=1).seats == 31
    recorded = WaveHistory.objects.filter(pgh_label=CHANGED).count()
    assert recorded == (1 if database == "postgresql" else 0)


@postgres
def test_the_expiry_task_records_each_contract_with_its_own_cause(demo):
    import time_machine

    from applications.tasks import end_due_contracts

    # By 1 June 2034 all four demo contracts have expired, in one run of the task.
    with time_machine.travel(dt.datetime(2034, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        assert end_due_contracts() == 4
    ended = {
        event.reference: _metadata(event)
        for event in ContractHistory.objects.filter(status="ended").select_related("pgh_context")
    }
    assert len(ended) == 4
    assert ended["CON-2026-0001"]["reason"] == "Cabinet Office's contract expired"
    assert ended["CON-2026-0002"]["reason"] == "ONS's contract expired"
    assert ended["CON-2026-0003"]["reason"].startswith("DIUS's")
    assert ended["CON-2026-0004"]["reason"].startswith("DIUS's")
    assert {m["source"] for m in ended.values()} == {"contract expiry task"}
