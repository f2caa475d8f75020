"""The contract admin: lines' seats and prices are shown, never edited (rollout checks seats
against waves, and repricing owns prices)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contracts.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_contract_lines_seats_and_prices_are_read_only(staff):
    contract = Contract.objects.get(reference="CON-2026-0001")
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = staff.get(url)
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.prefix == "lines"
    assert {"seats", "unit_price_at_signing", "current_unit_price"} <= set(inline.readonly_fields)
    body = response.content.decode()
    assert 'name="lines-0-seats"' not in body
    assert 'name="lines-0-current_unit_price"' not in body

    before = list(contract.lines.values_list("pk", "seats", "current_unit_price").order_by("pk"))
    lines = list(contract.lines.order_by("service__kind", "service__name", "pk"))
    data = {
        field.html_name: field.value() or ""
        for field in response.context["adminform"].form
        if field.value() is not None
    }
    data.update(
        {
            "lines-TOTAL_FORMS": len(lines),
            "lines-INITIAL_FORMS": len(lines),
            "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 1000,
            "_save": "Save",
        }
    )
    for i, form in enumerate(inline.formset.forms):
        data[f"lines-{i}-id"] = form.instance.pk
        data[f"lines-{i}-contract"] = contract.pk
        data[f"lines-{i}-service"] = form.instance.service_id
        data[f"lines-{i}-seats"] = 1  # not a field of the form: ignored
        data[f"lines-{i}-current_unit_price"] = "0.01"
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    after = list(contract.lines.values_list("pk", "seats", "current_unit_price").order_by("pk"))
    assert after == before
