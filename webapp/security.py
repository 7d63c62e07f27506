"""Security headers on every response, SQLite settings for concurrent writers, and
PostgreSQL's prepared statements kept across requests."""

from __future__ import annotations

import math
import re
import sqlite3

from flask import Flask, Response, abort, request
from sqlalchemy import event
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from questions.quoting import shown

# The largest id a database integer column holds (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1

# No inline script or style anywhere: templates link static files only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers that ignore frame-ancestors
    "Referrer-Policy": "same-origin",
}


def register(app: Flask) -> None:
    """Add the security headers to every response (a view may set its own CSP); refuse
    unreadable forms."""

    @app.before_request
    def _refuse_nameless_fields() -> None:
        # A multipart part whose name is only a line break reads as a field named None,
        # which WTForms' list fields cannot handle (a 500); no real form sends one.
        if (
            request.method == "POST"
            and request.mimetype == "multipart/form-data"
            and (None in request.form or None in request.files)
        ):
            abort(400, "A form field without a name cannot be read.")

    @app.before_request
    def _refuse_control_characters() -> None:
        # NUL and the other C0 controls (tab and line breaks aside) are in no text a person
        # types; PostgreSQL refuses NUL in text outright (a 500 from /register and the
        # instructor search), so every form and query value is checked at the edge.
        place = control_character_in(request.args) or (
            control_character_in(request.form) if request.method == "POST" else None
        )
        if place:
            abort(400, f"The field {place} holds a control character; remove it and try again.")

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


# C0 controls and DEL, except tab, line feed and carriage return; lone surrogates too
# (no UTF-8 text holds one).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def control_character_in(values: MultiDict[str, str]) -> str | None:
    """The name of the first field (shown short) whose name or value holds a control
    character, or None."""
    for name, value in values.items(multi=True):
        if _CONTROL.search(name) or _CONTROL.search(value):
            return shown(_CONTROL.sub("?", name), limit=30)
    return None


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that stops at ``MAX_ID``: a larger id is a 404, not a driver overflow."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN001
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bound_url_ids(app: Flask) -> None:
    """Make every ``<int:...>`` URL argument bounded (call before registering blueprints)."""
    app.url_map.converters["int"] = BoundedIntConverter


def _sqrt(value: float | None) -> float | None:
    return None if value is None or value < 0 else math.sqrt(value)


def tune_sqlite(engine) -> None:  # noqa: ANN001
    """Foreign keys on; WAL and a busy timeout so gunicorn workers queue instead of failing.

    SQLite ignores foreign keys unless asked per connection. Without WAL a reader blocks a
    writer; without a busy timeout a second writer gets "database is locked" at once.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        try:  # the statistics sort by sqrt(); SQLite builds without math functions lack it
            cursor.execute("SELECT sqrt(1)")
        except sqlite3.OperationalError:
            dbapi_connection.create_function("sqrt", 1, _sqrt, deterministic=True)
        cursor.close()


def tune_postgresql(engine) -> None:  # noqa: ANN001
    """End a transaction that only read with COMMIT, not ROLLBACK, so psycopg keeps its
    prepared statements.

    psycopg prepares a statement on a connection once it has run it five times, and then
    PostgreSQL parses and plans it once instead of on every run (the quiz page's item
    statement spends 0.5-0.7 ms there). But psycopg forgets every prepared statement on
    ROLLBACK, and every request that only reads (each GET) ends with one, when the session
    closes: nothing was ever prepared. For a transaction that wrote nothing, COMMIT and
    ROLLBACK do the same. A transaction counts as writing once any statement other than a
    SELECT ran in it (an upsert written as ``WITH ...``, a savepoint), so a doubtful case
    rolls back as before; a transaction in error always does, and so does one whose COMMIT
    fails. A SELECT that writes (one calling a function that changes data) would be
    committed: the app runs none, and one added would have to be marked here.
    """
    import psycopg
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn, _cursor, statement, *_args):  # noqa: ANN001
        if not statement.startswith("SELECT"):
            conn.info["wrote"] = True

    @event.listens_for(engine, "commit")
    def _forget(conn) -> None:  # noqa: ANN001
        conn.info.pop("wrote", None)

    @event.listens_for(engine, "rollback")
    def _commit_reads(conn) -> None:  # noqa: ANN001
        if conn.info.pop("wrote", False):
            return
        driver = conn.connection.driver_connection
        if driver.info.transaction_status == TransactionStatus.INTRANS:
            try:
                driver.commit()  # SQLAlchemy's ROLLBACK then finds nothing to roll back
            except psycopg.Error:
                pass  # SQLAlchemy's ROLLBACK goes on as before
