"""Fixtures for the study tests, on top of tests/webapp/conftest.py: a frozen clock (with
fuzz off, for exact due dates), a student, an app context for service-level tests.

The fixture bank (``bank``) is loaded in this order, which is also article order:
history-single, history-multi, history-tf, history-short, history-order (section 1), then
economy-numeric, economy-match, economy-cloze, economy-basic (section 5).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.models import User

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

HISTORY = ["history-single", "history-multi", "history-tf", "history-short", "history-order"]
ECONOMY = ["economy-numeric", "economy-match", "economy-cloze", "economy-basic"]


class Clock:
    """The study views' idea of now, moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """Freeze the study pages' and dashboard's clock at NOW; fuzz off for exact due dates."""
    app.config["STUDY_FUZZING"] = False
    clock = Clock(NOW)
    for module in ("webapp.study.views", "webapp.dashboard.views"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: clock.now)
    return clock


@pytest.fixture
def ctx(app):
    """An app context for tests that call the service layer directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def student(make_user, bank) -> int:
    """A student's id (the bank is loaded)."""
    return make_user("student@example.com")


def user(user_id: int) -> User:
    """The user row, in the current app context."""
    return db.session.get(User, user_id)
