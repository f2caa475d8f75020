"""/framework/ at any scale: totals and groups from aggregates, members a page at a time, the
same queries however many members; and who sees members' previous costs and savings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from demo.scale import load_scale_data
from framework import selectors
from organisations.models import MembershipStatus, Organisation
from tests import factories
from tests.catalogue.test_pages import text_of

pytestmark = pytest.mark.django_db
URL = "/framework/"


def _user(username):
    return get_user_model().objects.get(username=username)


# Cabinet Office's, ONS's and DIUS's savings rows on the demo data.
ROWS = {
    "cabinet-office": "Cabinet Office (CON-2026-0001) 2,500 £3,300.00 £2,893,300.00 35.1%",
    "ons": "ONS (CON-2026-0002) 600 £2,800.00 £394,392.00 23.5%",
    "dius": "DIUS (CON-2026-0004) 1,000 £2,850.00 £707,320.00 24.8%",
}
TOTALS = "That is 31.3% less than the £12,780,000.00 a year they paid before"


def test_cabinet_office_staff_see_every_members_saving(client, demo):
    client.force_login(_user("approver"))
    text = text_of(client.get(URL))
    assert TOTALS in text
    for row in ROWS.values():
        assert row in text
    # Largest saving first.
    assert text.index(ROWS["cabinet-office"]) < text.index(ROWS["dius"]) < text.index(ROWS["ons"])


def test_a_cio_sees_only_their_own_organisations_saving(client, demo):
    client.force_login(_user("cio-dius"))
    text = text_of(client.get(URL))
    assert TOTALS in text
    assert ROWS["dius"] in text
    assert "Your organisation's savings" in text
    assert ROWS["ons"] not in text and ROWS["cabinet-office"] not in text
    assert "£3,300.00" not in text and "£2,800.00" not in text


def test_a_procurement_officer_sees_the_totals_and_no_members_costs(client, demo):
    client.force_login(_user("procurement"))
    text = text_of(client.get(URL))
    assert TOTALS in text
    for row in ROWS.values():
        assert row not in text
    assert "£3,300.00" not in text and "£2,850.00" not in text


def test_a_cio_of_a_non_member_sees_only_the_totals(client, demo):
    client.force_login(_user("cio-agency"))
    text = text_of(client.get(URL))
    assert TOTALS in text
    assert "savings-table" not in client.get(URL).content.decode()


def test_members_are_grouped_and_paged(client, demo):
    load_scale_data(60)
    client.force_login(_user("procurement"))
    response = client.get(URL)
    overview = response.context["overview"]
    members = Organisation.objects.filter(membership_status=MembershipStatus.ACTIVE)
    assert overview.member_count == members.count() > selectors.MEMBERS_PAGE_SIZE
    assert len(overview.members) == selectors.MEMBERS_PAGE_SIZE
    names = sorted(members.values_list("name", flat=True))
    assert [m.name for m in overview.members] == names[: selectors.MEMBERS_PAGE_SIZE]
    second = client.get(URL, {"page": 2}).context["overview"]
    assert [m.name for m in second.members] == names[selectors.MEMBERS_PAGE_SIZE :][
        : selectors.MEMBERS_PAGE_SIZE
    ]
    # The groups count every member once each way, and their core seats add up to the
    # framework's core seats (every core seat is on a member's active contract).
    core = overview.core
    assert sum(g.members for g in overview.by_kind) == overview.member_count
    assert sum(g.members for g in overview.by_size) == overview.member_count
    assert sum(g.core_seats for g in overview.by_kind) == core.framework_seats
    assert sum(g.core_seats for g in overview.by_size) == core.framework_seats
    tops = [m.core_seats for m in overview.top_members]
    assert len(tops) == selectors.TOP_MEMBERS and tops == sorted(tops, reverse=True)
    text = text_of(response)
    assert f"Members {overview.member_count:,}" in text
    assert "Members and their seats on active contracts, A to Z (page 1 of" in text


def test_member_savings_are_paged_for_cabinet_office_staff(client, demo):
    load_scale_data(200)
    client.force_login(_user("approver"))
    response = client.get(URL, {"savings_page": 2})
    page = response.context["savings_page"]
    assert page.page.number == 2
    assert len(page.savings) == selectors.SAVINGS_PAGE_SIZE
    first = client.get(URL).context["savings_page"].savings
    assert first[0].saving_per_year >= first[-1].saving_per_year >= page.savings[0].saving_per_year
    body = response.content.decode()
    assert 'href="?savings_page=3#savings"' in body


# Cold (nothing cached for this catalogue version yet): the session with its user and groups
# (navigation and the role checks); services; the catalogue version; members per service, members by kind and
# size, the largest, savings totals (cached per version); how many members; a page of them;
# their seats; how many core snapshots; the newest; the middle one or two of the decided
# applications' lead times (their median, never every decision). Then by
# role: approvers a version, count, version and page of members' savings (each cached too), a
# CIO their own organisation's (never cached).
COLD = {"approver": 1 + 12 + 4, "cio-dius": 1 + 12 + 1, "procurement": 1 + 12}
# Warm: the version instead of the four sums (and of the approver's count and page).
WARM = {"approver": 1 + 8 + 2, "cio-dius": 1 + 8 + 1, "procurement": 1 + 8}


@pytest.mark.parametrize("username", sorted(COLD))
def test_queries_stay_the_same_at_any_number_of_members(
    client, demo, django_assert_num_queries, username
):
    client.force_login(_user(username))
    with django_assert_num_queries(COLD[username]):
        small = client.get(URL)
    assert small.status_code == 200
    with django_assert_num_queries(WARM[username]):
        assert text_of(client.get(URL)) == text_of(small)
    load_scale_data(120)  # ends with a repricing: a new catalogue version, nothing cached
    factories.PriceSnapshotFactory.create_batch(5)
    with django_assert_num_queries(COLD[username]):
        large = client.get(URL, {"page": 3, "savings_page": 2})
    assert large.status_code == 200
    with django_assert_num_queries(WARM[username]):
        assert client.get(URL, {"page": 3, "savings_page": 2}).status_code == 200
    assert large.context["overview"].member_count > small.context["overview"].member_count


def test_the_summed_figures_follow_the_next_repricing(client, demo):
    """Cached per catalogue version: a change of seats is seen once it is repriced."""
    from catalogue.selectors import active_services_by_slug
    from repricing.services import framework_reprice, repricing_request

    client.force_login(_user("procurement"))
    before = client.get(URL).context["overview"]
    contract = factories.ContractFactory(
        organisation=factories.OrganisationFactory(name="Aardvark Board", member=True)
    )
    factories.ContractLineFactory(
        contract=contract, service=active_services_by_slug()["desktop"], seats=9_000
    )
    repricing_request(reason="Aardvark joined")
    framework_reprice()
    after = client.get(URL).context["overview"]
    assert after.top_members[0].name == "Aardvark Board"
    assert sum(g.members for g in after.by_kind) == sum(g.members for g in before.by_kind) + 1
