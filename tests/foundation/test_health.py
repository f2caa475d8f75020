"""/healthz reports the database and broker, and answers 503 when one is down."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

GET_HEALTHZ = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def healthz_with(env: dict[str, str]) -> dict:
    full = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="flexportal.settings.local",
        LOG_LEVEL="CRITICAL",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    full.pop("CELERY_BROKER_URL", None)
    full.update(env)
    out = subprocess.run(
        [sys.executable, "-c", GET_HEALTHZ],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_healthz_ok_with_eager_celery(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable():
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    result = healthz_with({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/flexportal"})
    assert result == {"status": 503, "body": {"database": "unavailable", "broker": "eager"}}


def test_healthz_is_503_when_the_broker_is_unreachable():
    result = healthz_with({"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert result["status"] == 503
    assert result["body"]["broker"] == "unavailable"
