"""Sign-in state the server keeps: each log-in's token, pending sign-ups, rate-limit counters.

Both live in the database, so every gunicorn worker sees the same log-ins and counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime, utcnow


class LoginSession(Model):
    """One log-in: a random token (stored as its SHA-256) that the session cookie and, when
    "keep me logged in" was ticked, the remember cookie carry. Deleting the row ends it."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SignupRequest(Model):
    """A sign-up waiting for its mailed link to be opened: the link's random token (stored
    as its SHA-256), the address, the chosen password's hash, the browser's time zone."""

    __tablename__ = "signup_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    next_path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RateCounter(Model):
    """A fixed-window counter: ``count`` events for ``key`` in the window that began at
    ``window_start`` (seconds since the epoch). Updated atomically, one upsert a hit."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, index=True)
    count: Mapped[int] = mapped_column(Integer)
