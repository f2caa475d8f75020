"""The suite's copied demo (tests/demo_snapshot.py) is the demo a fresh load gives."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection, transaction

from demo.loader import load_flex_demo
from organisations.models import Organisation
from tests.factories import ApproverFactory, OrganisationFactory

pytestmark = pytest.mark.postgres
ID_IN_TEXT = re.compile(r":\d+(?=\")")  # application-received:564


def _rows_without_ids_or_times(tables) -> dict[str, list[str]]:
    """Each table's rows, sorted, without the columns a second load would number or time
    differently: ids and the keys and references that hold them, timestamps, password salts."""
    out = {}
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                " AND column_name NOT IN ('id', 'password') AND column_name NOT LIKE '%%\\_id'"
                " AND column_name NOT LIKE 'pgh\\_%%'"
                " AND data_type NOT LIKE 'timestamp%%' AND data_type <> 'uuid'",
                [name],
            )
            columns = [row[0] for row in cursor.fetchall()]
            select = ", ".join(f'"{column}"' for column in columns) or "1"
            cursor.execute(f'SELECT row_to_json(t)::text FROM (SELECT {select} FROM "{name}") t')
            out[name] = sorted(
                ID_IN_TEXT.sub(":N", json.dumps(json.loads(row[0]), sort_keys=True))
                for row in cursor
            )
    return out


@pytest.mark.django_db
def test_the_copy_holds_what_a_fresh_load_writes(_demo_data):
    tables = [table.name for table in _demo_data.snapshot.tables]
    with transaction.atomic():
        assert _demo_data.load() == "copied"
        copied = _rows_without_ids_or_times(tables)
        transaction.set_rollback(True)
    load_flex_demo(with_users=True)
    loaded = _rows_without_ids_or_times(tables)

    assert copied == loaded
    assert len(copied["contracts_contractline"]) == 13  # the demo, not an empty table


@pytest.mark.django_db
def test_a_test_with_rows_of_its_own_gets_a_fresh_load(_demo_data):
    approver = ApproverFactory()  # its group is one the demo makes too

    assert _demo_data.load() == "loaded"
    assert approver.groups.get().user_set.count() == 2  # the demo's approver joined it


@pytest.mark.django_db
def test_rows_made_after_the_copy_get_ids_of_their_own(_demo_data):
    _demo_data.load()
    highest = Organisation.objects.order_by("-id").values_list("id", flat=True).first()
    made = OrganisationFactory()
    assert made.id > highest
