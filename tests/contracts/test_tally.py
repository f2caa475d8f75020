"""The running tally of contracts (contracts/tally.py): after any write, through the ORM, raw
SQL or a set-based update, rolled back or not, and after compaction, its sums are exactly what
summing the contracts themselves gives (selectors.contract_totals), for every status and kind."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from contracts import selectors, services
from contracts.models import (
    Contract,
    ContractDownload,
    ContractKind,
    ContractStatus,
    ContractTally,
    DownloadKind,
    DownloadTally,
)
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FILTERS = [
    {},
    *({"status": s} for s in ContractStatus.values),
    *({"kind": k} for k in ContractKind.values),
    *({"status": s, "kind": k} for s in ContractStatus.values for k in ContractKind.values),
]


def _counted(filters: dict) -> selectors.ContractTotals:
    return selectors.contract_totals(Contract.objects.filter(**filters))


def _tallied(user, filters: dict) -> selectors.ContractTotals:
    return selectors.contract_list_totals(
        user=user, contracts=Contract.objects.filter(**filters), filters=filters
    )


def _assert_agree(user) -> None:
    for filters in FILTERS:
        assert _tallied(user, filters) == _counted(filters), filters


def _write(rng: random.Random) -> None:
    contracts = list(Contract.objects.order_by("pk").values_list("pk", flat=True))
    choice = rng.randrange(8)
    if choice == 0 or not contracts:
        factories.ContractLineFactory(
            contract__kind=rng.choice(ContractKind.values),
            contract__term_years=rng.randint(1, 10),
            seats=rng.randint(1, 3000),
            current_unit_price=D(rng.randint(1, 300_000)) / 100,
        )
    elif choice == 1:
        Contract.objects.filter(pk=rng.choice(contracts)).update(
            annual_value=D(rng.randint(0, 10**9)) / 100
        )
    elif choice == 2:
        Contract.objects.filter(pk=rng.choice(contracts)).update(term_years=rng.randint(1, 10))
    elif choice == 3:
        pk = rng.choice(contracts)
        status = rng.choice([ContractStatus.ACTIVE, ContractStatus.ENDED])
        Contract.objects.filter(pk=pk).update(
            status=status, ended_on=dt.date(2027, 1, 1) if status == ContractStatus.ENDED else None
        )
    elif choice == 4:  # a set-based statement outside the ORM, as the repricing writes
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contracts_contract SET annual_value = annual_value + 0.01 "
                "WHERE id %% 2 = %s",
                [rng.randrange(2)],
            )
    elif choice == 5:
        Contract.objects.filter(pk=rng.choice(contracts)).update(
            kind=rng.choice(ContractKind.values)
        )
    elif choice == 6:  # rolled back: leaves no trace
        with pytest.raises(RuntimeError), transaction.atomic():
            Contract.objects.update(annual_value=D("1.00"))
            raise RuntimeError
    else:
        services.contract_tally_compact()


def test_the_tally_agrees_with_the_contracts_after_every_kind_of_write(procurement):
    rng = random.Random(20261201)
    _assert_agree(procurement)
    for _ in range(40):
        _write(rng)
        _assert_agree(procurement)
    assert Contract.objects.count() > 5


def test_compaction_keeps_the_sums_in_a_row_per_status_and_kind(procurement):
    for kind in ContractKind.values:
        factories.ContractLineFactory.create_batch(3, contract__kind=kind)
    Contract.objects.filter(pk=Contract.objects.first().pk).update(annual_value=D("12.34"))
    assert ContractTally.objects.count() > 4
    before = [_tallied(procurement, f) for f in FILTERS]
    assert services.contract_tally_compact() == ContractTally.objects.count() == 2
    assert [_tallied(procurement, f) for f in FILTERS] == before
    _assert_agree(procurement)


def test_deleting_contracts_takes_them_off(procurement):
    factories.ContractLineFactory.create_batch(3)
    contract = Contract.objects.first()
    contract.lines.all().delete()
    Contract.objects.filter(pk=contract.pk).delete()
    _assert_agree(procurement)
    assert _tallied(procurement, {}).count == 2


def test_emptying_the_contracts_table_empties_the_tally(procurement):
    factories.ContractLineFactory.create_batch(2)
    assert ContractTally.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks left pending
        cursor.execute("TRUNCATE contracts_contract CASCADE")
    assert not ContractTally.objects.exists()
    _assert_agree(procurement)


def test_the_migration_counts_the_contracts_already_there(procurement):
    factories.ContractLineFactory.create_batch(4)
    ContractTally.objects.all().delete()
    assert _tallied(procurement, {}).count == 0
    seed = importlib.import_module("contracts.migrations.0011_contract_tally").seed
    with connection.schema_editor() as editor:
        seed(django_apps, editor)
    _assert_agree(procurement)


def test_only_whole_lists_for_staff_use_the_tally(procurement, cio, django_assert_num_queries):
    factories.ContractLineFactory.create_batch(3)
    ContractTally.objects.create(
        status=ContractStatus.ACTIVE,
        kind=ContractKind.PLATFORM,
        contracts=0,
        annual_pence=0,
        total_pence=0,
    )  # a zero row: nothing changes, but proves which source answered
    for user in (procurement, cio):
        permissions.role_names(user)  # their roles, read once, as a request reads them
    with django_assert_num_queries(1) as captured:
        _tallied(procurement, {"status": "active"})
    assert "contracts_contracttally" in captured.captured_queries[0]["sql"]
    for user, filters in [(procurement, {"q": "x"}), (cio, {})]:
        with django_assert_num_queries(1) as captured:
            selectors.contract_list_totals(
                user=user, contracts=Contract.objects.all(), filters=filters
            )
        assert "contracts_contracttally" not in captured.captured_queries[0]["sql"]


def test_the_list_page_shows_the_tallied_totals(client, procurement):
    for _ in range(3):
        factories.ContractLineFactory(seats=7, current_unit_price=D("1234.56"))
    client.force_login(procurement)
    response = client.get(reverse("contracts:list"), {"status": "active"})
    totals = response.context["totals"]
    assert totals == _counted({"status": "active"})
    assert totals.count == 3 and totals.annual_value == D("25925.76")


# --- The download log's count -------------------------------------------------------------------


def _log_counted() -> int:
    return ContractDownload.objects.count()


def test_the_download_count_agrees_with_the_log_after_every_kind_of_write(procurement):
    def record(n: int = 1) -> None:
        for _ in range(n):
            services.contract_download_record(user=procurement, kind=DownloadKind.CSV, rows=3)

    assert selectors.download_log_length() == _log_counted() == 0
    record(3)
    assert selectors.download_log_length() == _log_counted() == 3
    now = timezone.now()
    ContractDownload.objects.bulk_create(  # one statement, many rows
        ContractDownload(user=procurement, at=now, kind=DownloadKind.XLSX) for _ in range(5)
    )
    with connection.cursor() as cursor:  # outside the ORM: as the scale loader's COPY writes
        cursor.execute(
            "INSERT INTO contracts_contractdownload (user_id, at, kind, filters) "
            "SELECT %s, NOW(), 'csv', '{}' FROM generate_series(1, 4)",
            [procurement.pk],
        )
    assert selectors.download_log_length() == _log_counted() == 12
    ContractDownload.objects.filter(kind=DownloadKind.XLSX).update(rows=1)  # counts nothing
    ContractDownload.objects.filter(kind=DownloadKind.XLSX).delete()
    assert selectors.download_log_length() == _log_counted() == 7
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back: leaves no trace
        record(2)
        raise RuntimeError
    assert selectors.download_log_length() == _log_counted() == 7

    assert DownloadTally.objects.count() > 1
    services.contract_tally_compact()
    assert DownloadTally.objects.count() == 1
    assert selectors.download_log_length() == _log_counted() == 7

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks left pending
        cursor.execute("TRUNCATE contracts_contractdownload")
    assert selectors.download_log_length() == _log_counted() == 0
    assert not DownloadTally.objects.exists()
    services.contract_tally_compact()  # nothing to fold: still nothing
    assert not DownloadTally.objects.exists()


def test_the_migration_counts_the_downloads_already_logged(procurement):
    for _ in range(3):
        services.contract_download_record(user=procurement, kind=DownloadKind.CSV)
    DownloadTally.objects.all().delete()
    assert selectors.download_log_length() == 0
    seed = importlib.import_module("contracts.migrations.0013_download_tally").seed
    with connection.schema_editor() as editor:
        seed(django_apps, editor)
    assert selectors.download_log_length() == _log_counted() == 3


def test_the_download_log_page_numbers_its_pages_from_the_count(client, approver):
    for _ in range(3):
        services.contract_download_record(user=approver, kind=DownloadKind.CSV)
    client.force_login(approver)
    response = client.get(reverse("contracts:downloads"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "3 downloads, page 1 of 1" in response.content.decode()
