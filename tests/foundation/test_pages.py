"""The GOV.UK shell: start page, navigation by role, error pages, API docs without a CDN."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_start_page_has_the_govuk_layout(client):
    body = client.get("/").content.decode()
    assert 'class="govuk-skip-link"' in body
    assert "Flex Portal" in body
    assert "govuk-phase-banner" in body
    assert "govuk-footer" in body
    assert "/static/build/application.css" in body
    assert "Sign in to start" in body


@pytest.mark.parametrize(
    ("factory", "expected", "absent"),
    [
        (
            factories.CIOFactory,
            ["Catalogue", "Get a quote", "Applications", "Contracts", "Rollout"],
            ["Audit"],
        ),
        (
            factories.ApproverFactory,
            ["Catalogue", "Applications", "Contracts", "Rollout", "Audit"],
            ["Get a quote"],
        ),
        (
            factories.ProcurementOfficerFactory,
            ["Catalogue", "Applications", "Contracts", "Framework", "Audit"],
            ["Get a quote"],
        ),
    ],
)
def test_navigation_depends_on_role(client, factory, expected, absent):
    client.force_login(factory())
    body = client.get("/").content.decode()
    nav = body[body.index('id="navigation"') : body.index("</nav>")]
    for label in expected:
        assert f">{label}<" in nav, label
    for label in absent:
        assert f">{label}<" not in nav, label


@override_settings(DEBUG=False)
def test_404_page_is_govuk_styled(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-footer" in response.content.decode()


def test_api_docs_are_served_without_a_cdn(client):
    client.force_login(factories.ProcurementOfficerFactory())
    body = client.get(reverse("api-docs")).content.decode()
    assert "swagger" in body.lower()
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()


def test_openapi_schema_is_served(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200


@override_settings(DEBUG=False)
def test_unknown_api_url_is_a_json_404(client):
    client.force_login(factories.ProcurementOfficerFactory())
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
