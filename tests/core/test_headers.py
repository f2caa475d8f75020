"""Headers on every response: a Content-Security-Policy with a nonce and no inline styles, a
Permissions-Policy, and `Cache-Control: private, no-store` on what is someone's own (signed-in
pages, the API, PDFs and exports) while static files and public pages stay cacheable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
PRIVATE = "private, no-store"


def login(client, username="procurement"):
    client.force_login(User.objects.get(username=username))


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_a_signed_in_page_has_a_strict_policy_with_the_nonce_of_its_script(client, demo):
    login(client)
    response = client.get(reverse("contracts:list"))
    policy = directives(response)
    (nonce,) = re.findall(r'<script nonce="([^"]+)">', response.content.decode())
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # A new nonce for every response.
    assert nonce not in client.get(reverse("contracts:list"))["Content-Security-Policy"]


def test_every_response_has_a_permissions_policy(client, demo):
    for url in ("/", "/accounts/login/", "/api/v1/services/", "/healthz"):
        policy = client.get(url)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, url


def test_signed_in_pages_are_private(client, demo):
    login(client)
    for url in ("/", reverse("contracts:list"), reverse("rollout:list"), "/catalogue/"):
        assert client.get(url)["Cache-Control"] == PRIVATE, url


def test_public_pages_and_static_files_stay_cacheable(client, demo, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve static/ as `runserver` would, uncollected
    # (The sign-in page is never cached anyway: Django's LoginView says so itself.)
    for url in ("/", "/static/build/application.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_api_responses_are_private_signed_in_or_not(client, demo):
    assert client.get("/api/v1/services/")["Cache-Control"] == PRIVATE  # 401
    login(client)
    assert client.get("/api/v1/services/")["Cache-Control"] == PRIVATE
    assert client.get("/api/v1/contracts/")["Cache-Control"] == PRIVATE


@pytest.mark.parametrize(
    "url",
    [
        reverse("contracts:summary-pdf", args=["CON-2026-0001"]),
        reverse("contracts:export-csv"),
        reverse("contracts:export-xlsx"),
        "/api/v1/contracts/CON-2026-0001/summary.pdf",
        "/api/v1/contracts/export.csv",
    ],
)
def test_pdfs_and_exports_are_private(client, demo, url):
    login(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert "Permissions-Policy" in response


def test_only_the_api_docs_get_inline_scripts(client, demo):
    login(client)
    docs = directives(client.get("/api/docs/"))
    assert "'unsafe-inline'" in docs["script-src"]
    assert "'unsafe-inline'" in docs["style-src"]
    page = directives(client.get("/"))
    assert "'unsafe-inline'" not in page["script-src"] + page["style-src"]
    admin = directives(client.get("/admin/login/"))
    assert "'unsafe-inline'" not in admin["script-src"] + admin["style-src"]


def _templates() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
    )


def test_no_template_has_style_attributes_or_scripts_without_a_nonce():
    found = []
    for path in _templates():
        if path.name == "summary_pdf.html":  # rendered to PDF by WeasyPrint, never browsed
            continue
        text = path.read_text()
        found += [f"{path}: style attribute" for _ in re.findall(r"\sstyle=", text)]
        found += [f"{path}: <style>" for _ in re.findall(r"<style", text)]
        found += [
            f"{path}: inline script"
            for tag in re.findall(r"<script[^>]*>", text)
            if "src=" not in tag and "nonce=" not in tag
        ]
    assert _templates() and not found, found
