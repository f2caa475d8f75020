"""The contracts admin's changelists at public-sector scale: no filter listing every
organisation, no date hierarchy over every download, the same queries however many rows."""

from __future__ import annotations

import pytest

from demo.scale import load_scale_data
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url", ["/admin/contracts/contract/", "/admin/contracts/contractdownload/"]
)
def test_changelists_cost_the_same_at_any_size(
    admin_client, demo, django_assert_max_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    load_scale_data(120)
    with django_assert_max_num_queries(len(small)):
        response = admin_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "scale-000" not in body.split('id="changelist-filter"')[-1].split("</nav>")[0]
    if "download" in url:
        assert "toplinks" not in body  # no date hierarchy


def test_the_contract_filter_offers_no_list_of_organisations(admin_client, demo):
    load_scale_data(30)
    body = admin_client.get("/admin/contracts/contract/").content.decode()
    assert "organisation__id__exact" not in body
