"""The feedback list costs the same number of queries however much feedback there is."""

from __future__ import annotations

import pytest

from pages import services
from pages.views import RESPONSES_PAGE_SIZE

pytestmark = pytest.mark.django_db

SIGNED_IN = 1  # the session with its user, their organisation and groups (one statement)
NAVIGATION = 0  # the user's groups are read with the user (accounts/signed_in.py)
# how many answers; the page of answers; the count per rating
FEEDBACK_LIST = SIGNED_IN + NAVIGATION + 3


def _send(n: int) -> None:
    for i in range(n):
        services.feedback_create(satisfaction="satisfied", improvement=f"answer {i}")


def test_the_feedback_list_does_not_grow_with_the_data(client, approver, django_assert_num_queries):
    client.force_login(approver)
    _send(2)
    with django_assert_num_queries(FEEDBACK_LIST):
        assert client.get("/feedback/responses/").status_code == 200
    _send(RESPONSES_PAGE_SIZE * 2)
    with django_assert_num_queries(FEEDBACK_LIST):
        response = client.get("/feedback/responses/?page=2")
    assert response.status_code == 200
    rows = response.content.decode().count('<tr class="govuk-table__row">')
    assert rows == RESPONSES_PAGE_SIZE + 1  # and the headings
