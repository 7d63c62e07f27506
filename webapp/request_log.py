"""One log line per request: remote address, method, path, status and duration."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, g, request

# Its own logger, so a deployment can route or silence request lines apart from the app's.
logger = logging.getLogger("webapp.requests")


def register(app: Flask) -> None:
    """Time every request and log it once its response is ready (errors included)."""

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        # json.dumps quotes the path and escapes newlines, so a crafted URL cannot forge lines.
        logger.info(
            "%s %s %s %d %.1fms",
            request.remote_addr or "-",
            request.method,
            json.dumps(request.path),
            response.status_code,
            duration_ms,
        )
        return response


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time, not the stream it was created with."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # noqa: ANN001
        pass


def log_to_stderr() -> None:
    """Send request lines to stderr (gunicorn's error log); once, however many apps are built."""
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s [%(process)d] %(message)s", "%Y-%m-%dT%H:%M:%S%z")
        )
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
