"""Log-in throttling: too many failures for one email or from one address -> wait.

Failures live in the database (``LoginFailure``), so the limit holds whichever gunicorn
worker answers. ``now()`` is the clock; tests replace it to move time.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..models import LoginFailure, utcnow


def now() -> datetime:
    """The current UTC time (a seam for tests)."""
    return utcnow()


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def _wait_for(column, value: str, limit: int, current: datetime) -> float:  # noqa: ANN001
    """Seconds until ``value`` has fewer than ``limit`` failures in the window (0: now)."""
    since = current - _window()
    times = list(
        db.session.scalars(
            db.select(LoginFailure.at)
            .where(column == value, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        )
    )
    if len(times) < limit:
        return 0.0
    # The oldest of the last ``limit`` failures must leave the window.
    return (times[-1] + _window() - current).total_seconds()


def seconds_to_wait(email: str, ip: str) -> int:
    """0 when a log-in may be tried now, else how many seconds to wait."""
    cfg = current_app.config
    current = now()
    wait = max(
        _wait_for(LoginFailure.email, email, cfg["LOGIN_MAX_FAILURES_PER_EMAIL"], current),
        _wait_for(LoginFailure.ip, ip, cfg["LOGIN_MAX_FAILURES_PER_IP"], current),
    )
    return math.ceil(wait) if wait > 0 else 0


def record_failure(email: str, ip: str) -> None:
    """Remember one failed log-in, forget failures older than the window (the caller commits)."""
    current = now()
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= current - _window()))
    db.session.add(LoginFailure(email=email[:254], ip=ip[:64], at=current))


def clear_failures(email: str) -> None:
    """A successful log-in forgets the account's failures (the caller commits)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed log-ins. Wait {minutes} {unit} and try again."
