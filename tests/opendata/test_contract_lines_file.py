"""Over OPEN_DATA_CSV_IMMEDIATE_MAX published contracts the contract-lines CSV is a file a
worker makes (opendata/services.py), not made in the visitor's request: at 40,000
organisations it is 203,000 lines and 13 s, which would hold a web worker for each anonymous
download."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from opendata import contract_lines, services
from opendata.models import PublishedFile, PublishedFileName

URL = "/open-data/contract-lines.csv"
pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings, tmp_path, demo):
    """The demo's contracts counted as more than a request may make."""
    settings.OPEN_DATA_CSV_IMMEDIATE_MAX = 0
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _made_now() -> str:
    return "".join(contract_lines.csv_lines())


def test_a_small_framework_gets_the_csv_made_on_request_and_no_file(client, demo):
    response = client.get(URL)
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).decode() == _made_now()
    assert not PublishedFile.objects.exists()


def test_a_large_one_asks_a_worker_then_serves_its_file(
    client, large, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as asked:
        waiting = client.get(URL)
    assert waiting.status_code == 503
    assert waiting["Retry-After"] == "30"
    body = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="30">' in body
    assert "The contract lines file is being made" in body
    assert len(asked) == 1  # the task, sent once the request's transaction committed

    published = PublishedFile.objects.get(name=PublishedFileName.CONTRACT_LINES)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="flex-contract-lines.csv"'
    assert response["Last-Modified"]
    text = b"".join(response.streaming_content).decode()
    assert text == _made_now()
    assert published.rows == len(list(csv.DictReader(io.StringIO(text)))) > 0


def test_many_visitors_ask_for_the_file_once(client, large, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as asked:
        for _ in range(5):
            assert client.get(URL).status_code == 503
    assert len(asked) == 1


def test_the_open_data_page_says_when_the_file_was_made(client, large):
    services.contract_lines_publish()
    published = PublishedFile.objects.get()
    body = client.get("/open-data/").content.decode()
    assert "The file is made every night" in body
    assert f"{published.rows:,} lines" in body


def test_publishing_again_replaces_the_file_and_deletes_the_old_one(
    large, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.contract_lines_publish()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.contract_lines_publish()

    assert PublishedFile.objects.get().pk == first.pk  # the one row, pointing elsewhere
    assert second.file.name != first.file.name
    assert second.made_at >= first.made_at
    files = [f"open-data/{p.name}" for p in (large / "open-data").iterdir()]
    assert files == [second.file.name]


def test_a_file_made_since_the_asking_is_kept(large):
    asked_at = timezone.now()
    made = services.contract_lines_publish(unless_made_since=asked_at)
    again = services.contract_lines_publish(unless_made_since=asked_at)
    assert (again.pk, again.file.name, again.made_at) == (made.pk, made.file.name, made.made_at)


def test_a_failure_while_publishing_keeps_the_last_file_and_leaves_no_other(large, monkeypatch):
    kept = services.contract_lines_publish()
    before = sorted(p.name for p in (large / "open-data").iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PublishedFile.objects, "select_for_update", broken)
    with pytest.raises(RuntimeError):
        services.contract_lines_publish()

    assert PublishedFile.objects.get().file.name == kept.file.name
    assert sorted(p.name for p in (large / "open-data").iterdir()) == before


@pytest.mark.parametrize("extra", [0, 20])
def test_serving_the_file_costs_the_same_however_many_contracts(
    client, large, extra, django_assert_num_queries
):
    from tests import factories

    for _ in range(extra):
        factories.ContractLineFactory()
    services.contract_lines_publish()
    with django_assert_num_queries(2):  # how many contracts are published; the file's row
        assert client.get(URL).status_code == 200
