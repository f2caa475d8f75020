"""A fake GOV.UK Notify API on loopback: a real HTTP server in a thread, which the real
notifications-python-client talks to over TCP. It checks each request's JSON Web Token as
Notify does (HS256, signed with the key's secret, issued by the key's service), records every
email it accepts, and can be told to fail:

- `fail_with = 500` (or 503, 400, ...): answer every request with that status, accepting
  nothing (an outage, or a refusal);
- `accept_then_fail = True`: accept the email, then answer 500, as when Notify's answer is
  lost on the way back;
- `hang = seconds`: wait that long before answering (a slow Notify).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt


@dataclass
class FakeNotify:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    fail_with: int | None = None
    accept_then_fail: bool = False
    hang: float = 0.0
    emails: list[dict] = field(default_factory=list)  # request bodies accepted, in order
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of each
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_key(self) -> str:
        return f"flexportal_test-{self.service_id}-{self.secret}"

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args) -> None:
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str) -> None:
                self._answer(
                    status,
                    {
                        "status_code": status,
                        "errors": [{"error": "FakeNotifyError", "message": message}],
                    },
                )

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                try:
                    claims = jwt.decode(
                        header.removeprefix("Bearer "), fake.secret, algorithms=["HS256"]
                    )
                except jwt.PyJWTError:
                    return False
                return claims.get("iss") == fake.service_id

            def _begin(self) -> bool:
                with fake.lock:
                    fake.requests.append((self.command, self.path))
                if fake.hang:
                    time.sleep(fake.hang)
                if not self._authorised():
                    self._error(403, "Invalid token")
                    return False
                if fake.fail_with is not None:
                    self._error(fake.fail_with, "Internal server error")
                    return False
                return True

            def do_POST(self) -> None:
                if not self._begin():
                    return
                if self.path != "/v2/notifications/email":
                    self._error(404, "Not found")
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                notification_id = str(uuid.uuid4())
                with fake.lock:
                    fake.emails.append({**body, "id": notification_id})
                if fake.accept_then_fail:
                    self._error(500, "Internal server error")
                    return
                self._answer(
                    201,
                    {
                        "id": notification_id,
                        "reference": body.get("reference"),
                        "content": {"subject": "", "body": "", "from_email": ""},
                        "template": {"id": body["template_id"], "version": 1, "uri": ""},
                        "uri": f"/v2/notifications/{notification_id}",
                    },
                )

            def do_GET(self) -> None:
                if not self._begin():
                    return
                url = urlparse(self.path)
                if url.path != "/v2/notifications":
                    self._error(404, "Not found")
                    return
                reference = parse_qs(url.query).get("reference", [None])[0]
                with fake.lock:
                    found = [e for e in fake.emails if e.get("reference") == reference]
                self._answer(
                    200,
                    {
                        "notifications": [
                            {"id": e["id"], "reference": e["reference"], "status": "delivered"}
                            for e in reversed(found)
                        ],
                        "links": {"current": self.path},
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def posts(self) -> int:
        with self.lock:
            return sum(1 for method, _ in self.requests if method == "POST")
