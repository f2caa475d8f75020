"""The contracts page's organisation filter without JavaScript (a text field taking a name,
short name or slug) and its suggestions endpoint (what accessible-autocomplete asks as you
type; tests/e2e/test_organisation_autocomplete.py drives it in a browser)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts import selectors
from demo.scale import load_scale_data
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("contracts:list")
SUGGEST = reverse("contracts:organisation-suggestions")
UNKNOWN = "Enter the name of an organisation that has contracts you can see"


@pytest.fixture
def bodies():
    made = {}
    for slug, name, short in (
        ("marine", "Marine Management Organisation", "MMO"),
        ("marine-scotland", "Marine Scotland", ""),
        ("ofwat", "Water Services Regulation Authority", "Ofwat"),
    ):
        organisation = factories.OrganisationFactory(
            slug=slug, name=name, short_name=short, member=True
        )
        made[slug] = factories.ContractFactory(
            reference=f"CON-{slug.upper()}", organisation=organisation
        )
    factories.OrganisationFactory(slug="no-contract", name="Marine Archive", member=True)
    return made


def _references(response) -> list[str]:
    return sorted(contract.reference for contract, _ in response.context["rows"])


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("ofwat", "CON-OFWAT"),  # slug
        ("Water Services Regulation Authority", "CON-OFWAT"),  # full name
        ("water services regulation authority", "CON-OFWAT"),  # any case
        ("OFWAT", "CON-OFWAT"),  # short name
        ("Regulation", "CON-OFWAT"),  # enough of the name to match one
        ("Marine Scotland", "CON-MARINE-SCOTLAND"),  # exact name, though "Marine" matches two
        ("  MMO ", "CON-MARINE"),
    ],
)
def test_the_filter_takes_a_typed_name_without_javascript(
    client, procurement, bodies, typed, found
):
    client.force_login(procurement)
    response = client.get(URL, {"organisation": typed})
    assert response.status_code == 200
    assert _references(response) == [found]
    # The field shows the organisation's name back, and links keep its slug.
    organisation = bodies[found.removeprefix("CON-").lower()].organisation
    assert f'value="{organisation.name}"' in response.content.decode()
    assert response.context["download_query"] == f"?organisation={organisation.slug}"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Marine", "More than one organisation matches what you entered: enter more of its name"),
        ("Atlantis", UNKNOWN),
        ("Marine Archive", UNKNOWN),  # exists, but has no contract
        ("x" * 201, "Organisation must be 200 characters or fewer"),
        ("a\x00b", "Organisation must not include a null character"),
    ],
)
def test_a_name_that_finds_no_one_organisation_is_an_error(
    client, procurement, bodies, typed, message
):
    client.force_login(procurement)
    response = client.get(URL, {"organisation": typed})
    assert response.status_code == 200
    assert response.context["form"].errors == {"organisation": [message]}
    body = response.content.decode()
    assert 'href="#id_organisation"' in body
    assert 'aria-describedby="id_organisation-hint id_organisation-error"' in body


def test_the_page_renders_a_text_field_not_a_list_of_organisations(client, procurement, bodies):
    client.force_login(procurement)
    body = client.get(URL).content.decode()
    assert '<input type="text" name="organisation"' in body
    assert "<option" not in body.split('id="id_organisation"')[1].split("</div>")[0]
    assert 'data-module="app-organisation-autocomplete"' in body
    assert f'data-source="{SUGGEST}"' in body
    assert "accessible-autocomplete.min.js" in body


def test_a_cio_finds_only_their_own_organisation(client, cio, bodies):
    own = factories.ContractFactory(reference="CON-OWN", organisation=cio.organisation)
    client.force_login(cio)
    assert _references(client.get(URL, {"organisation": cio.organisation.name})) == [own.reference]
    response = client.get(URL, {"organisation": "Ofwat"})
    assert response.context["form"].errors == {"organisation": [UNKNOWN]}
    assert client.get(SUGGEST, {"q": "Marine"}).json()["results"] == []


def test_suggestions_are_scoped_and_put_names_starting_with_the_text_first(
    client, procurement, bodies
):
    client.force_login(procurement)
    found = client.get(SUGGEST, {"q": "marine"}).json()
    assert found == {
        "results": [
            {"slug": "marine", "name": "Marine Management Organisation"},
            {"slug": "marine-scotland", "name": "Marine Scotland"},
        ],
        "page": 1,
        "more": False,
    }
    assert client.get(SUGGEST, {"q": "regulation"}).json()["results"] == [
        {"slug": "ofwat", "name": "Water Services Regulation Authority"}
    ]
    assert client.get(SUGGEST, {"q": ""}).json()["results"] == []


def test_suggestions_come_a_bounded_page_at_a_time(client, procurement, demo):
    load_scale_data(120)
    client.force_login(procurement)
    first = client.get(SUGGEST, {"q": "0"}).json()
    assert len(first["results"]) == selectors.SUGGESTIONS_PAGE_SIZE and first["more"]
    second = client.get(SUGGEST, {"q": "0", "page": 2}).json()
    assert {r["slug"] for r in first["results"]}.isdisjoint(r["slug"] for r in second["results"])
    last = client.get(SUGGEST, {"q": "0", "page": selectors.SUGGESTIONS_MAX_PAGE}).json()
    assert last["more"] is False


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"q": "x" * 101}, {"q": ["Enter 100 characters or fewer."]}),
        ({"q": "a\x00"}, {"q": ["Enter text without a null character."]}),
        ({"q": "a", "page": "0"}, {"page": ["Enter a whole number from 1 to 20."]}),
        ({"q": "a", "page": "21"}, {"page": ["Enter a whole number from 1 to 20."]}),
        ({"q": "a", "page": "two"}, {"page": ["Enter a whole number from 1 to 20."]}),
    ],
)
def test_bad_suggestion_requests_are_400s(client, procurement, query, errors):
    client.force_login(procurement)
    response = client.get(SUGGEST, query)
    assert response.status_code == 400
    assert response.json() == errors


def test_suggestions_need_sign_in(client):
    response = client.get(SUGGEST, {"q": "a"})
    assert response.status_code == 302


# the session with its user and groups; the count with the totals; the page of contracts with
# organisations; their lines; with a filter, the organisation named (one query however many
# there are).
@pytest.mark.parametrize(
    ("query", "queries"),
    [({}, 4), ({"organisation": "Department for Innovation, Universities and Skills"}, 5)],
)
def test_list_page_queries_stay_the_same_at_scale(
    client, demo, django_assert_num_queries, query, queries
):
    client.force_login(factories.ProcurementOfficerFactory())
    with django_assert_num_queries(queries):
        assert client.get(URL, query).status_code == 200
    load_scale_data(120)
    with django_assert_num_queries(queries):
        response = client.get(URL, {**query, "sort": "-annual_value", "page": "2"})
    assert response.status_code == 200


def test_suggestion_queries_stay_the_same_at_scale(client, demo, django_assert_num_queries):
    client.force_login(factories.ProcurementOfficerFactory())
    # the session with its user and groups (for the role check), the suggestions
    with django_assert_num_queries(2):
        small = client.get(SUGGEST, {"q": "o"}).json()
    load_scale_data(120)
    with django_assert_num_queries(2):
        large = client.get(SUGGEST, {"q": "o", "page": "2"}).json()
    assert len(large["results"]) == selectors.SUGGESTIONS_PAGE_SIZE > len(small["results"])
