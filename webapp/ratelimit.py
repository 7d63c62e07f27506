"""Rate limits per client address, shared by every gunicorn worker through the database.

A fixed-window counter (``RateCounter``): one atomic upsert per hit, ``INSERT ... ON
CONFLICT DO UPDATE ... RETURNING count``, on SQLite and PostgreSQL alike, so parallel
requests each get their own count and no two see the same one. The hit is written and
committed on its own connection, outside the request's unit of work: a refused or failed
request still counts, and the counter row is locked for one statement, not for the request.
The answer path is the exception (``in_request``): there the hit joins the answer's own
transaction, which a second commit per answer would have made about 40% dearer.

``now()`` is the clock; tests replace it to move time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import (
    abort,
    after_this_request,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_login import current_user
from sqlalchemy import delete, text, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests

from .extensions import db
from .models import RateCounter

# Counter rows of windows that ended this long ago are deleted (when a new window opens).
_KEEP_SECONDS = 24 * 60 * 60
_MAX_KEY = 300


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window`` seconds; ``what`` names it in the message."""

    limit: int
    window: int
    what: str


def now() -> float:
    """Seconds since the epoch (a seam for tests)."""
    return time.time()


def client_address() -> str:
    """The client's address (ProxyFix has applied ``TRUSTED_PROXIES`` already)."""
    return (request.remote_addr or "unknown")[:64]


# One hit: the same text on SQLite and PostgreSQL, built once (compiling the expression
# on every answer cost as much as running it). In SET, the table's columns are the row's
# old values on both.
_HIT = text(
    'INSERT INTO rate_counter ("key", window_start, "count") VALUES (:key, :now, 1) '
    'ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN rate_counter.window_start > :open_after '
    'THEN rate_counter."count" + 1 ELSE 1 END, '
    "window_start = CASE WHEN rate_counter.window_start > :open_after "
    "THEN rate_counter.window_start ELSE :now END "
    'RETURNING "count", window_start'
)


def hit(key: str, window: int, *, sweep: bool = True, in_request: bool = False) -> tuple[int, int]:
    """Count one hit for ``key``; return (hits in its window, seconds until the window ends).

    A key's window opens at its first hit and lasts ``window`` seconds; the first hit after
    it ends opens a new one, counting from 1 again. With ``sweep``, opening a window also
    deletes rows of windows that ended a day ago (kept off the answer path: one statement).

    The hit is committed on its own connection, unless ``in_request``: then it joins the
    request's transaction and is committed with what the request writes (the answer path:
    one statement more in the answer's transaction instead of a second transaction).
    """
    current = int(now())
    params = {"key": key[:_MAX_KEY], "now": current, "open_after": current - window}
    if in_request:
        count, start = db.session.execute(_HIT, params).one()
    else:
        with db.engine.begin() as conn:
            count, start = conn.execute(_HIT, params).one()
            if count == 1 and sweep:
                conn.execute(
                    delete(RateCounter).where(RateCounter.window_start < current - _KEEP_SECONDS)
                )
    return int(count), max(1, int(start) + window - current)


def give_back(key: str) -> None:
    """Undo one hit of ``key`` (a log-in that succeeded is no failure)."""
    table = RateCounter.__table__
    with db.engine.begin() as conn:
        conn.execute(
            update(RateCounter)
            .where(table.c.key == key[:_MAX_KEY], table.c["count"] > 0)
            .values(count=table.c["count"] - 1)
        )


def take_back(key: str) -> None:
    """Forget every hit of ``key`` (a successful log-in forgets the account's failures)."""
    with db.engine.begin() as conn:
        conn.execute(delete(RateCounter).where(RateCounter.key == key[:_MAX_KEY]))


def limit_for(name: str) -> Limit:
    """The configured limit ``RATE_LIMITS[name]``: (hits, window seconds, what)."""
    count, window, what = current_app.config["RATE_LIMITS"][name]
    return Limit(int(count), int(window), str(what))


def wait_message(seconds: int, what: str) -> str:
    """The words shown with a 429: what was limited and how long to wait."""
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many {what} from your network. Wait {minutes} {unit} and try again."


def guard(name: str, *, per_account: bool = False, in_request: bool = False) -> None:
    """Count one hit of limit ``name`` for this client address; over it, answer 429 now.

    With ``per_account``, a signed-in user's hits count against their account instead:
    a school's students behind one address each answer at their own pace, and only
    guests share the address's count.

    With ``in_request``, the hit is written in the request's transaction (see ``hit``) and
    committed with the answer; a request that stores nothing commits it as its response
    goes out, and a refused one before answering 429.

    A view calls it in one line, before its first write: ``ratelimit.guard("answer")``.
    """
    rule = limit_for(name)
    if per_account and current_user.is_authenticated:
        who = f"user:{current_user.id}"
    else:
        who = client_address()
    count, wait = hit(f"{name}:{who}", rule.window, sweep=not in_request, in_request=in_request)
    if in_request:
        # A request that stores nothing (a refused form, a redirect) still counts: what the
        # request left uncommitted is only this hit, committed as the response goes out.
        after_this_request(_keep_the_hit)
    if count <= rule.limit:
        return
    if in_request:
        db.session.commit()  # the refused hit counts too
    error = TooManyRequests(wait_message(wait, rule.what))
    response = make_response(render_template("errors/error.html", error=error), 429)
    response.headers["Retry-After"] = str(wait)
    abort(response)


def _keep_the_hit(response):
    if not db.session().in_transaction():
        return response  # the request committed already (the answer, with its hit)
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
    return response


def guard_guests(name: str) -> None:
    """``guard(name)`` for a visitor who is not logged in; nothing for an account."""
    if not current_user.is_authenticated:
        guard(name)
