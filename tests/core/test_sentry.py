"""sentry-sdk is initialised from the settings only when SENTRY_DSN is set; then errors reach
Sentry (here a fake Sentry on loopback), with the Django and Celery integrations on."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
if client.is_active():
    try:
        raise RuntimeError("sentry probe")
    except RuntimeError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush(timeout=10)
print(json.dumps({"active": client.is_active(), "integrations": sorted(client.integrations),
                  "pii": bool(client.options.get("send_default_pii"))}))
"""


def _probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="flexportal.settings.test")
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_a_dsn_sentry_is_never_initialised():
    assert _probe() == {"active": False, "integrations": [], "pii": False}


def test_with_a_dsn_errors_reach_sentry():
    received: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":  # sentry-sdk uses brotli when the package is installed
                import brotli

                body = brotli.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = _probe(SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/42")
    finally:
        server.shutdown()
        server.server_close()
    assert result["active"] is True
    assert {"django", "celery"} <= set(result["integrations"])
    assert result["pii"] is False
    assert [path for path, _ in received] == ["/api/42/envelope/"]
    assert b"sentry probe" in received[0][1]
