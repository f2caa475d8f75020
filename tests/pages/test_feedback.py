"""Feedback: anyone may send it through a GOV.UK form; only Cabinet Office staff read it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from pages import services
from pages.models import MAX_IMPROVEMENT_LENGTH, Feedback
from pages.views import FEEDBACK_PER_HOUR

pytestmark = pytest.mark.django_db

GOOD = {"satisfaction": "satisfied", "improvement": "Show the price per seat sooner.", "email": ""}


def _error_summary(html: str) -> str:
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_the_form_is_a_gov_uk_form_with_a_character_count(client):
    html = client.get("/feedback/").content.decode()
    assert html.count('name="satisfaction"') == 5
    assert html.count('type="radio"') == 5
    assert "Very satisfied" in html and "Very dissatisfied" in html
    assert 'data-module="govuk-character-count"' in html
    assert f'data-maxlength="{MAX_IMPROVEMENT_LENGTH}"' in html
    textarea = html[html.index("<textarea") : html.index("</textarea>")]
    assert "maxlength" not in textarea  # the count says "too many"; a limit would cut text
    assert 'name="email"' in html and "Email address (optional)" in html


def test_feedback_is_stored_and_confirmed(client):
    response = client.post("/feedback/", {**GOOD, "email": " someone@example.gov.uk "})
    assert response.status_code == 302
    assert response["Location"] == "/feedback/sent/"
    feedback = Feedback.objects.get()
    assert (feedback.satisfaction, feedback.improvement, feedback.email) == (
        "satisfied",
        "Show the price per seat sooner.",
        "someone@example.gov.uk",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Feedback sent" in page and "govuk-panel--confirmation" in page


def test_a_rating_alone_is_enough(client):
    assert client.post("/feedback/", {"satisfaction": "neither"}).status_code == 302
    assert Feedback.objects.get().improvement == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"improvement": "x"}, "satisfaction", "Select how satisfied you are with this service"),
        (
            {**GOOD, "satisfaction": "thrilled"},
            "satisfaction",
            "Select how satisfied you are with this service",
        ),
        (
            {**GOOD, "improvement": "x" * (MAX_IMPROVEMENT_LENGTH + 1)},
            "improvement",
            "Your answer must be 1,200 characters or fewer",
        ),
        (
            {**GOOD, "improvement": "fine\x00"},
            "improvement",
            "Your answer must not include a null character",
        ),
        (
            {**GOOD, "email": "not-an-address"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {**GOOD, "email": "a\x00@example.gov.uk"},
            "email",
            "Your email address must not include a null character",
        ),
    ],
)
def test_bad_answers_get_the_error_summary_and_nothing_is_stored(client, data, field, message):
    response = client.post("/feedback/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(message) == 2  # in the error summary and beside the field
    summary = _error_summary(html)
    assert message in summary
    # The summary's link goes to the field (the first radio for the satisfaction question).
    target = "id_satisfaction_1" if field == "satisfaction" else f"id_{field}"
    assert f'href="#{target}"' in summary
    assert f'id="{target}"' in html
    assert "<title>Error: " in html
    assert not Feedback.objects.exists()


def test_the_service_refuses_what_the_form_would_have_refused():
    for bad in (
        {"satisfaction": "thrilled"},
        {"satisfaction": "satisfied", "improvement": "\x00"},
        {"satisfaction": "satisfied", "improvement": "x" * (MAX_IMPROVEMENT_LENGTH + 1)},
        {"satisfaction": "satisfied", "email": "x" * 250 + "@example.gov.uk"},
        {"satisfaction": "satisfied", "email": "nobody"},
    ):
        with pytest.raises(ValidationError):
            services.feedback_create(**bad)
    assert not Feedback.objects.exists()
    kept = services.feedback_create(
        satisfaction="satisfied", improvement="x" * MAX_IMPROVEMENT_LENGTH
    )
    assert len(Feedback.objects.get(pk=kept.pk).improvement) == MAX_IMPROVEMENT_LENGTH


@override_settings(REST_FRAMEWORK={"NUM_PROXIES": 0})
def test_one_address_cannot_fill_the_table(client):
    for _ in range(FEEDBACK_PER_HOUR):
        assert client.post("/feedback/", GOOD).status_code == 302
    response = client.post("/feedback/", GOOD)
    assert response.status_code == 400
    assert "You have sent a lot of feedback in the last hour" in _error_summary(
        response.content.decode()
    )
    assert Feedback.objects.count() == FEEDBACK_PER_HOUR
    # Another address is not held back.
    assert client.post("/feedback/", GOOD, REMOTE_ADDR="192.0.2.7").status_code == 302


# --- reading it ---------------------------------------------------------------------------


def test_approvers_read_every_answer_newest_first(client, approver):
    services.feedback_create(satisfaction="dissatisfied", improvement="Too slow.")
    services.feedback_create(
        satisfaction="very_satisfied", improvement="Clear prices.", email="cio@example.gov.uk"
    )
    client.force_login(approver)
    response = client.get("/feedback/responses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Clear prices.") < html.index("Too slow.")
    assert 'href="mailto:cio@example.gov.uk"' in html
    assert "2 answers, newest first" in html
    counts = html[html.index('id="satisfaction-counts"') : html.index("</dl>")]
    assert counts.count("govuk-summary-list__row") == 5
    assert 'class="app-table-scroll" role="region"' in html
    # Approvers are pointed at the responses from the form.
    assert 'id="read-feedback"' in client.get("/feedback/").content.decode()


@pytest.mark.parametrize("role", ["cio", "procurement"])
def test_other_roles_may_not_read_feedback(client, request, role):
    services.feedback_create(satisfaction="satisfied", improvement="private words")
    client.force_login(request.getfixturevalue(role))
    response = client.get("/feedback/responses/")
    assert response.status_code == 403
    assert "private words" not in response.content.decode()
    assert 'id="read-feedback"' not in client.get("/feedback/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/feedback/responses/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_admin_shows_feedback_read_only(client, admin_user):
    feedback = services.feedback_create(satisfaction="satisfied", improvement="Fine.")
    client.force_login(admin_user)
    assert "Fine." in client.get("/admin/pages/feedback/").content.decode()
    change = client.get(f"/admin/pages/feedback/{feedback.pk}/change/")
    assert change.status_code == 200
    assert 'name="improvement"' not in change.content.decode()  # shown, not editable
    assert client.get("/admin/pages/feedback/add/").status_code == 403
    client.post(f"/admin/pages/feedback/{feedback.pk}/change/", {"improvement": "Changed."})
    client.post(f"/admin/pages/feedback/{feedback.pk}/delete/", {"post": "yes"})
    assert Feedback.objects.get().improvement == "Fine."
