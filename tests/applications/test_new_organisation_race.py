"""The same new organisation named twice at once: one application, and a clean refusal.

The name is checked before the insert, so two requests at the same instant both pass the
check; the database's unique name (or slug) then refuses the second insert, which
`organisation_create` catches in a savepoint and turns into the usual field error, leaving
nothing half-written. The first test does it for real on PostgreSQL, with two threads; the
others stand a stale check in for the other request's insert, on any database.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from applications.models import ApplicationEvent, SignUpApplication
from organisations import services as organisation_services
from organisations.models import Organisation

TAKEN = {"name": ["An organisation with this name already exists: apply for it instead."]}
PAYLOAD = {
    "lines": [{"service": "desktop", "seats": 900}],
    "term_years": 5,
    "requested_start": "2027-06-01",
    "new_organisation": {"name": "Merged Statistics Body", "kind": "agency", "staff": 1000},
}


@pytest.fixture
def checks_race(monkeypatch):
    """Both requests check the name before either inserts: the check is slowed."""
    original = organisation_services.organisation_name_taken

    def slowly(name: str) -> bool:
        taken = original(name)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(organisation_services, "organisation_name_taken", slowly)


def post_at_once(user, count: int) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait()
            results[index] = client.post("/api/v1/applications/", PAYLOAD, format="json")
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_give_one_application_and_a_400(world, checks_race):
    cio = world["cio_ons"]

    results = post_at_once(cio, 2)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [201, 400]
    [refused] = [r for r in results if r.status_code == 400]
    assert refused.json() == TAKEN
    [organisation] = Organisation.objects.filter(name="Merged Statistics Body")
    assert SignUpApplication.objects.filter(organisation=organisation).count() == 1
    assert ApplicationEvent.objects.filter(application__organisation=organisation).count() == 1
    assert SignUpApplication.objects.filter(created_by=cio).count() == 1
    cio.refresh_from_db()
    assert cio.organisation.slug == "ons"


@pytest.mark.django_db
def test_a_name_inserted_after_the_check_is_refused_cleanly(world, monkeypatch, unchanged):
    Organisation.objects.create(slug="elsewhere", name="Merged Body", kind="agency", staff=5)
    calls = []

    def stale_then_true(name: str) -> bool:  # the check ran before the other insert committed
        calls.append(name)
        return len(calls) > 1

    monkeypatch.setattr(organisation_services, "organisation_name_taken", stale_then_true)

    with unchanged(), pytest.raises(ValidationError) as caught:
        organisation_services.organisation_create(name="Merged Body", kind="agency", staff=10)

    assert caught.value.message_dict == TAKEN


@pytest.mark.django_db
def test_a_slug_taken_after_it_was_chosen_is_chosen_again(db, monkeypatch):
    Organisation.objects.create(slug="merged-body", name="Merged-Body", kind="agency", staff=5)
    original = organisation_services._slug_free
    chosen = iter(["merged-body"])  # what the other request had not yet inserted

    monkeypatch.setattr(
        organisation_services, "_slug_free", lambda name: next(chosen, None) or original(name)
    )
    organisation = organisation_services.organisation_create(
        name="Merged Body", kind="agency", staff=10
    )

    assert organisation.slug == "merged-body-2"
