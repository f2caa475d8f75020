"""GET /api/v1/ocds/releases.json: an OCDS 1.1 release package of every signed call-off
contract, valid against the OCDS 1.1.5 schemas (offline, from ../shared/standards), with
stable ocids and release ids, figures that agree with the contract page to the penny, no
confidential figure, paged by `links.next` at a flat query count, and rate limited for
anonymous clients. /open-data/ links it and a CSV with one row per contract line."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from catalogue.models import Service
from contracts.models import Contract, ContractStatus
from contracts.services import LineInput, contract_lines_change
from core.formatting import money
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/ocds/releases.json"
# A copy of ../shared/standards/ocds-1.1.5 (with its licence), so a checkout anywhere validates.
SCHEMAS = Path(settings.BASE_DIR) / "standards" / "ocds-1.1.5"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"

User = get_user_model()


def validator() -> Draft4Validator:
    """The package schema, its reference to the release schema's canonical URL answered from
    the local copy (no network), with date-time formats checked (rfc3339-validator)."""
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL, Resource.from_contents(release, default_specification=DRAFT4)
    )
    assert "date-time" in Draft4Validator.FORMAT_CHECKER.checkers
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _package(client, query: str = "") -> dict:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return response.json()


def _changed_dius_contract() -> Contract:
    """DIUS's platform contract with one approved change: more desktop seats."""
    contract = Contract.objects.get(reference="CON-2026-0004")
    desktop = Service.objects.get(slug="desktop")
    line = contract.lines.get(service=desktop)
    contract_lines_change(
        contract=contract,
        seats_after=[LineInput(service=desktop, seats=line.seats + 100)],
        actor=User.objects.get(username="approver"),
        detail="Change CR-1 approved: 100 more desktops",
    )
    return contract


def test_the_package_is_valid_ocds_1_1_5(client, demo):
    _changed_dius_contract()
    package = _package(client)
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    assert package["version"] == "1.1"
    assert len(package["releases"]) == Contract.objects.exclude(status="draft").count()


def test_a_broken_package_is_caught_by_the_same_validation(client, demo):
    package = _package(client)
    package["releases"][0]["date"] = "1 November 2026"
    del package["releases"][0]["initiationType"]
    messages = [e.message for e in validator().iter_errors(package)]
    assert any("is not a 'date-time'" in m for m in messages)
    assert any("'initiationType' is a required property" in m for m in messages)


def test_one_contracts_figures_agree_with_its_page_to_the_penny(client, demo):
    contract = _changed_dius_contract()
    release = next(
        r for r in _package(client)["releases"] if r["ocid"].endswith(contract.reference)
    )
    client.force_login(User.objects.get(username="procurement"))
    page = client.get(f"/contracts/{contract.reference}/").content.decode()
    (ocds_contract,) = release["contracts"]
    value = Decimal(str(ocds_contract["value"]["amount"])).quantize(Decimal("0.01"))
    shown = re.search(r"Total value at signing prices</dt><dd[^>]*>([^<]+)<", page).group(1)
    assert money(value) == shown.strip()
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/catalogue/[^"]+/">([^<]+)</a>.*?</th>\s*'
        r"<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>",
        page,
        flags=re.S,
    )
    page_lines = {name: (seats, price) for name, seats, price in rows}
    assert len(ocds_contract["items"]) == contract.lines.count() == len(page_lines)
    for item in ocds_contract["items"]:
        seats, price = page_lines[item["description"]]
        assert f"{item['quantity']:,}" == seats.strip()
        unit = Decimal(str(item["unit"]["value"]["amount"])).quantize(Decimal("0.01"))
        assert money(unit) == price.strip()
        assert item["unit"]["value"]["currency"] == "GBP"


def test_ocids_and_release_ids_are_stable_and_a_change_is_a_new_release(client, demo):
    reference = "CON-2026-0004"
    first = {r["ocid"]: r["id"] for r in _package(client)["releases"]}
    assert first == {r["ocid"]: r["id"] for r in _package(client)["releases"]}
    ocid = f"{settings.OCDS_OCID_PREFIX}{reference}"
    assert ocid in first
    _changed_dius_contract()
    second = {r["ocid"]: r for r in _package(client)["releases"]}
    assert second[ocid]["id"] != first[ocid]
    assert {o: r["id"] for o, r in second.items() if o != ocid} == {
        o: i for o, i in first.items() if o != ocid
    }
    release = second[ocid]
    assert "contractAmendment" in release["tag"]
    (amendment,) = release["contracts"][0]["amendments"]
    assert amendment["rationale"] == "Change CR-1 approved: 100 more desktops"
    # The award keeps the lines as signed; the contract has them as changed.
    award_seats = {i["id"]: i["quantity"] for i in release["awards"][0]["items"]}
    contract_seats = {i["id"]: i["quantity"] for i in release["contracts"][0]["items"]}
    assert contract_seats[f"{reference}-desktop"] == award_seats[f"{reference}-desktop"] + 100


def test_no_previous_cost_is_published(client, demo):
    contract = Contract.objects.get(reference="CON-2026-0004")
    contract.previous_cost_per_seat = Decimal("2718.28")
    contract.save(update_fields=["previous_cost_per_seat"])
    text = (
        client.get(URL).content.decode()
        + b"".join(client.get("/open-data/contract-lines.csv").streaming_content).decode()
    )
    assert "2718.28" not in text
    assert "previous" not in text.lower() and "saving" not in text.lower()


def test_drafts_are_not_published(client, demo):
    draft = factories.ContractFactory(status=ContractStatus.DRAFT, signed_on=None)
    assert not any(r["ocid"].endswith(draft.reference) for r in _package(client)["releases"])


def test_pages_follow_links_next_to_the_end(client, demo, settings):
    settings.OCDS_PAGE_SIZE = 2
    seen, url, pages = [], URL, 0
    while url:
        package = client.get(url).json()
        assert validator().is_valid(package)
        seen += [r["ocid"] for r in package["releases"]]
        url = package.get("links", {}).get("next")
        pages += 1
    total = Contract.objects.exclude(status="draft").count()
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 2)


@pytest.mark.parametrize("after", ["x", "-1", "1.5", ""])
def test_a_bad_page_address_is_a_400_with_a_field_error(client, demo, after):
    response = client.get(f"{URL}?after={after}")
    assert response.status_code == 400
    assert list(response.json()) == ["after"]


def _grow(n: int) -> None:
    from contracts.services import contract_create

    services = list(Service.objects.order_by("pk")[:2])
    for _ in range(n):
        contract_create(
            organisation=factories.OrganisationFactory(member=True),
            kind="platform",
            lines=[LineInput(service=s, seats=10) for s in services],
            signed_on=Contract.objects.first().signed_on,
            start_date=Contract.objects.first().start_date,
            term_years=3,
        )


def test_a_page_costs_three_queries_however_many_contracts(
    client, demo, settings, django_assert_num_queries
):
    settings.OCDS_PAGE_SIZE = 50
    # the contracts with their organisations; their timelines; the services' names
    with django_assert_num_queries(3):
        client.get(URL)
    _grow(60)
    with django_assert_num_queries(3):
        package = client.get(URL).json()
    assert len(package["releases"]) == 50 and "next" in package["links"]


def test_anonymous_clients_are_rate_limited_and_signed_in_ones_are_not(client, demo, settings):
    settings.OCDS_ANON_RATE = "3/min"
    caches["throttle"].clear()
    assert [client.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    client.force_login(User.objects.get(username="procurement"))
    assert client.get(URL).status_code == 200


def test_the_open_data_page_is_public_and_links_both_downloads(client, demo):
    body = client.get("/open-data/").content.decode()
    assert 'href="/api/v1/ocds/releases.json"' in body
    assert 'href="/open-data/contract-lines.csv"' in body


def test_the_csv_has_one_row_per_contract_line(client, demo):
    response = client.get("/open-data/contract-lines.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    published = Contract.objects.exclude(status="draft")
    assert len(rows) == sum(c.lines.count() for c in published)
    dius = [r for r in rows if r["contract_reference"] == "CON-2026-0004"]
    line = Contract.objects.get(reference="CON-2026-0004").lines.get(service__slug="desktop")
    desktop = next(r for r in dius if r["item_id"] == "CON-2026-0004-desktop")
    assert (desktop["seats"], desktop["unit_value_at_signing_gbp"]) == (
        str(line.seats),
        f"{line.unit_price_at_signing:.2f}",
    )
    assert desktop["ocid"] == f"{settings.OCDS_OCID_PREFIX}CON-2026-0004"
