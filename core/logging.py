"""One structured log line per request: method, path, status, user and duration; and the
request id that every log line carries (below).

Query strings are left out of the line because they can carry search terms and tokens.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

import sentry_sdk
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("flexportal.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "user": user.get_username() if user is not None and user.is_authenticated else None,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


# --- request ids -------------------------------------------------------------------------
# Every log line carries the id of the request (or Celery task) it was written for: the
# X-Request-ID the proxy sent, if it looks like one, else a new one. Tasks published while
# handling a request carry its id in their message headers, so a worker's lines for them
# carry it too.

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_TASK_HEADER = "request_id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_from(value: str | None) -> str:
    """The incoming id if it is sane (short, no spaces, no control characters), else a new one:
    a log line must never carry what a client chose to inject into it."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return request_id_new()


class RequestIdMiddleware:
    """Sets the request id for everything the request does, and answers with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        token = request_id.set(current)
        request.request_id = current  # type: ignore[attr-defined]
        sentry_sdk.set_tag("request_id", current)  # a no-op unless SENTRY_DSN is set
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = current
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def task_publish_add_request_id(headers: dict | None = None, **_: object) -> None:
    """Celery before_task_publish: the current request id goes into the task's headers."""
    current = request_id.get()
    if headers is not None and current is not None:
        headers.setdefault(REQUEST_ID_TASK_HEADER, current)


def task_prerun_set_request_id(task=None, task_id: str | None = None, **_: object) -> None:
    """Celery task_prerun: the task runs under the id it was published with; a task started
    by beat, or by hand, under its own task id. An eager task keeps its caller's."""
    # A worker gives custom headers as attributes of the request; `apply(headers=...)` keeps
    # them under `headers`.
    request = task.request if task else None
    incoming = getattr(request, REQUEST_ID_TASK_HEADER, None) or (
        (getattr(request, "headers", None) or {}).get(REQUEST_ID_TASK_HEADER)
    )
    if incoming:
        task.request._request_id_token = request_id.set(request_id_from(incoming))
    elif request_id.get() is None and task_id:
        task.request._request_id_token = request_id.set(task_id)


def task_postrun_reset_request_id(task=None, **_: object) -> None:
    token = getattr(task.request, "_request_id_token", None) if task else None
    if token is not None:
        request_id.reset(token)
        task.request._request_id_token = None


def celery_logging_add_request_id(logger: logging.Logger | None = None, **_: object) -> None:
    """Celery after_setup_logger / after_setup_task_logger: the worker's own handlers (it
    replaces the root logger's) get the filter too, so its format can show the id."""
    for handler in logger.handlers if logger is not None else ():
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())


def request_id_connect_celery() -> None:
    from celery import signals

    signals.before_task_publish.connect(task_publish_add_request_id, weak=False)
    signals.task_prerun.connect(task_prerun_set_request_id, weak=False)
    signals.task_postrun.connect(task_postrun_reset_request_id, weak=False)
    signals.after_setup_logger.connect(celery_logging_add_request_id, weak=False)
    signals.after_setup_task_logger.connect(celery_logging_add_request_id, weak=False)
