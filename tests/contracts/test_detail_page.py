"""/contracts/<reference>/: lines at signing and now, values, savings, price history, rollout."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from accounts.models import User
from contracts.models import Contract
from rollout.models import RolloutPlan

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="procurement"))
    return client


def test_cabinet_office_contract_shows_prices_at_signing_and_now(officer):
    response = officer.get(reverse("contracts:detail", args=["CON-2026-0001"]))
    assert response.status_code == 200
    html = response.content.decode()
    assertContains(
        response,
        "<title>Contract CON-2026-0001 \N{EN DASH} Flex Portal \N{EN DASH} GOV.UK</title>",
        html=False,
    )
    # desktop: 2,500 seats signed at 2970.00, now 2142.68 (down 827.32), 5,356,700.00 a year
    assertInHTML(
        """<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header"><a class="govuk-link" href="/catalogue/desktop/">Standard desktop</a>
          <strong class="govuk-tag govuk-tag--blue">Core</strong></th>
        <td class="govuk-table__cell govuk-table__cell--numeric">2,500</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">£2,970.00</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">£2,142.68</td>
        <td class="govuk-table__cell govuk-table__cell--numeric flex-nowrap">\N{MINUS SIGN}£827.32</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">£5,356,700.00</td>
        </tr>""",
        html,
    )
    for text in [
        "£6,345,200.00",  # annual value now
        "£31,726,000.00",  # total value now
        "£37,125,000.00",  # core value at signing
        "£26,783,500.00",  # core value now
        "£2,893,300.00 (35.1%)",  # savings per year
        "£14,466,500.00",  # savings over the term
        "£8,250,000.00 (2,500 core seats at £3,300.00)",
    ]:
        assertContains(response, text)
    assertContains(response, 'href="/contracts/CON-2026-0001/summary.pdf"')


def test_price_history_of_the_contracts_services_links_to_the_catalogue(officer):
    response = officer.get(reverse("contracts:detail", args=["CON-2026-0004"]))
    history = {h.service.slug: h for h in response.context["price_history"]}
    assert list(history) == ["desktop", "collaboration", "wireless"]
    desktop_prices = [str(s.unit_price) for s in history["desktop"].snapshots]
    # Newest first: DIUS joined (4,100 seats), ONS joined (3,100), Cabinet Office (2,500)
    assert desktop_prices == ["2142.68", "2559.68", "2970.00"]
    assertContains(
        response,
        '<a class="govuk-link" href="/catalogue/collaboration/">Real-time collaboration</a>',
        html=True,
        count=2,
    )
    assertContains(response, "DIUS joined")


def test_rollout_plan_is_linked_when_there_is_one(officer):
    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0001")
    response = officer.get(reverse("contracts:detail", args=["CON-2026-0001"]))
    assertContains(response, f'href="{reverse("rollout:detail", args=[plan.pk])}"')
    assertContains(response, "4 of 5 waves done, 1 in progress; 2,000 of 2,500 seats live (80%)")


def test_no_rollout_plan_yet_and_no_savings_without_previous_cost(officer):
    contract = Contract.objects.get(reference="CON-2026-0003")
    assert not RolloutPlan.objects.filter(contract=contract).exists()
    response = officer.get(reverse("contracts:detail", args=["CON-2026-0003"]))
    assertContains(response, "No rollout plan yet")
    assertNotContains(response, "View the rollout plan")
    assertContains(response, "No previous cost per seat was recorded for this contract")
    assertContains(response, "£97,000.00")


# The change history (PostgreSQL only): the contract's, its lines' and its waves' history (at
# most two queries each, here five), and the actors' names.
HISTORY = 5 if connection.vendor == "postgresql" else 0


def test_detail_page_queries(officer, django_assert_num_queries):
    # the session with its user and groups, the contract with its organisation, its lines with services, the
    # services' latest price snapshots, its rollout plan with seats contracted, the plan's
    # waves; the lifecycle: the open change request, the services' names, the timeline with
    # actors; the application that created it (a link)
    with django_assert_num_queries(10 + HISTORY):
        officer.get(reverse("contracts:detail", args=["CON-2026-0001"]))


@pytest.mark.parametrize(
    ("day", "overdue"),
    [(dt.date(2026, 11, 23), ["Wave 4"]), (dt.date(2026, 11, 20), [])],
)
def test_contract_page_and_rollout_page_agree(officer, day, overdue):
    """Same seats live of seats contracted, and the same waves overdue (wave 4 was due to finish
    on 20 November), as /rollout/ shows for the plan."""
    plan = RolloutPlan.objects.get(contract__reference="CON-2026-0001")
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=LONDON), tick=False):
        contract_page = officer.get(reverse("contracts:detail", args=["CON-2026-0001"]))
        rollout_page = officer.get(reverse("rollout:list"))
    (summary,) = [s for s in rollout_page.context["summaries"] if s.plan.pk == plan.pk]
    progress = summary.progress
    assert (progress.seats_live, progress.seats_contracted) == (2000, 2500)
    assert [wave.name for wave in summary.overdue_waves] == overdue
    seats = "2,000 of 2,500 seats live (80%)"
    assert seats in re.sub(r"\s+", " ", rollout_page.content.decode())
    sentence = contract_page.context["rollout"].summary
    assert sentence == "4 of 5 waves done, 1 in progress; " + seats + (
        "; 1 wave overdue" if overdue else ""
    )
    assertContains(contract_page, sentence)
