"""The move to layered apps keeps every row of a database made before it.

The database is taken back to the migrations main had before the move (organisations and
applications in `departments`, repricing requests in `catalogue`, the application link on the
contract), filled through the historical models, then migrated forward; every row must come
out under its new app, with its links and reference counters intact. Runs on SQLite and, in
CI, on PostgreSQL (where renaming a table that other tables' keys point at is the risky part).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# main before the move: the apps that did not exist yet are taken back to nothing.
BEFORE = [
    ("applications", None),
    ("core", None),
    ("organisations", None),
    ("repricing", None),
    ("accounts", "0002_initial"),
    ("catalogue", "0003_catalogue_version"),
    ("contracts", "0002_signed_and_download_indexes"),
    ("departments", "0002_reference_counter_queue_index"),
    ("rollout", "0002_wave_actual_end_needs_start_status_valid"),
]
AFTER = [
    ("core", "0001_initial"),
    ("organisations", "0001_initial"),
    ("accounts", "0003_user_organisation_moved"),
    ("applications", "0002_signupapplication_contract"),
    ("catalogue", "0004_repricing_and_organisations_moved"),
    ("contracts", "0003_organisations_and_reference_counters"),
    ("departments", "0003_moved_out"),
    ("repricing", "0001_initial"),
    ("rollout", "0002_wave_actual_end_needs_start_status_valid"),
]


def fill_old_layout(apps) -> dict[str, int]:
    Organisation = apps.get_model("departments", "Organisation")
    User = apps.get_model("accounts", "User")
    Service = apps.get_model("catalogue", "Service")
    SignUpApplication = apps.get_model("departments", "SignUpApplication")
    Contract = apps.get_model("contracts", "Contract")
    now = timezone.now()

    dti = Organisation.objects.create(
        slug="dti", name="DTI", kind="ministerial", staff=4000, membership_status="dissolved"
    )
    dius = Organisation.objects.create(
        slug="dius",
        name="DIUS",
        kind="ministerial",
        staff=1000,
        desktops=1000,
        membership_status="active",
        joined_on=dt.date(2026, 11, 16),
    )
    dius.predecessors.add(dti)
    cio = User.objects.create(username="cio-dius", organisation=dius)
    desktop = Service.objects.create(
        slug="desktop",
        name="Standard desktop",
        kind="core",
        category="infrastructure",
        description="A desktop",
        pricing_scheme="flat",
        unit_price=Decimal("900.00"),
        framework_seats=1000,
        current_unit_price=Decimal("900.00"),
    )
    application = SignUpApplication.objects.create(
        reference="FLEX-2026-0007",
        organisation=dius,
        status="approved",
        term_years=7,
        requested_start=dt.date(2027, 6, 1),
        created_by=cio,
        submitted_at=now,
        decided_at=now,
        decided_by=cio,
    )
    application.lines.create(service=desktop, seats=1000)
    application.events.create(at=now, actor=cio, action="approved", detail="Contract created.")
    apps.get_model("departments", "ApplicationReferenceCounter").objects.create(
        year=2026, last_number=7
    )
    contract = Contract.objects.create(
        reference="CON-2026-10000",
        organisation=dius,
        kind="platform",
        status="active",
        signed_on=dt.date(2026, 11, 16),
        start_date=dt.date(2027, 6, 1),
        term_years=7,
        application=application,
    )
    contract.lines.create(
        service=desktop,
        seats=1000,
        unit_price_at_signing=Decimal("900.00"),
        current_unit_price=Decimal("900.00"),
    )
    # Text order puts 9999 after 10000: the counter must start from the number, not the text.
    Contract.objects.create(
        reference="CON-2026-9999",
        organisation=dius,
        kind="integration",
        status="active",
        signed_on=dt.date(2026, 10, 5),
        start_date=dt.date(2026, 10, 12),
        term_years=1,
    )
    apps.get_model("catalogue", "PriceSnapshot").objects.create(
        service=desktop,
        effective_at=now,
        framework_seats=1000,
        unit_price=Decimal("900.00"),
        reason="DIUS joined",
        caused_by=dius,
    )
    apps.get_model("catalogue", "RepricingRequest").objects.create(
        requested_at=now, reason="DIUS joined", caused_by=dius, processed_at=now
    )
    apps.get_model("catalogue", "RepricingRun").objects.create(
        started_at=now, finished_at=now, requests_processed=1, snapshots_written=1, lines_updated=0
    )
    return {
        "dius": dius.pk,
        "dti": dti.pk,
        "cio": cio.pk,
        "application": application.pk,
        "contract": contract.pk,
    }


def migrate(targets):
    """Migrate the test database to `targets` (backwards too) and return the models then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(
        [target for target in targets if target[1] is not None]
    ).apps


@pytest.fixture
def back_to_latest(transactional_db):
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_moving_to_the_layered_apps_keeps_every_row(back_to_latest):
    old = migrate(BEFORE)
    # As on a database made at main: content types under the old app label only.
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="organisations").delete()
    ContentType.objects.get_or_create(app_label="departments", model="organisation")
    pks = fill_old_layout(old)

    apps = migrate(AFTER)
    Organisation = apps.get_model("organisations", "Organisation")
    dius = Organisation.objects.get(pk=pks["dius"])
    assert (dius.slug, dius.membership_status, dius.joined_on) == (
        "dius",
        "active",
        dt.date(2026, 11, 16),
    )
    assert list(dius.predecessors.values_list("pk", flat=True)) == [pks["dti"]]
    assert (
        apps.get_model("accounts", "User").objects.get(pk=pks["cio"]).organisation_id
        == (pks["dius"])
    )

    application = apps.get_model("applications", "SignUpApplication").objects.get(
        pk=pks["application"]
    )
    assert (application.reference, application.organisation_id, application.contract_id) == (
        "FLEX-2026-0007",
        pks["dius"],
        pks["contract"],
    )
    assert list(application.lines.values_list("seats", flat=True)) == [1000]
    assert list(application.events.values_list("detail", flat=True)) == ["Contract created."]

    contract = apps.get_model("contracts", "Contract").objects.get(pk=pks["contract"])
    assert (contract.reference, contract.organisation_id) == ("CON-2026-10000", pks["dius"])
    assert contract.lines.get().seats == 1000
    snapshot = apps.get_model("catalogue", "PriceSnapshot").objects.get()
    assert (snapshot.caused_by_id, snapshot.reason) == (pks["dius"], "DIUS joined")
    assert apps.get_model("repricing", "RepricingRequest").objects.get().caused_by_id == pks["dius"]
    assert apps.get_model("repricing", "RepricingRun").objects.count() == 1

    counters = dict(
        apps.get_model("core", "ReferenceCounter").objects.values_list("prefix", "last_number")
    )
    assert counters == {"FLEX": 7, "CON": 10000}
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="organisations", model="organisation").exists()
    assert not ContentType.objects.filter(app_label="departments", model="organisation").exists()
