"""The pages every GOV.UK service has, linked from every page's footer: cookies, accessibility
statement, privacy notice and service status, each open to anyone, signed in or not."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from pages.views import duration_in_words

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
RSQ = "\u2019"  # the curly apostrophe GOV.UK content uses

PAGES = ["/cookies/", "/accessibility-statement/", "/privacy/", "/status/", "/feedback/"]


@pytest.fixture(params=["anonymous", "cio", "approver", "procurement"])
def visitor(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_open_to_everyone(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_footer_links_every_page_and_no_mailto_or_json(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="govuk-footer">') :]
    links = {
        text: href
        for href, text in re.findall(
            r'class="govuk-footer__link" href="([^"]+)">([^<]+)</a>', footer
        )
    }
    assert links["Accessibility statement"] == "/accessibility-statement/"
    assert links["Cookies"] == "/cookies/"
    assert links["Privacy"] == "/privacy/"
    assert links["Feedback"] == "/feedback/"
    assert links["Service status"] == "/status/"
    # Before: the phase banner's feedback was a mailto: and "Service status" opened /healthz.
    banner = html[html.index("govuk-phase-banner") : html.index("</main>")]
    assert 'href="/feedback/"' in banner
    assert "mailto:" not in banner
    assert 'href="/healthz"' not in footer


def test_the_cookies_page_lists_the_cookies_the_service_sets(client, cio):
    # The cookies a signed-in visit really sets: every one must be on the page.
    client.force_login(cio)
    client.get("/feedback/")  # renders a form, so sets the CSRF cookie
    set_by_service = set(client.cookies)
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= set_by_service
    html = client.get("/cookies/").content.decode()
    table = html[html.index('id="essential-cookies"') : html.index("</table>")]
    for name in [*set_by_service, "messages"]:
        assert f"<code>{name}</code>" in table, name
    assert "After 2 weeks" in table or "after 2 weeks" in table  # SESSION_COOKIE_AGE default
    assert "1 year" in table  # CSRF_COOKIE_AGE: 52 weeks
    # The table scrolls inside its own region on a phone.
    assert (
        'class="app-table-scroll" role="region" aria-label="Essential cookies" tabindex="0"' in html
    )


@override_settings(SESSION_COOKIE_AGE=8 * 3600)
def test_the_cookies_page_says_how_long_the_session_lasts_from_the_settings(client):
    assert "after 8 hours" in client.get("/cookies/").content.decode()


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (8 * 3600, "8 hours"),
        (3600, "1 hour"),
        (1209600, "2 weeks"),
        (31449600, "1 year"),
        (86400, "1 day"),
        (90, "90 seconds"),
    ],
)
def test_durations_read_as_people_say_them(seconds, words):
    assert duration_in_words(seconds) == words


def test_the_accessibility_statement_follows_the_gov_uk_model(client):
    html = client.get("/accessibility-statement/").content.decode()
    for heading in [
        "Accessibility statement for Flex Portal",
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        f"Technical information about this service{RSQ}s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        f"What we{RSQ}re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]:
        assert f">{heading}</h" in html, heading
    assert "partially compliant" in html
    assert "Web Content Accessibility Guidelines version 2.2" in html
    assert "(No. 2) Accessibility Regulations 2018" in html
    known = html[
        html.index('id="known-issues"') : html.index("</ul>", html.index('id="known-issues"'))
    ]
    assert known.count("<li>") >= 3  # honest about what is not yet accessible


def test_the_privacy_notice_names_the_data_the_service_stores(client):
    html = client.get("/privacy/").content.decode()
    for words in [
        "Cabinet Office is the data controller",
        "your name and work email address",
        "the organisation you work for",
        "your IP address",
        "lock an account after repeated wrong passwords (a lock lasts 30 minutes)",
        "web server logs",
        "only if you give it, your email address",
        "Article 6(1)(e)",
        f"Information Commissioner{RSQ}s Office",
    ]:
        assert words in html, words


def test_the_service_status_page_says_in_words_that_everything_works(client):
    response = client.get("/status/")
    html = response.content.decode()
    assert "Flex Portal is working normally" in html
    database = html[html.index('id="status-database"') : html.index('id="status-broker"')]
    assert "Working" in database and "Not working" not in database
    # Tests run Celery eagerly: the page explains that rather than showing "eager".
    broker = html[html.index('id="status-broker"') :]
    assert "updates prices straight away" in broker
    assert "eager" not in html
    assert "no-cache" in response["Cache-Control"]
    # /healthz keeps answering machines in JSON.
    assert client.get("/healthz").json() == {"database": "ok", "broker": "eager"}


GET_STATUS = """
import django
django.setup()
from django.test import Client
response = Client().get("/status/")
print(response.status_code)
print(response.content.decode())
"""


def _status_page_with(env: dict[str, str]) -> tuple[int, str]:
    """/status/ rendered by a fresh process whose database or broker is really unreachable
    (port 1 on loopback: nothing listens, the connection is refused at once)."""
    full = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="flexportal.settings.local",
        LOG_LEVEL="CRITICAL",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    full.pop("CELERY_BROKER_URL", None)
    full.update(env)
    out = subprocess.run(
        [sys.executable, "-c", GET_STATUS],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    status, _, html = out.partition("\n")
    return int(status), html


def test_the_status_page_says_when_the_database_is_down():
    status, html = _status_page_with({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/flexportal"})
    assert status == 200  # the page itself works: it is how people find out
    assert "Part of Flex Portal is not working" in html
    database = html[html.index('id="status-database"') : html.index('id="status-broker"')]
    assert "Not working" in database and "cannot sign in" in database


def test_the_status_page_says_when_price_updates_are_delayed():
    status, html = _status_page_with({"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert status == 200
    broker = html[html.index('id="status-broker"') :]
    assert "Not working" in broker
    assert "prices will not change until it is back" in broker
