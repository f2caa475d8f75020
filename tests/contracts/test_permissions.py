"""Who may see and download what: the permission matrix for every contract page, download
and API endpoint. Another organisation's contract is a 404; a refused download writes nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import ContractDownload
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cio):
    """The CIO's own contract and another organisation's, each with one line."""
    own = factories.ContractLineFactory(
        contract=factories.ContractFactory(reference="CON-OWN", organisation=cio.organisation)
    ).contract
    other = factories.ContractLineFactory(
        contract=factories.ContractFactory(reference="CON-OTHER")
    ).contract
    return own, other


def _user(name, cio, approver, procurement):
    return {"cio": cio, "approver": approver, "procurement": procurement, "anonymous": None}[name]


def _get(client, url):
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


ONE_CONTRACT_PAGES = [
    ("contracts:detail", "text/html"),
    ("contracts:summary-pdf", "application/pdf"),
]
ONE_CONTRACT_API = [
    ("api-contract-detail", "application/json"),
    ("api-contract-summary-pdf", "application/pdf"),
]
LIST_PAGES = ["contracts:list", "contracts:export-csv", "contracts:export-xlsx"]
LIST_API = ["api-contract-list", "api-contract-export-csv", "api-contract-export-xlsx"]

# role → (sees own?, sees other?); "own" is the CIO's organisation's contract.
MATRIX = {
    "cio": (True, False),
    "procurement": (True, True),
    "approver": (True, True),
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize(("name", "content_type"), ONE_CONTRACT_PAGES + ONE_CONTRACT_API)
def test_one_contract_matrix(
    client, world, cio, approver, procurement, role, which, name, content_type
):
    own, other = world
    contract = own if which == "own" else other
    client.force_login(_user(role, cio, approver, procurement))
    response, content = _get(client, reverse(name, args=[contract.reference]))
    allowed = MATRIX[role][0 if which == "own" else 1]
    downloads = ContractDownload.objects.all()
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        if content_type == "application/pdf":
            assert content.startswith(b"%PDF-")
            assert [(d.contract, d.kind) for d in downloads] == [(contract, "pdf")]
        else:
            assert not downloads.exists()
    else:
        assert response.status_code == 404
        assert contract.reference.encode() not in content
        assert not downloads.exists()


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("name", LIST_PAGES + LIST_API)
def test_lists_and_exports_hold_only_what_the_role_may_see(
    client, world, cio, approver, procurement, role, name
):
    own, other = world
    client.force_login(_user(role, cio, approver, procurement))
    response, content = _get(client, reverse(name))
    assert response.status_code == 200
    expected = {own.reference} if role == "cio" else {own.reference, other.reference}
    if name.endswith("xlsx"):
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        seen = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    else:
        text = content.decode()
        seen = {ref for ref in (own.reference, other.reference) if ref in text}
    assert seen == expected
    if name.endswith(("csv", "xlsx")):
        download = ContractDownload.objects.get()
        assert (download.user, download.rows, download.contract) == (
            _user(role, cio, approver, procurement),
            len(expected),
            None,
        )
    else:
        assert not ContractDownload.objects.exists()


@pytest.mark.parametrize("name", ["contracts:detail", "contracts:summary-pdf"])
def test_anonymous_pages_go_to_sign_in_and_write_nothing(client, world, name):
    own, _ = world
    url = reverse(name, args=[own.reference])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert not ContractDownload.objects.exists()


@pytest.mark.parametrize("name", [*LIST_PAGES, "contracts:downloads"])
def test_anonymous_list_pages_go_to_sign_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ContractDownload.objects.exists()


@pytest.mark.parametrize("name", LIST_API)
def test_anonymous_api_lists_are_refused(api_client, world, name):
    response = api_client.get(reverse(name))
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert not ContractDownload.objects.exists()


@pytest.mark.parametrize("name", ["api-contract-detail", "api-contract-summary-pdf"])
def test_anonymous_api_contract_is_refused(api_client, world, name):
    own, _ = world
    response = api_client.get(reverse(name, args=[own.reference]))
    assert response.status_code in (401, 403)
    assert not ContractDownload.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "contracts:detail",
        "contracts:summary-pdf",
        "api-contract-detail",
        "api-contract-summary-pdf",
    ],
)
def test_unknown_reference_is_404(client, procurement, name):
    client.force_login(procurement)
    assert client.get(reverse(name, args=["CON-NOPE"])).status_code == 404
    assert not ContractDownload.objects.exists()


def test_a_user_without_a_role_sees_no_contracts(client, world):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    own, _ = world
    assert client.get(reverse("contracts:detail", args=[own.reference])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [("approver", 200), ("procurement", 403), ("cio", 403)]
)
def test_download_log_is_for_cabinet_office_staff_only(
    client, cio, approver, procurement, role, status
):
    client.force_login(_user(role, cio, approver, procurement))
    assert client.get(reverse("contracts:downloads")).status_code == status
