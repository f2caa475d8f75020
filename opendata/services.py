"""Writes of the open data: publishing the contract-lines CSV as a file.

A framework of tens of thousands of contracts makes a CSV of hundreds of thousands of lines
(203,000 lines, 52 MB and about 13 s for 40,000 organisations): too long for a web worker to
hold for every anonymous visitor. Over `OPEN_DATA_CSV_IMMEDIATE_MAX` published contracts the
download is the file a Celery worker makes every night (and on the first request when there
is none yet); at or under it, the CSV is made on request, always current."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from . import contract_lines, selectors
from .models import PublishedFile, PublishedFileName

logger = logging.getLogger(__name__)

# One request for the file is enough: later visitors within this window do not ask again.
ASK_AGAIN_AFTER_SECONDS = 600


def contract_lines_publish(*, unless_made_since: dt.datetime | None = None) -> PublishedFile:
    """Make the contract-lines CSV and publish it in place of the last one; return what is
    published. When `unless_made_since` is given and a file made since then is published
    already (another run answered the same request), that file is kept as it is."""
    current = selectors.published_file(PublishedFileName.CONTRACT_LINES)
    if current is not None and unless_made_since and current.made_at >= unless_made_since:
        return current
    made_at = timezone.now()
    contracts = selectors.published_contracts().count()
    lines = -1  # the header is not a contract line
    with tempfile.TemporaryFile() as handle:
        for line in contract_lines.csv_lines():
            handle.write(line.encode())
            lines += 1
        size = handle.tell()
        handle.seek(0)
        stored = PublishedFile(file=None)
        stored.file.save(f"contract-lines-{made_at:%Y%m%dT%H%M%S}.csv", File(handle), save=False)
    fields = {
        "file": stored.file.name,
        "rows": lines,
        "contracts": contracts,
        "size": size,
        "made_at": made_at,
    }
    try:
        with transaction.atomic():
            previous = (
                PublishedFile.objects.select_for_update()
                .filter(name=PublishedFileName.CONTRACT_LINES)
                .values_list("file", flat=True)
                .first()
            )
            published, _ = PublishedFile.objects.update_or_create(
                name=PublishedFileName.CONTRACT_LINES, defaults=fields
            )
            if previous:
                storage = published.file.storage
                transaction.on_commit(lambda: storage.delete(previous))
    except Exception:
        stored.file.storage.delete(stored.file.name)  # nothing half-published is left behind
        raise
    logger.info(
        "Published the contract-lines CSV",
        extra={"rows": lines, "contracts": contracts, "bytes": size},
    )
    return published


def contract_lines_publish_soon() -> None:
    """Ask a worker to make the file (after this transaction commits), at most once every
    `ASK_AGAIN_AFTER_SECONDS` however many visitors ask."""
    from .tasks import publish_contract_lines

    if cache.add("opendata:contract-lines:asked", True, timeout=ASK_AGAIN_AFTER_SECONDS):
        asked_at = timezone.now().isoformat()
        transaction.on_commit(lambda: publish_contract_lines.delay(asked_at))
