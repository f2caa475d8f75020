"""The benchmark scale loader (demo/scale.py, `manage.py load_scale_data`): the shape of the
data, its consistency with the services' rules, idempotence and growth."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from applications.models import ApplicationStatus, SignUpApplication
from catalogue.models import Service
from contracts import selectors, services
from contracts.models import Contract, ContractLine, ContractStatus
from core.references import reference_next
from demo.scale import ScaleDataRefused, _body, load_scale_data, scale_data_counts
from organisations.models import MembershipStatus, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_the_data_has_the_public_sectors_shape(demo):
    counts = load_scale_data(400)
    assert counts["organisations"] == counts["added"] == 400
    # Proportional to 40,000: 5,000 applications, 200,000 downloads, 10,000 snapshots, 2,000
    # plans; about 1.2 contracts and 5 active lines an organisation.
    assert counts["applications"] == 50
    assert counts["downloads"] == 2_000
    assert counts["price_snapshots"] == 100
    assert counts["rollout_plans"] == 20
    assert 450 <= counts["contracts"] <= 520
    assert 1_800 <= counts["active_lines"] <= 2_200
    statuses = set(
        SignUpApplication.objects.filter(organisation__slug__startswith="scale-").values_list(
            "status", flat=True
        )
    )
    assert statuses == set(ApplicationStatus.values)
    scale = Organisation.objects.filter(slug__startswith="scale-")
    # A ministerial department every 4,000, a non-ministerial one every 400 (the 400th here).
    assert set(scale.values_list("kind", flat=True)) == {
        OrganisationKind.MINISTERIAL,
        OrganisationKind.AGENCY,
        OrganisationKind.OTHER,
    }
    assert _body(0, 400).kind == OrganisationKind.NON_MINISTERIAL
    assert scale.filter(staff__lte=500).count() > scale.count() // 2
    assert scale.order_by("-staff").first().staff >= 5_000
    assert set(scale.values_list("membership_status", flat=True)) == {
        MembershipStatus.ACTIVE,
        MembershipStatus.FORMER,
        MembershipStatus.PROSPECTIVE,
    }


def test_prices_and_values_agree_with_a_recomputation(demo):
    load_scale_data(100)
    # Every active line at its service's price, every stored annual value right, and the
    # services' framework seats those of the active lines: a repricing finds nothing to do.
    assert services.contract_lines_reprice() == 0
    assert services.contract_annual_values_refresh(contracts=Contract.objects.all()) == 0
    for service_id, seats in selectors.framework_seats_by_service().items():
        assert Service.objects.get(pk=service_id).framework_seats == seats
    ended = Contract.objects.filter(
        status=ContractStatus.ENDED, organisation__slug__startswith="scale-"
    )
    assert ended.exists()
    assert not ContractLine.objects.filter(contract__in=ended, seats__lte=0).exists()


def test_loading_again_changes_nothing_and_fewer_is_refused(demo):
    first = load_scale_data(50)
    again = load_scale_data(50)
    assert again["added"] == 0
    assert {k: v for k, v in again.items() if k not in ("added", "seconds")} == {
        k: v for k, v in first.items() if k not in ("added", "seconds")
    }
    with pytest.raises(ScaleDataRefused):
        load_scale_data(10)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_scale_data", organisations=10)


def test_growing_gives_the_same_data_as_loading_at_once(demo):
    load_scale_data(40)
    grown = load_scale_data(80)
    assert grown["added"] == 40
    names = list(
        Organisation.objects.filter(slug__startswith="scale-")
        .order_by("slug")
        .values_list("slug", "name", "kind", "staff")
    )
    assert len(names) == 80
    counts = scale_data_counts()
    # Proportional counts depend only on which organisations are loaded.
    assert counts["applications"] == 10 and counts["downloads"] == 400


def test_the_portals_own_references_carry_on_after_the_scale_ones(demo):
    load_scale_data(40)
    from django.db import transaction

    year = Contract.objects.filter(organisation__slug__startswith="scale-").latest("signed_on")
    with transaction.atomic():
        reference = reference_next(prefix="CON", year=year.signed_on.year, model=Contract)
    assert not Contract.objects.filter(reference=reference).exists()


def test_the_command_prints_what_it_loaded(demo, capsys):
    call_command("load_scale_data", organisations=20)
    assert "Scale data loaded. organisations: 20," in capsys.readouterr().out
    # Dated relative to today, whenever the tests run: no active contract has run out.
    assert not selectors.contracts_due_to_end(today=dt.date.today())
