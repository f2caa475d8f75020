"""Downloads: the summary PDF's content, CSV and XLSX exports checked against the API,
formula injection, streaming, the download record and the download log."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from pytest_django.asserts import assertContains

from accounts.models import User
from contracts.models import ContractDownload
from contracts.selectors import contract_queryset
from procurement.exports import HEADERS, csv_lines, neutralise
from tests import factories

D = Decimal
pytestmark = pytest.mark.django_db


def _login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- the summary PDF -----------------------------------------------------------------------


def test_summary_pdf_of_dius_platform_contract_has_the_key_figures(demo, client):
    response = _login(client, "cio-dius").get(
        reverse("contracts:summary-pdf", args=["CON-2026-0004"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == ('attachment; filename="CON-2026-0004-summary.pdf"')
    reader, text = _pdf_text(response.content)
    assert len(reader.pages) == 1
    text = _squash(text)
    for expected in [
        "CON-2026-0004: Department for Innovation, Universities and Skills",
        "Customer Department for Innovation, Universities and Skills",
        "Flex shared desktop framework, brokered by the Cabinet Office",
        "16 November 2026",
        "7 years, 1 June 2027 to 1 June 2034",
        # desktop 1,000 x £2,142.68 at signing and now
        "Standard desktop (core) 1,000 £2,142.68 £2,142.68 £2,142,680.00 £2,142,680.00",
        "Annual value now £2,330,680.00",
        "£16,314,760.00",  # total value now over 7 years
        "£14,998,760.00",  # core value
        "Savings per year £707,320.00 (24.8%)",
        "Previous cost per seat £2,850.00",
    ]:
        assert expected in text, expected
    assert "Rollout status" in text


def test_summary_pdf_shows_prices_at_signing_and_now_and_the_rollout(demo, client):
    response = _login(client, "procurement").get(
        reverse("api-contract-summary-pdf", args=["CON-2026-0001"])
    )
    _reader, text = _pdf_text(response.content)
    text = _squash(text)
    # Cabinet Office signed desktop at 2970.00; the framework price is now 2142.68.
    assert "2,500 £2,970.00 £2,142.68 £7,425,000.00 £5,356,700.00" in text
    assert "Wireless access 800 £120.00 £95.00 £96,000.00 £76,000.00" in text
    assert "Savings per year £2,893,300.00 (35.1%)" in text
    assert "4 of 5 waves done, 1 in progress; 2,000 of 2,500 seats live (80%)" in text


def test_summary_pdf_without_a_rollout_plan_or_previous_cost(procurement, client):
    contract = factories.ContractFactory(reference="CON-BARE", previous_cost_per_seat=None)
    factories.ContractLineFactory(contract=contract, seats=7, current_unit_price=D("99.99"))
    client.force_login(procurement)
    response = client.get(reverse("contracts:summary-pdf", args=["CON-BARE"]))
    _, text = _pdf_text(response.content)
    text = _squash(text)
    assert "No rollout plan yet" in text
    assert "No previous cost per seat was recorded" in text
    assert "Annual value now £699.93" in text  # 7 x 99.99


def test_summary_pdf_stays_on_one_page_with_many_services(procurement, client):
    organisation = factories.OrganisationFactory(
        slug="long",
        name="Department for Business, Enterprise and Regulatory Reform and Skills Delivery",
        member=True,
    )
    contract = factories.ContractFactory(reference="CON-FULL", organisation=organisation)
    # More services than the catalogue has, at the largest seats and prices it allows.
    for number in range(10):
        factories.ContractLineFactory(
            contract=contract,
            service=factories.ServiceFactory(
                name=f"A service with a long descriptive name {number}"
            ),
            seats=1_000_000,
            unit_price_at_signing=D("9999.99"),
            current_unit_price=D("8765.43"),
        )
    plan = factories.RolloutPlanFactory(contract=contract)
    factories.WaveFactory(plan=plan, status="blocked", blocked_reason="Building works")
    client.force_login(procurement)
    response = client.get(reverse("contracts:summary-pdf", args=["CON-FULL"]))
    reader, text = _pdf_text(response.content)
    assert len(reader.pages) == 1
    # Seats contracted: the largest line, as /rollout/ counts them; the blocked wave is overdue.
    assert "0 of 1 waves done, 1 blocked; 0 of 1,000,000 seats live (0%); 1 wave overdue" in (
        _squash(text)
    )


def test_summary_pdf_is_tagged_with_language_and_title(demo, client):
    response = _login(client, "procurement").get(
        reverse("contracts:summary-pdf", args=["CON-2026-0002"])
    )
    reader, _ = _pdf_text(response.content)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Contract summary CON-2026-0002: Office for National Statistics"
    # The PDF/UA identification, in the XMP metadata
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


def test_summary_download_is_recorded_once_served(demo, client):
    before = dt.datetime.now(dt.UTC)
    _login(client, "cio-ons").get(reverse("contracts:summary-pdf", args=["CON-2026-0002"]))
    download = ContractDownload.objects.get()
    assert download.user.username == "cio-ons"
    assert download.kind == "pdf"
    assert download.contract.reference == "CON-2026-0002"
    assert download.filters == {} and download.rows is None
    assert download.at >= before


def test_a_failed_rendering_is_neither_served_nor_recorded(demo, client, monkeypatch):
    from procurement import pdf

    def broken(contract):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(pdf, "summary_pdf", broken)
    client.raise_request_exception = False
    response = _login(client, "procurement").get(
        reverse("contracts:summary-pdf", args=["CON-2026-0002"])
    )
    assert response.status_code == 500
    assert not ContractDownload.objects.exists()


# --- CSV and XLSX against the API ----------------------------------------------------------


def _api_contracts(client, query=""):
    return {c["reference"]: c for c in client.get(f"/api/v1/contracts/{query}").json()["results"]}


def _csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_matches_the_api_to_the_penny(demo, client):
    _login(client, "procurement")
    response = client.get(reverse("api-contract-export-csv"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contracts-')
    rows = _csv_rows(_body(response))
    api = _api_contracts(client)
    assert [row["Reference"] for row in rows] == list(api)
    for row in rows:
        contract = api[row["Reference"]]
        assert row["Organisation slug"] == contract["organisation"]
        assert row["Kind"] == contract["kind"]
        assert row["Status"] == contract["status"]
        assert row["Signed on"] == contract["signed_on"]
        assert row["Start date"] == contract["start_date"]
        assert row["End date"] == contract["end_date"]
        assert row["Term (years)"] == str(contract["term_years"])
        assert row["Annual value now (GBP)"] == contract["annual_value"]
        assert row["Total value now (GBP)"] == contract["total_value"]
        assert row["Core value at signing (GBP)"] == contract["core_value"]
        assert row["Savings per year (GBP)"] == (contract["savings_per_year"] or "")
        assert row["Services (seats)"] == "; ".join(
            f"{line['service']} x {line['seats']}" for line in contract["lines"]
        )
    dius = next(row for row in rows if row["Reference"] == "CON-2026-0004")
    assert dius["Organisation"] == "Department for Innovation, Universities and Skills"
    assert dius["Core value at signing (GBP)"] == "14998760.00"
    assert dius["Savings (%)"] == "24.8"
    integration = next(row for row in rows if row["Reference"] == "CON-2026-0003")
    assert integration["Previous cost per seat (GBP)"] == ""


def test_xlsx_matches_the_api_and_keeps_numbers_as_numbers(demo, client):
    _login(client, "procurement")
    response = client.get(reverse("contracts:export-xlsx"), {"organisation": "dius"})
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    api = _api_contracts(client, "?organisation=dius")
    assert [row[0] for row in rows[1:]] == list(api) == ["CON-2026-0004", "CON-2026-0003"]
    column = {header: index for index, header in enumerate(HEADERS)}
    for row in rows[1:]:
        contract = api[row[0]]
        annual = row[column["Annual value now (GBP)"]]
        assert isinstance(annual, int | float)
        assert D(str(annual)).quantize(D("0.01")) == D(contract["annual_value"])
        total = row[column["Total value now (GBP)"]]
        assert D(str(total)).quantize(D("0.01")) == D(contract["total_value"])
        assert row[column["Signed on"]].date().isoformat() == contract["signed_on"]
        assert row[column["Term (years)"]] == contract["term_years"]
    assert sheet.cell(row=2, column=column["Annual value now (GBP)"] + 1).number_format == (
        "#,##0.00"
    )
    # An absent figure is an empty cell, not zero.
    assert rows[2][column["Savings per year (GBP)"]] is None


def test_exports_follow_the_filters_and_sort_and_record_them(demo, client):
    _login(client, "procurement")
    query = {"signed_after": "2026-09-01", "sort": "-annual_value", "status": "active"}
    rows = _csv_rows(_body(client.get(reverse("contracts:export-csv"), query)))
    # annual values: 0004 2,330,680.00; 0002 1,314,108.00; 0003 97,000.00
    assert [row["Reference"] for row in rows] == ["CON-2026-0004", "CON-2026-0002", "CON-2026-0003"]
    download = ContractDownload.objects.get()
    assert (download.kind, download.rows, download.contract) == ("csv", 3, None)
    assert download.filters == query


def test_csv_download_is_recorded_only_when_fully_served(demo, client):
    _login(client, "procurement")
    response = client.get(reverse("contracts:export-csv"))
    assert not ContractDownload.objects.exists()  # nothing yet: the file has not been sent
    _body(response)
    assert ContractDownload.objects.get().rows == 4


def test_an_abandoned_csv_stream_is_not_recorded(demo):
    completed = []
    stream = csv_lines(contract_queryset(), on_complete=completed.append)
    assert next(stream).startswith("\ufeffReference,")
    stream.close()  # what a WSGI server does when the client goes away
    assert completed == []
    stream = csv_lines(contract_queryset(), on_complete=completed.append)
    assert "".join(stream).count("\r\n") == 5  # header and four contracts
    assert completed == [4]


@pytest.mark.parametrize("name", ["api-contract-export-csv", "api-contract-export-xlsx"])
def test_export_api_rejects_bad_filters_with_field_errors(demo, client, name):
    _login(client, "procurement")
    response = client.get(
        reverse(name),
        {"status": "gone", "signed_before": "yesterday"},
        HTTP_ACCEPT="text/csv",
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": ["Select a status from the list"],
        "signed_before": [
            "Signed on or before must be a real date, for example 5 10 2026 (or 2026-10-05)"
        ],
    }
    assert not ContractDownload.objects.exists()


@pytest.mark.parametrize("name", ["contracts:export-csv", "contracts:export-xlsx"])
def test_export_page_with_bad_filters_shows_the_error_summary(demo, client, name):
    _login(client, "procurement")
    response = client.get(reverse(name), {"kind": "bogus"})
    assert response.status_code == 400
    assertContains(response, "Select a kind of contract from the list", status_code=400)
    assertContains(response, 'class="govuk-error-summary"', status_code=400)
    assert not ContractDownload.objects.exists()


# --- formula injection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Office for National Statistics", "Office for National Statistics"),
        ("A=B", "A=B"),
        ("", ""),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


@pytest.fixture
def hostile(procurement):
    organisation = factories.OrganisationFactory(
        slug="evil", name='=HYPERLINK("http://evil.example","Click")', member=True
    )
    contract = factories.ContractFactory(reference="@CON-1", organisation=organisation)
    factories.ContractLineFactory(
        contract=contract,
        service=factories.ServiceFactory(slug="svc", kind="core"),
        seats=10,
        unit_price_at_signing=D("5.00"),
        current_unit_price=D("5.00"),
    )
    # 0.00 x 10 core seats - 50.00 a year now: negative savings must stay a number.
    contract.previous_cost_per_seat = D("0.00")
    contract.save()
    return contract


def test_csv_neutralises_formulas_but_keeps_numbers(hostile, client, procurement):
    client.force_login(procurement)
    rows = _csv_rows(_body(client.get(reverse("contracts:export-csv"))))
    assert rows[0]["Reference"] == "'@CON-1"
    assert rows[0]["Organisation"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[0]["Annual value now (GBP)"] == "50.00"
    assert rows[0]["Savings per year (GBP)"] == "-50.00"
    assert rows[0]["Savings (%)"] == ""  # no percentage of a previous cost of nothing


def test_xlsx_stores_formulas_as_plain_text(hostile, client, procurement):
    client.force_login(procurement)
    content = _body(client.get(reverse("api-contract-export-xlsx")))
    sheet = load_workbook(io.BytesIO(content)).active
    reference, organisation = sheet["A2"], sheet["B2"]
    assert (reference.value, reference.data_type) == ("'@CON-1", "s")
    assert organisation.value == '\'=HYPERLINK("http://evil.example","Click")'
    assert organisation.data_type == "s"
    assert sheet["L2"].value == 50 and sheet["L2"].data_type == "n"
    assert sheet["Q2"].value == -50 and sheet["Q2"].data_type == "n"
    assert b"<f>" not in content  # no formula anywhere in the workbook


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api-contract-export-csv", "api-contract-export-xlsx"])
def test_export_queries_stay_constant_as_contracts_grow(
    client, procurement, django_assert_num_queries, name
):
    client.force_login(procurement)
    service = factories.ServiceFactory()

    def add(count):
        for _ in range(count):
            line = factories.ContractLineFactory(service=service)
            factories.ContractLineFactory(contract=line.contract)

    # the session with its user and groups, the count that decides whether the list is made at once or in the
    # background (procurement/services.py), the contracts' rows with organisations (one chunk of
    # up to 1,000), that chunk's lines with services, then recording the download: savepoint,
    # user exists (full_clean), insert, release savepoint
    add(2)
    with django_assert_num_queries(8):
        _body(client.get(reverse(name)))
    add(40)
    with django_assert_num_queries(8):
        _body(client.get(reverse(name), {"kind": "platform"}))
    assert ContractDownload.objects.order_by("pk").last().rows == 42


# --- the download log --------------------------------------------------------------------------


def test_download_log_lists_who_downloaded_what(demo, client, django_assert_num_queries):
    _login(client, "procurement")
    client.get(reverse("contracts:summary-pdf", args=["CON-2026-0004"]))
    _body(client.get(reverse("contracts:export-csv"), {"organisation": "ons"}))
    _login(client, "approver")
    response = client.get(reverse("contracts:downloads"))
    assert [
        (d.user.username, d.kind, d.contract and d.contract.reference, d.rows)
        for d in response.context["page"].object_list
    ] == [("procurement", "csv", None, 1), ("procurement", "pdf", "CON-2026-0004", None)]
    assertContains(response, "organisation: ons")
    assertContains(response, 'href="/contracts/CON-2026-0004/"')
    assertContains(response, "Contract summary (PDF)")

    user = User.objects.get(username="cio-dius")
    ContractDownload.objects.bulk_create(
        ContractDownload(user=user, at=timezone.now(), kind="csv", rows=2) for _ in range(60)
    )
    # the session with its user, their organisation and groups (one statement), the log's length
    # (its running count on PostgreSQL, contracts/tally.py), the page of downloads with their
    # users and contracts
    with django_assert_num_queries(3):
        response = client.get(reverse("contracts:downloads"))
    assert len(response.context["page"].object_list) == 50
    assertContains(response, 'class="govuk-pagination"')
