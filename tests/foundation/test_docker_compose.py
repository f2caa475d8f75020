"""docker-compose.yml cannot run here (no Docker engine): check what it declares instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_declares_the_full_stack_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_app_services_share_the_environment_and_wait_for_healthy_dependencies():
    services = compose()["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["CELERY_BROKER_URL"].startswith("redis://"), name
        # The cache has a Redis database of its own: emptying it never touches the queue.
        assert env["CACHE_URL"].startswith("redis://"), name
        assert env["CACHE_URL"] != env["CELERY_BROKER_URL"], name
        assert env["DJANGO_SETTINGS_MODULE"] == "flexportal.settings.production", name
        assert "DJANGO_SECRET_KEY" in env, name
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_commands_run_gunicorn_a_worker_and_beat():
    services = compose()["services"]
    assert "gunicorn flexportal.wsgi:application" in services["web"]["command"]
    assert "manage.py migrate" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "flexportal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "flexportal", "beat"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_every_environment_variable_is_documented_in_env_example():
    documented = (ROOT / ".env.example").read_text()
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "REDIS_URL",
        "CACHE_URL",
        "DJANGO_SECRET_KEY",
        "DJANGO_DEBUG",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
    ):
        assert name in documented, name


def test_dockerfile_serves_static_files_with_whitenoise_after_building_assets():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert "collectstatic" in dockerfile
    assert "uv sync --frozen" in dockerfile
