"""Large contract lists exported as background jobs: the page and API paths, the job's file
(the same bytes an immediate download gives), who may see it, failure, expiry, idempotency.

Celery is eager here; the on-commit callback that sends the task runs only inside
`django_capture_on_commit_callbacks(execute=True)`, so a test can look at a queued job first.
tests/procurement/test_export_worker.py runs the same through a real worker.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from contracts.models import Contract, ContractDownload, DownloadKind
from contracts.selectors import contracts_visible
from procurement import exports, services
from procurement.filters import order_contracts
from procurement.models import ExportJob, ExportStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _signed_in(client, username: str):
    client.force_login(_user(username))
    return client


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _immediate_csv(user: User, sort: str = "-signed_on") -> bytes:
    contracts = order_contracts(contracts_visible(user=user), sort)
    return "".join(exports.csv_lines(contracts, on_complete=lambda rows: None)).encode()


# --- small lists stay immediate --------------------------------------------------------------


def test_a_list_within_the_threshold_downloads_at_once(demo, client, settings):
    settings.EXPORT_SYNC_MAX_ROWS = Contract.objects.count()
    response = _signed_in(client, "procurement").get(reverse("contracts:export-csv"))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == _immediate_csv(_user("procurement"))
    assert not ExportJob.objects.exists()


def test_the_list_page_says_a_long_list_is_made_in_the_background(demo, client, small_threshold):
    response = _signed_in(client, "procurement").get(reverse("contracts:list"))
    body = response.content.decode()
    assert 'id="export-in-background"' in body
    # The links lead to a page, so they must not ask the browser to save that page as a file.
    assert not re.search(r'href="/contracts/export\.csv[^"]*" download', body)


def test_the_list_page_keeps_the_download_links_for_a_short_list(demo, client, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 100
    body = _signed_in(client, "procurement").get(reverse("contracts:list")).content.decode()
    assert 'id="export-in-background"' not in body
    assert re.search(r'href="/contracts/export\.csv" download', body)


# --- the page path ---------------------------------------------------------------------------


def test_a_long_list_becomes_a_queued_job_with_a_progress_page_that_refreshes(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    client = _signed_in(client, "procurement")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("contracts:export-csv"), {"status": "active"})
    job = ExportJob.objects.get()
    assert len(callbacks) == 1  # the task is sent on commit, not before
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:export-job", args=[job.pk])
    assert (job.user.username, job.kind, job.filters, job.status) == (
        "procurement",
        "csv",
        {"status": "active"},
        ExportStatus.QUEUED,
    )
    assert job.rows_total == Contract.objects.filter(status="active").count()

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in body
    assert "govuk-notification-banner" in body
    assert f"Your CSV file of {job.rows_total} contracts is being made" in body
    assert "Waiting to start." in body
    assert not ContractDownload.objects.exists()


def test_following_the_link_again_while_it_is_made_gives_the_same_job(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    client = _signed_in(client, "procurement")
    with django_capture_on_commit_callbacks(execute=False):
        first = client.get(reverse("contracts:export-xlsx"))
        second = client.get(reverse("contracts:export-xlsx"))
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1


def test_a_finished_csv_job_offers_the_same_file_as_an_immediate_download_and_records_it(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    client = _signed_in(client, "procurement")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("contracts:export-csv"), {"sort": "reference"})
    job = ExportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.READY, 4, 4)
    assert job.expires_at == job.finished_at + dt.timedelta(hours=24)

    page = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page  # finished: no more refreshing
    assert "govuk-notification-banner--success" in page
    file_url = reverse("contracts:export-job-file", args=[job.pk])
    assert f'href="{file_url}"' in page
    assert "Download the CSV file of 4 contracts" in page
    assert not ContractDownload.objects.exists()  # made, not yet downloaded

    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="contracts-')
    content = b"".join(download.streaming_content)
    assert content == _immediate_csv(_user("procurement"), sort="reference")
    assert len(_csv_rows(content)) == 5
    record = ContractDownload.objects.get()
    assert (record.user.username, record.kind, record.filters, record.rows) == (
        "procurement",
        DownloadKind.CSV,
        {"sort": "reference"},
        4,
    )


def test_a_finished_xlsx_job_is_a_workbook_of_every_contract(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    client = _signed_in(client, "procurement")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("contracts:export-xlsx"), {"sort": "reference"})
    job = ExportJob.objects.get()
    download = client.get(reverse("contracts:export-job-file", args=[job.pk]))
    assert download["Content-Type"] == exports.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADERS
    assert [row[0] for row in rows[1:]] == sorted(
        Contract.objects.values_list("reference", flat=True)
    )
    assert ContractDownload.objects.get().kind == DownloadKind.XLSX


def test_a_cio_job_holds_only_their_own_organisations_contracts(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    dius = _user("cio-dius")
    factories.ContractFactory.create_batch(3, organisation=dius.organisation)
    client = _signed_in(client, "cio-dius")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("contracts:export-csv"))
    job = ExportJob.objects.get()
    content = b"".join(
        client.get(reverse("contracts:export-job-file", args=[job.pk])).streaming_content
    )
    slugs = {row[2] for row in _csv_rows(content)[1:]}
    assert slugs == {dius.organisation.slug}
    assert job.rows_total == Contract.objects.filter(organisation=dius.organisation).count()


def test_progress_is_recorded_chunk_by_chunk(demo, small_threshold, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 1)
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.export_job_run(job_id=job.pk) == ExportStatus.READY
    progress = [
        query["sql"]
        for query in queries
        if query["sql"].startswith("UPDATE") and '"rows_done" =' in query["sql"]
    ]
    # Claimed at 0, then one update per chunk read (0, 1, 2, 3 done), then finished at 4.
    assert len(progress) == 6
    assert [re.search(r'"rows_done" = (\d+)', sql).group(1) for sql in progress] == [
        "0", "0", "1", "2", "3", "4",
    ]  # fmt: skip


# --- who may see a job -----------------------------------------------------------------------


def test_another_users_job_page_and_file_are_not_found(
    demo, client, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_request(
            user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
        )
    job.refresh_from_db()
    assert job.status == ExportStatus.READY
    for username in ("approver", "cio-dius"):
        other = _signed_in(client, username)
        assert other.get(reverse("contracts:export-job", args=[job.pk])).status_code == 404
        assert other.get(reverse("contracts:export-job-file", args=[job.pk])).status_code == 404
    assert not ContractDownload.objects.exists()
    client.logout()
    page = client.get(reverse("contracts:export-job", args=[job.pk]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_the_file_of_an_unfinished_job_is_not_found(demo, client, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    response = _signed_in(client, "procurement").get(
        reverse("contracts:export-job-file", args=[job.pk])
    )
    assert response.status_code == 404


# --- failure, idempotency, expiry --------------------------------------------------------------


def test_a_failed_job_is_recorded_and_shown_with_a_way_to_ask_again(demo, client, small_threshold):
    # The organisation the filters named has gone since the job was asked for.
    job = services.export_job_request(
        user=_user("procurement"),
        kind=DownloadKind.XLSX,
        filters={"organisation": "gone"},
        rows_total=9,
    )
    assert services.export_job_run(job_id=job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == services.FAILURE_MESSAGE
    assert job.finished_at is not None and not job.file
    body = (
        _signed_in(client, "procurement")
        .get(reverse("contracts:export-job", args=[job.pk]))
        .content.decode()
    )
    assert "Your file could not be made" in body
    assert services.FAILURE_MESSAGE in body
    assert 'href="/contracts/export.xlsx?organisation=gone"' in body
    assert "http-equiv" not in body


def test_running_a_finished_job_again_changes_nothing(demo, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    assert services.export_job_run(job_id=job.pk) == ExportStatus.READY
    job.refresh_from_db()
    before = (job.file.name, job.finished_at, job.attempts, job.file.read())
    assert services.export_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.file.name, job.finished_at, job.attempts, job.file.read()) == before


def test_a_job_left_running_by_a_dead_worker_is_made_again(demo, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, attempts=1, rows_done=3)
    assert services.export_job_run(job_id=job.pk) == ExportStatus.READY
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done) == (ExportStatus.READY, 2, 4)


def test_the_sweep_sends_a_lost_job_again_and_deletes_expired_files(
    demo, client, small_threshold, settings
):
    lost = services.export_job_request(  # its on-commit task never ran: the message was lost
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    ready = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.XLSX, filters={}, rows_total=4
    )
    services.export_job_run(job_id=ready.pk)
    ready.refresh_from_db()
    path = ready.file.path

    soon = timezone.now() + dt.timedelta(seconds=settings.EXPORT_REQUEUE_SECONDS + 1)
    assert services.export_jobs_sweep(now=soon) == services.SweepResult(republished=1, expired=0)
    lost.refresh_from_db()
    assert lost.status == ExportStatus.READY  # eager: the resent task ran

    later = ready.expires_at + dt.timedelta(seconds=1)
    result = services.export_jobs_sweep(now=later)
    assert result.expired == 2
    ready.refresh_from_db()
    assert (ready.status, ready.file.name) == (ExportStatus.EXPIRED, "")
    assert not os.path.exists(path)
    client = _signed_in(client, "procurement")
    body = client.get(reverse("contracts:export-job", args=[ready.pk])).content.decode()
    assert "Your file has expired" in body
    assert client.get(reverse("contracts:export-job-file", args=[ready.pk])).status_code == 404


def test_a_file_past_its_expiry_is_not_served_before_the_sweep_runs(demo, client, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    services.export_job_run(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = _signed_in(client, "procurement")
    assert client.get(reverse("contracts:export-job-file", args=[job.pk])).status_code == 404
    assert (
        "Your file has expired"
        in client.get(reverse("contracts:export-job", args=[job.pk])).content.decode()
    )


# --- the API -----------------------------------------------------------------------------------


def _api(api_client, username: str):
    api_client.force_authenticate(_user(username))
    return api_client


def test_api_answers_202_with_the_job_and_its_location_then_serves_the_file(
    demo, api_client, small_threshold, django_capture_on_commit_callbacks
):
    client = _api(api_client, "procurement")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get("/api/v1/contracts/export.csv", {"kind": "platform"})
    job = ExportJob.objects.get()
    assert response.status_code == 202
    location = f"http://testserver/api/v1/exports/{job.pk}/"
    assert response["Location"] == location
    assert response.json() == {
        "id": str(job.pk),
        "url": location,
        "format": "csv",
        "status": "queued",
        "filters": {"kind": "platform"},
        "rows_done": 0,
        "rows_total": job.rows_total,
        "error": "",
        "created_at": response.json()["created_at"],
        "finished_at": None,
        "expires_at": None,
        "file_url": None,
    }
    assert client.get(f"{location}file").status_code == 409

    for callback in callbacks:
        callback()
    status = client.get(location).json()
    assert (status["status"], status["rows_done"], status["rows_total"]) == (
        "ready",
        job.rows_total,
        job.rows_total,
    )
    assert status["file_url"] == f"{location}file"
    download = client.get(status["file_url"])
    assert download.status_code == 200
    rows = _csv_rows(b"".join(download.streaming_content))
    assert len(rows) == 1 + job.rows_total
    assert ContractDownload.objects.get().filters == {"kind": "platform"}


def test_api_small_export_is_still_the_file(demo, api_client, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 100
    response = _api(api_client, "procurement").get("/api/v1/contracts/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE


def test_api_job_of_another_user_is_not_found(demo, api_client, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    services.export_job_run(job_id=job.pk)
    client = _api(api_client, "approver")
    assert client.get(f"/api/v1/exports/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/exports/{job.pk}/file").status_code == 404
    assert client.get("/api/v1/exports/not-a-uuid/").status_code == 404


def test_api_bad_filters_are_refused_before_any_job(demo, api_client, small_threshold):
    response = _api(api_client, "procurement").get("/api/v1/contracts/export.csv", {"kind": "nope"})
    assert response.status_code == 400
    assert "kind" in response.json()
    assert not ExportJob.objects.exists()


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("contracts", [4, 40])
def test_job_page_queries_do_not_grow_with_the_list(
    demo, client, small_threshold, contracts, django_assert_num_queries
):
    factories.ContractFactory.create_batch(contracts - Contract.objects.count())
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=contracts
    )
    services.export_job_run(job_id=job.pk)
    client = _signed_in(client, "procurement")
    # the session with its user, organisation and roles (navigation), the job
    with django_assert_num_queries(2):
        assert client.get(reverse("contracts:export-job", args=[job.pk])).status_code == 200


def test_the_admin_lists_jobs_read_only(demo, client, small_threshold):
    job = services.export_job_request(
        user=_user("procurement"), kind=DownloadKind.CSV, filters={}, rows_total=4
    )
    client = _signed_in(client, "admin")
    response = client.get(reverse("admin:procurement_exportjob_changelist"))
    assert response.status_code == 200
    assert "procurement" in response.content.decode()
    assert client.get(reverse("admin:procurement_exportjob_add")).status_code == 403
    change = client.post(
        reverse("admin:procurement_exportjob_change", args=[job.pk]), {"status": "ready"}
    )
    assert change.status_code == 403
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED
