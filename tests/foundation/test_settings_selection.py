"""Which database and broker the settings pick, from the environment alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({"engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
                  "eager": settings.CELERY_TASK_ALWAYS_EAGER, "broker": settings.CELERY_BROKER_URL,
                  "cache": settings.CACHES["default"]["BACKEND"],
                  "cache_at": settings.CACHES["default"].get("LOCATION", "")}))
"""


def settings_with(env: dict[str, str], module: str = "flexportal.settings.local") -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "REDIS_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "CACHE_URL",
        }
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_environment_uses_sqlite_under_var_and_eager_celery():
    chosen = settings_with({})
    assert chosen["engine"] == "django.db.backends.sqlite3"
    assert chosen["name"] == str(ROOT / "var" / "flexportal.sqlite3")
    assert chosen["eager"] is True
    assert chosen["broker"] == "memory://"


def test_database_url_selects_postgresql():
    chosen = settings_with({"DATABASE_URL": "postgres://flex:secret@db.internal:5432/flexportal"})
    assert chosen["engine"] == "core.postgresql"
    assert chosen["name"] == "flexportal"
    assert chosen["host"] == "db.internal"


def test_broker_url_turns_off_eager_mode():
    chosen = settings_with({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"})
    assert chosen["eager"] is False
    assert chosen["broker"] == "redis://127.0.0.1:6379/3"


def test_redis_url_is_read_when_no_celery_broker_url():
    chosen = settings_with({"REDIS_URL": "redis://cache:6379/1"})
    assert chosen["eager"] is False
    assert chosen["broker"] == "redis://cache:6379/1"


def test_the_cache_is_redis_only_when_cache_url_names_it_never_the_broker():
    alone = settings_with({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"})
    assert alone["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    chosen = settings_with(
        {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "CACHE_URL": "redis://127.0.0.1:6379/1"}
    )
    assert chosen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["cache_at"] == "redis://127.0.0.1:6379/1"


def refusal(module: str, **env: str) -> str:
    """The error with which the settings refuse to load, given these variables."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE=module, **env),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    return result.stderr


def test_a_cache_url_that_is_not_redis_is_refused():
    error = refusal("flexportal.settings.local", CACHE_URL="memcached://127.0.0.1:11211")
    assert "CACHE_URL must be a redis:// URL" in error


def test_production_settings_refuse_a_weak_secret():
    error = refusal("flexportal.settings.production", DJANGO_SECRET_KEY="short")
    assert "DJANGO_SECRET_KEY must be a long random value" in error


@pytest.mark.parametrize("module", ["flexportal.settings.production"])
def test_production_settings_pass_the_deployment_checklist(module):
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE=module, DJANGO_SECRET_KEY="x9" * 20 + "abcdefghijklmn"
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
