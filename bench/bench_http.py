"""HTTP throughput under gunicorn on loopback: GET /api/v1/services/ and /catalogue/ against a
minimal Django view measured in the same run (ratio to it, and p50/p95 latency at 16
concurrent connections), with ApacheBench (`ab`, Debian's apache2-utils) as the client.

gunicorn runs as the Dockerfile runs it (3 sync workers) unless BENCH_HTTP_WORKERS,
BENCH_HTTP_THREADS (> 1 switches to gthread workers) say otherwise. Two more baselines show
what signing in costs before a view does any work of its own: a session-authenticated and a
token-authenticated view that return a constant. Two ceilings answer as the endpoints do
with everything they read (session, user, token, catalogue version, cached catalogue) read
once per process (bench/urls.py): what no cache could improve on.

Runs against a throwaway database: a fresh PostgreSQL database when DATABASE_URL points at
PostgreSQL, else a temporary SQLite file.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 16
REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "4000"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_HTTP_THREADS", "1"))
WORKER_CLASS = "gthread" if THREADS > 1 else "sync"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"flex_bench_http_{os.getpid()}"
        base = url.rsplit("/", 1)[0]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        return f"{base}/{name}", lambda: subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False
        )
    return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None


def _prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate, load the demo, and return the credentials the load generator sends."""
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "load_flex_demo", "--allow-demo-users"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from accounts.services import api_token_issue\n"
        "user = get_user_model().objects.get(username='cio-dius')\n"
        "_, key = api_token_issue(user=user)\n"
        "s = SessionStore(); s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'accounts.backends.OrganisationModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()\n"
        "print(key, s.session_key)\n"
    )
    out = subprocess.run(
        [python, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    token, session = out.stdout.split()[-2:]
    return {"token": token, "session": session}


def _ab(url: str, header: str | None) -> dict[str, float]:
    def command(requests: int) -> list[str]:
        cmd = ["ab", "-q", "-k", "-n", str(requests), "-c", str(CONCURRENCY)]
        return [*cmd, "-H", header, url] if header else [*cmd, url]

    # Warm-up, so every worker has its connections and caches.
    subprocess.run(command(200), capture_output=True, check=True)
    out = subprocess.run(command(REQUESTS), capture_output=True, text=True, check=True).stdout
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    # ab counts a body whose length differs from the first as failed; pages vary (CSRF tokens).
    length = re.search(r"Length: (\d+)", out)
    failed -= int(length.group(1)) if length else 0
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if failed or non_2xx:
        raise RuntimeError(
            f"{url}: {failed} failed, {non_2xx.group(1) if non_2xx else 0} non-2xx\n{out}"
        )
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M))
    return {
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1)),
        "p50": float(percentiles["50"]),
        "p95": float(percentiles["95"]),
    }


def run() -> list[dict]:
    if not shutil.which("ab"):
        raise SystemExit("bench_http needs ApacheBench: apt-get install apache2-utils")
    tmp = Path(tempfile.mkdtemp(prefix="flex-bench-http-"))
    database_url, drop = _database_url(tmp)
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="bench-only-" + "k" * 20 + "0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    server = None
    try:
        creds = _prepare(env)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "flexportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                WORKER_CLASS,
                "--threads",
                str(THREADS),
                "--keep-alive",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        token = f"Authorization: Token {creds['token']}"
        session = f"Cookie: sessionid={creds['session']}"
        minimal = _ab(f"{base}/bench/minimal/", None)
        signed_in = _ab(f"{base}/bench/signed-in/", session)
        signed_in_api = _ab(f"{base}/bench/signed-in-api/", token)
        services = _ab(f"{base}/api/v1/services/", token)
        catalogue = _ab(f"{base}/catalogue/", session)
        services_ceiling = _ab(f"{base}/bench/ceiling/services/", None)
        catalogue_ceiling = _ab(f"{base}/bench/ceiling/catalogue/", None)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        drop()
        shutil.rmtree(tmp, ignore_errors=True)

    setup = f"gunicorn {WORKERS}x{THREADS} {WORKER_CLASS}, ab -k -c {CONCURRENCY} -n {REQUESTS}"
    rows = [
        {
            "benchmark": f"HTTP minimal view ({setup})",
            "figure": f"{minimal['rps']:.0f} req/s, p50 {minimal['p50']:.0f} ms, p95 {minimal['p95']:.0f} ms",
            "target": "baseline",
        }
    ]
    measured = (
        ("signed-in minimal view (session)", signed_in, "(cost of signing in)"),
        ("signed-in minimal API view (token)", signed_in_api, "(cost of signing in)"),
        ("GET /api/v1/services/", services, "ratio >= 0.5, p95 < 50 ms"),
        ("GET /catalogue/", catalogue, "ratio >= 0.5, p95 < 50 ms"),
        ("services list, nothing read (ceiling)", services_ceiling, "(best any cache could do)"),
        ("catalogue page, nothing read (ceiling)", catalogue_ceiling, "(best any cache could do)"),
    )
    for label, result, target in measured:
        rows.append(
            {
                "benchmark": f"HTTP {label}",
                "figure": f"{result['rps']:.0f} req/s = {result['rps'] / minimal['rps']:.2f} x minimal, p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms",
                "target": target,
            }
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['figure']} (target {row['target']})")
