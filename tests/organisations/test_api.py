"""/api/v1/organisations/: the public-sector bodies of docs/interface.md, seen as the rest of
the portal sees them (organisations.selectors.organisations_visible): prospective ones only by
Cabinet Office staff, procurement and their own CIO."""

from __future__ import annotations

import pytest

from accounts.models import User
from organisations.models import Organisation
from organisations.services import organisation_predecessors_add
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"
EVERYONE = ["cabinet-office", "dfes", "dius", "dti", "agency", "ons"]  # by name


def as_user(api_client, username: str):
    api_client.force_authenticate(User.objects.get(username=username))
    return api_client


@pytest.mark.parametrize(
    ("username", "slugs"),
    [
        ("cio-dius", [s for s in EVERYONE if s != "agency"]),
        ("cio-ons", [s for s in EVERYONE if s != "agency"]),
        ("cio-agency", EVERYONE),  # its own organisation, still applying
        ("approver", EVERYONE),
        ("procurement", EVERYONE),
        ("admin", EVERYONE),
    ],
)
def test_the_list_holds_the_organisations_each_role_may_see(api_client, demo, username, slugs):
    body = as_user(api_client, username).get(LIST).json()
    assert body["count"] == len(slugs)
    assert (body["next"], body["previous"]) == (None, None)
    assert [o["slug"] for o in body["results"]] == slugs


def test_an_organisation_as_interface_md_describes_it(api_client, demo):
    body = as_user(api_client, "cio-ons").get(f"{LIST}dius/").json()
    assert body == {
        "slug": "dius",
        "name": "Department for Innovation, Universities and Skills",
        "kind": "ministerial",
        "staff": 1000,
        "desktops": 1000,
        "status": "active",
        "predecessors": ["dfes", "dti"],
    }
    dti = as_user(api_client, "cio-ons").get(f"{LIST}dti/").json()
    assert (dti["status"], dti["desktops"], dti["predecessors"]) == ("dissolved", None, [])


@pytest.mark.parametrize(
    ("username", "status"),
    [("cio-dius", 404), ("cio-ons", 404), ("cio-agency", 200), ("approver", 200)],
)
def test_a_prospective_organisation_is_not_found_by_those_who_may_not_see_it(
    api_client, demo, username, status
):
    response = as_user(api_client, username).get(f"{LIST}agency/")
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not found."}
        missing = api_client.get(f"{LIST}no-such-body/")
        assert (missing.status_code, missing.json()) == (404, response.json())


def test_a_prospective_predecessor_is_not_revealed_either(api_client, demo):
    organisation_predecessors_add(
        organisation=Organisation.objects.get(slug="ons"),
        predecessors=[Organisation.objects.get(slug="agency")],
    )
    assert as_user(api_client, "cio-dius").get(f"{LIST}ons/").json()["predecessors"] == []
    assert as_user(api_client, "approver").get(f"{LIST}ons/").json()["predecessors"] == ["agency"]


def test_signed_out_callers_get_nothing(api_client, demo):
    for url in (LIST, f"{LIST}dius/"):
        response = api_client.get(url)
        assert response.status_code == 401
        assert "results" not in response.json()


def test_the_list_is_paginated_like_the_others(api_client, demo):
    for i in range(60):
        factories.OrganisationFactory(member=True, name=f"Zeta body {i:02}")
    first = as_user(api_client, "cio-ons").get(LIST).json()
    assert first["count"] == 65
    assert len(first["results"]) == 50
    assert first["next"].endswith(f"{LIST}?page=2")
    second = api_client.get(f"{LIST}?page=2").json()
    assert [o["name"] for o in second["results"]][-1] == "Zeta body 59"


def _grow(n: int) -> None:
    """`n` more members, each the successor of two dissolved bodies."""
    for _ in range(n):
        organisation_predecessors_add(
            organisation=factories.OrganisationFactory(member=True),
            predecessors=[
                factories.OrganisationFactory(membership_status="dissolved") for _ in range(2)
            ],
        )


@pytest.mark.parametrize(
    ("username", "url", "queries"),
    [
        # the user's groups; the count; the page; the page's predecessors
        ("cio-dius", LIST, 4),
        ("approver", LIST, 4),
        # the user's groups; the organisation; its predecessors
        ("cio-dius", f"{LIST}dius/", 3),
    ],
)
def test_queries_do_not_grow_with_the_data(
    api_client, demo, django_assert_num_queries, username, url, queries
):
    user = User.objects.get(username=username)
    api_client.force_authenticate(user)
    with django_assert_num_queries(queries):
        assert api_client.get(url).status_code == 200
    _grow(10)
    api_client.force_authenticate(User.objects.get(pk=user.pk))  # groups not yet fetched
    with django_assert_num_queries(queries):
        assert api_client.get(url).status_code == 200
