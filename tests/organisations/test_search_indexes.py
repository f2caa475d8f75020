"""Searching by any part of a name is answered from a trigram index on PostgreSQL (organisations
0004, contracts 0008): the index is on exactly the expression Django's `icontains` compares,
or PostgreSQL would read every row of 40,000 organisations instead."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from contracts.models import Contract
from organisations.models import Organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # so a usable index is always used
        sql, params = queryset.order_by().query.sql_with_params()  # no sort to serve
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("field", ["name", "short_name", "slug"])
def test_organisations_are_found_by_part_of_a_name_from_the_index(field):
    plan = _plan(Organisation.objects.filter(**{f"{field}__icontains": "agency"}))
    assert f"organisation_{field}_trgm" in plan


def test_contracts_are_found_by_part_of_a_reference_from_the_index():
    plan = _plan(Contract.objects.filter(reference__icontains="2026-00"))
    assert "contract_reference_trgm" in plan
