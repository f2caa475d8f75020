"""HTTP throughput under gunicorn on loopback: GET /api/v1/services/ and /catalogue/ against a
minimal Django view measured in the same run (ratio to it, and p50/p95 latency at 16
concurrent connections), with ApacheBench (`ab`, Debian's apache2-utils) as the client.

gunicorn runs as the Dockerfile runs it (3 sync workers) unless BENCH_HTTP_WORKERS,
BENCH_HTTP_THREADS (> 1 switches to gthread workers) say otherwise. Two more baselines show
what signing in costs before a view does any work of its own: a session-authenticated and a
token-authenticated view that return a constant. Two ceilings answer as the endpoints do
with everything they read (session, user, token, catalogue version, cached catalogue) read
once per process (bench/urls.py): what no cache could improve on.

Every response is checked, not only counted: before each row a few requests are read whole
and must answer 200 with the row's marker in the body. During the row any answer that is not
200, or whose length differs from those checked bodies, is a failure and stops the run: ab's
own length check does that when the checked bodies all had one length; when they did not, ab
logs every answer's status line and Content-Length (`-v 2`) and each is checked here.

Runs against a throwaway database: a fresh PostgreSQL database when DATABASE_URL points at
PostgreSQL, else a temporary SQLite file. The environment's CELERY_BROKER_URL, REDIS_URL and
CACHE_URL are dropped, so every run measures the same thing: eager Celery and each worker's
own memory cache. bench/bench_scale.py repeats these rows with the scale data loaded.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 16
REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "4000"))
# A row stops after this many seconds even if it has not sent every request (a slow page).
TIME_LIMIT = int(os.environ.get("BENCH_HTTP_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_HTTP_THREADS", "1"))
WORKER_CLASS = "gthread" if THREADS > 1 else "sync"
SETUP = f"gunicorn {WORKERS}x{THREADS} {WORKER_CLASS}, ab -k -c {CONCURRENCY} -n {REQUESTS}"
# What the benchmark must not inherit from the developer's shell: an exported cache, broker or
# page-cache switch would change what is measured.
DROPPED_ENV = ("CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "PAGE_CACHE", "PAGE_CACHE_TTL")
SECRET_KEY = "bench-only-" + "k" * 20 + "0123456789abcdefghijklmnop"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(database_url: str) -> dict[str, str]:
    """The environment of every benchmark process: production-like settings (bench/settings.py)
    on `database_url`, nothing inherited that would change what is measured."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    for name in DROPPED_ENV:
        env.pop(name, None)
    return env


def _database_url(tmp: Path) -> tuple[str, Callable[[], object]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return postgres_database(f"flex_bench_http_{os.getpid()}")
    return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None


def postgres_database(name: str) -> tuple[str, Callable[[], object]]:
    """A new empty database next to DATABASE_URL's, and how to drop it."""
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name],
        check=True,
        capture_output=True,
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{base}/{name}", lambda: subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],
        check=False,
    )


ANALYZE_SCRIPT = """
import django; django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""

SESSIONS_SCRIPT = """
import json, sys
import django; django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from accounts.sessions import SessionStore
from accounts.services import api_token_issue
out = {}
for username in sys.argv[1:]:
    user = get_user_model().objects.get(username=username)
    _, key = api_token_issue(user=user)
    s = SessionStore(); s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = 'accounts.backends.OrganisationModelBackend'
    s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    out[username] = {
        "token": key,
        "session": f"{settings.SESSION_COOKIE_NAME}={s.session_key}",
        "csrf": f"{settings.CSRF_COOKIE_NAME}={csrf}",
    }
print(json.dumps(out))
"""


def credentials(env: dict[str, str], usernames: list[str]) -> dict[str, dict[str, str]]:
    """For each user, as the load generator sends them: an API token, a session cookie and the
    CSRF cookie a browser holds from its first page (without it, every page that shows a form
    would make a new CSRF secret and set its cookie, which no browser asks for twice)."""
    import json

    out = subprocess.run(
        [sys.executable, "-c", SESSIONS_SCRIPT, *usernames],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    creds = credentials(env, ["cio-dius"])
    # Planner statistics for the tables just filled, as autovacuum gives a live database a
    # minute after such a load (without them PostgreSQL guesses, and hashes where an index
    # lookup is right: the session's read took 208 us against 129 us analysed, in process).
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run([python, "-c", ANALYZE_SCRIPT], cwd=ROOT, env=env, check=True)
    return creds["cio-dius"]


class Gunicorn:
    """gunicorn serving the portal on a free loopback port, as the Dockerfile runs it."""

    def __init__(self, env: dict[str, str]):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "flexportal.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(WORKERS),
                "--worker-class", WORKER_CLASS,
                "--threads", str(THREADS),
                "--keep-alive", "5",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        # Ready once a worker answers (workers import the portal after the port is bound,
        # which takes a while on a busy machine).
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/bench/minimal/", timeout=30):
                    break
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)


@dataclass(frozen=True)
class Check:
    """What a right answer looks like: status 200 and this text in the body."""

    marker: str


def _fetch(url: str, header: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if header:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _checked_lengths(url: str, header: str | None, check: Check) -> set[int]:
    """Read the answer whole a few times: each must be 200 with the marker. Their lengths."""
    lengths = set()
    for _ in range(3):
        status, body = _fetch(url, header)
        if status != 200 or check.marker.encode() not in body:
            raise RuntimeError(
                f"{url}: answered {status} without {check.marker!r}:\n{body[:2000]!r}"
            )
        lengths.add(len(body))
    return lengths


RESPONSE = re.compile(r"LOG: header received:\r?\n(HTTP/1\.\d (\d+)[^\n]*)\n(.*?)\r?\n\r?\n", re.S)


def _wrong_responses(out: str, lengths: set[int]) -> tuple[int, int, list[str]]:
    """From ab's `-v 2` log: responses seen, and those not 200 or of an unchecked length."""
    seen = 0
    wrong = []
    for match in RESPONSE.finditer(out):
        seen += 1
        status = int(match.group(2))
        length = re.search(r"^Content-Length: (\d+)", match.group(3), re.M | re.I)
        if status != 200 or length is None or int(length.group(1)) not in lengths:
            wrong.append(f"{match.group(1).strip()} length {length.group(1) if length else '?'}")
    return seen, len(wrong), wrong[:5]


def ab(url: str, header: str | None, check: Check) -> dict[str, float]:
    """Throughput and latency of `url`; raises if any response is wrong (see the docstring)."""

    def command(requests: int, *, verbose: bool) -> list[str]:
        cmd = ["ab", "-q", "-k", "-t", str(TIME_LIMIT), "-n", str(requests), "-c", str(CONCURRENCY)]
        if verbose:
            cmd += ["-v", "2"]
        return [*cmd, "-H", header, url] if header else [*cmd, url]

    # Warm-up, so every worker has its connections and caches.
    warm_up = command(200, verbose=False)
    warm_up[warm_up.index("-t") + 1] = str(min(5, TIME_LIMIT))
    subprocess.run(warm_up, capture_output=True, check=True)
    lengths = _checked_lengths(url, header, check)
    # A body of one length throughout: ab's own length check (against the first answer) is
    # exact, so nothing is logged. Otherwise each answer is logged and checked here.
    log = len(lengths) > 1
    out = subprocess.run(
        command(REQUESTS, verbose=log), capture_output=True, text=True, check=True, errors="replace"
    ).stdout
    completed = int(re.search(r"Complete requests:\s+(\d+)", out).group(1))
    failed = re.search(
        r"Failed requests:\s+\d+\n\s+\(Connect: (\d+), Receive: (\d+), Length: (\d+), "
        r"Exceptions: (\d+)\)",
        out,
    )
    connect, receive, length, exceptions = (int(n) for n in failed.groups()) if failed else (0,) * 4
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    wrong = int(non_2xx.group(1)) if non_2xx else 0
    examples: list[str] = []
    if log:
        seen, wrong, examples = _wrong_responses(out, lengths)
        wrong += completed - seen
    else:
        first = re.search(r"Document Length:\s+(\d+) bytes", out)
        if completed and (first is None or int(first.group(1)) not in lengths):
            wrong += 1
        wrong += length
    if wrong or connect or receive or exceptions:
        raise RuntimeError(
            f"{url}: {wrong} wrong answers (status, or a length other than the checked "
            f"{sorted(lengths)}), {connect + receive + exceptions} failed: {examples}\n{out[-2000:]}"
        )
    if completed == 0:  # not one answer within the time limit
        return {"rps": 0.0, "p50": math.inf, "p95": math.inf, "requests": 0}
    rps = re.search(r"^Requests per second:\s+([\d.]+)", out, re.M)
    if rps is None:
        raise RuntimeError(f"{url}: ab printed no figures:\n{out[-3000:]}")
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", out[rps.start() :], re.M))
    return {
        "rps": float(rps.group(1)),
        "p50": float(percentiles["50"]),
        "p95": float(percentiles["95"]),
        "requests": completed,
    }


def figure(
    result: dict[str, float], reference: dict[str, float] | None = None, name: str = "minimal"
) -> str:
    if not result["requests"]:
        return f"no answer within {TIME_LIMIT} s"
    ratio = f" = {result['rps'] / reference['rps']:.2f} x {name}" if reference else ""
    partial = (
        f" ({result['requests']:.0f} in {TIME_LIMIT} s)" if result["requests"] < REQUESTS else ""
    )
    return (
        f"{result['rps']:.0f} req/s{ratio}, p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms{partial}"
    )


# The rows: (label, path, who: None | "session" | "token", marker in a right body, target).
CATALOGUE_MARKER = "Standard desktop"
DEMO_ROWS = (
    ("signed-in minimal view (session)", "/bench/signed-in/", "session", '{"ok": true}', "(cost of signing in)"),
    ("signed-in minimal API view (token)", "/bench/signed-in-api/", "token", '{"ok":true}', "(cost of signing in)"),
    ("GET /api/v1/services/", "/api/v1/services/", "token", '"slug":"desktop"', "p95 < 50 ms, >= 0.5 x ceiling"),
    ("GET /catalogue/", "/catalogue/", "session", CATALOGUE_MARKER, "p95 < 50 ms, >= 0.5 x ceiling"),
    ("services list, nothing read (ceiling)", "/bench/ceiling/services/", None, '"slug":"desktop"', "(best any cache could do)"),
    ("catalogue page, nothing read (ceiling)", "/bench/ceiling/catalogue/", "csrf", CATALOGUE_MARKER, "(best any cache could do)"),
)  # fmt: skip


def _header(who: str | None, creds: dict[str, dict[str, str]]) -> str | None:
    """`session` / `token` for the CIO, `session:<username>` for another user (a browser's
    cookies: the session and the CSRF cookie), `csrf` (a browser signed in to nothing but
    holding its CSRF cookie: the ceilings, which show the same forms), None: no header."""
    if who is None:
        return None
    kind, _, username = who.partition(":")
    keys = creds[username or "cio-dius"]
    if kind == "session":
        return f"Cookie: {keys['session']}; {keys['csrf']}"
    if kind == "csrf":
        return f"Cookie: {keys['csrf']}"
    return f"Authorization: Token {keys['token']}"


def measure_rows(
    base: str,
    creds: dict[str, dict[str, str]],
    rows=DEMO_ROWS,
    *,
    prefix: str = "HTTP",
    ceilings: dict[str, str] | None = None,
) -> list[dict]:
    """One benchmark row per `rows` entry, after the minimal view they are compared with.
    `ceilings` maps a row's label to its ceiling's label, for the throughput target."""
    minimal = ab(f"{base}/bench/minimal/", None, Check('{"ok": true}'))
    results = {}
    for label, path, who, marker, _ in rows:
        print(f"  {prefix} {label} ...", file=sys.stderr, flush=True)
        results[label] = ab(f"{base}{path}", _header(who, creds), Check(marker))
    out = [
        {
            "benchmark": f"{prefix} minimal view ({SETUP})",
            "figure": figure(minimal),
            "target": "baseline",
        }
    ]
    ceilings = ceilings or CEILINGS
    for label, _, _, _, target in rows:
        result = results[label]
        text = figure(result, minimal)
        if ceilings.get(label) in results and results[ceilings[label]]["rps"]:
            ceiling = results[ceilings[label]]
            text += f", {result['rps'] / ceiling['rps']:.2f} x its ceiling"
        out.append({"benchmark": f"{prefix} {label}", "figure": text, "target": target})
    return out


CEILINGS = {
    "GET /api/v1/services/": "services list, nothing read (ceiling)",
    "GET /catalogue/": "catalogue page, nothing read (ceiling)",
}


def run() -> list[dict]:
    if not shutil.which("ab"):
        raise SystemExit("bench_http needs ApacheBench: apt-get install apache2-utils")
    tmp = Path(tempfile.mkdtemp(prefix="flex-bench-http-"))
    database_url, drop = _database_url(tmp)
    env = bench_env(database_url)
    server = None
    try:
        creds = _prepare(env)
        server = Gunicorn(env)
        rows = measure_rows(server.base, {"cio-dius": creds})
    finally:
        if server is not None:
            server.stop()
        drop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['figure']} (target {row['target']})")
