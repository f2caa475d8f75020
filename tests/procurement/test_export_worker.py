"""Export jobs through a real Celery worker, against the real Redis and PostgreSQL.

A worker subprocess (solo pool) consumes from CELERY_BROKER_URL and writes to the test
database and to this module's MEDIA_ROOT; the test process asks through the API as a client
would (Celery not eager) and polls the job's status until the file is ready. The open-data
CSV a large framework publishes (opendata/services.py) is made by the same worker.
"""

from __future__ import annotations

import csv
import io
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from contracts.models import Contract, ContractDownload, ContractKind, ContractStatus, DownloadKind
from flexportal.celery import app
from procurement import services
from procurement.models import ExportJob
from tests.celery_worker import running_worker, wait_for, worker_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WORKER_NAME = f"flex-export-test-{os.getpid()}@{socket.gethostname()}"
EXTRA_CONTRACTS = 2_500


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def worker(django_db_setup, media, tmp_path_factory) -> Iterator[Path]:
    """A Celery worker on the test database and `media`; yields its log. Always stopped."""
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    with running_worker(WORKER_NAME, log, worker_env(MEDIA_ROOT=str(media))):
        yield log


@pytest.fixture
def live(worker, media, settings):
    """Publishing for real, to the worker, with the web side's threshold low."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.MEDIA_ROOT = media
    settings.EXPORT_SYNC_MAX_ROWS = 2
    try:
        yield worker
    finally:
        app.conf.task_always_eager = previous


def _more_contracts(count: int) -> None:
    organisation = Contract.objects.get(reference="CON-2026-0002").organisation
    Contract.objects.bulk_create(
        Contract(
            reference=f"CON-BULK-{n:05d}",
            organisation=organisation,
            kind=ContractKind.INTEGRATION,
            status=ContractStatus.ACTIVE,
            signed_on="2026-03-01",
            start_date="2026-03-01",
            term_years=3,
        )
        for n in range(count)
    )


def _api(api_client, username: str):
    api_client.force_authenticate(get_user_model().objects.get(username=username))
    return api_client


def test_a_large_export_is_made_by_the_worker_with_progress_then_downloaded(demo, live, api_client):
    _more_contracts(EXTRA_CONTRACTS)
    total = Contract.objects.count()
    client = _api(api_client, "procurement")

    response = client.get("/api/v1/contracts/export.csv", {"sort": "reference"})
    assert response.status_code == 202
    location = response["Location"]
    job = ExportJob.objects.get()
    seen: list[tuple[str, int]] = []

    def ready() -> bool:
        status = client.get(location).json()
        seen.append((status["status"], status["rows_done"]))
        return status["status"] in ("ready", "failed")

    wait_for(ready, timeout=60, what="the worker to make the file", log=live)
    assert seen[-1] == ("ready", total)
    done = [rows for _, rows in seen]
    assert done == sorted(done)  # progress only moves forward
    job.refresh_from_db()
    assert job.attempts == 1 and job.rows_total == total

    download = client.get(f"{location}file")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    references = [row[0] for row in rows[1:]]
    assert references == sorted(Contract.objects.values_list("reference", flat=True))
    assert ContractDownload.objects.get().rows == total


def test_a_job_that_fails_in_the_worker_is_recorded_as_failed(demo, live, api_client, client):
    user = get_user_model().objects.get(username="procurement")
    job = services.export_job_request(
        user=user, kind=DownloadKind.XLSX, filters={"organisation": "gone"}, rows_total=5
    )

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in ("ready", "failed")

    wait_for(finished, timeout=30, what="the worker to run the job", log=live)
    assert job.status == "failed"
    assert job.error == services.FAILURE_MESSAGE
    client.force_login(user)
    body = client.get(f"/contracts/exports/{job.pk}/").content.decode()
    assert "Your file could not be made" in body


def test_the_open_data_file_is_made_by_the_worker_when_first_asked_for(
    demo, live, client, settings
):
    """The public contract-lines CSV of a large framework, through the same worker."""
    from opendata import contract_lines
    from opendata.models import PublishedFile

    settings.OPEN_DATA_CSV_IMMEDIATE_MAX = 0
    assert client.get("/open-data/contract-lines.csv").status_code == 503

    wait_for(PublishedFile.objects.exists, timeout=30, what="the worker to publish", log=live)
    response = client.get("/open-data/contract-lines.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "".join(contract_lines.csv_lines())
