"""Log-ins the server can end.

Each log-in gets a random token; the database keeps only its SHA-256 (``LoginSession``).
Flask-Login's id for the user (``User.get_id``) is "<user id>-<session version>-<token>": it
is what the session cookie and the remember cookie carry, and ``load`` accepts it only while
the account's ``session_version`` is the same and the token's row exists and has not
expired. So log-out deletes that log-in's row (a copied cookie stops working), and "log out
everywhere", a password change or a reset bump the version and delete every row.

Helpers here add and delete rows; the view that calls them commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import fields
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, session
from flask_login import current_user, login_user, logout_user

from .. import aggregates
from ..extensions import db
from ..models import Attempt, LoginSession, SignedIn, User, utcnow

_ID_RE = re.compile(r"([0-9]{1,10})-([0-9]{1,10})-([A-Za-z0-9_\-]{20,100})")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Every signed-in request runs it: built once, with bound parameters (building the
# expression on each request cost as much as running it), on the tables (loading the
# mapped User cost twice what the row does).
_USER = User.__table__
_LOGIN = LoginSession.__table__
_LOAD = (
    sa.select(*(_USER.c[f.name] for f in fields(SignedIn) if f.name != "login_token"))
    .join(_LOGIN, _LOGIN.c.user_id == _USER.c.id)
    .where(
        _USER.c.id == sa.bindparam("uid"),
        _USER.c.session_version == sa.bindparam("version"),
        _LOGIN.c.token_hash == sa.bindparam("hash"),
        _LOGIN.c.expires_at > sa.bindparam("now", type_=_LOGIN.c.expires_at.type),
    )
)


def load(user_id: str) -> SignedIn | None:
    """The account of a session or remember cookie's id, if that log-in is still valid."""
    match = _ID_RE.fullmatch(user_id or "")
    if match is None:
        return None
    uid, version, token = match.groups()
    row = db.session.execute(
        _LOAD,
        {"uid": int(uid), "version": int(version), "hash": _hash(token), "now": utcnow()},
    ).first()
    if row is None:
        return None
    values: tuple[Any, ...] = (*row, token)  # the columns in SignedIn's order, then the token
    return SignedIn(*values)


def account() -> User:
    """The signed-in account as the mapped ``User``, for what changes it (``current_user``
    is a ``SignedIn`` row, or the ``User`` just logged in)."""
    return db.get_or_404(User, current_user.id)


def _lifetime(remember: bool) -> timedelta:
    name = "REMEMBER_COOKIE_DURATION" if remember else "LOGIN_SESSION_LIFETIME"
    value = current_app.config[name]
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def start(user: User, *, remember: bool = False) -> None:
    """Forget everything the session held (guest token, CSRF token), then log ``user`` in
    with a new token of their own (the caller commits)."""
    session.clear()
    now = utcnow()
    db.session.execute(
        db.delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.expires_at <= now
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            token_hash=_hash(token),
            remember=remember,
            created_at=now,
            expires_at=now + _lifetime(remember),
        )
    )
    user.login_token = token
    login_user(user, remember=remember, duration=_lifetime(True) if remember else None)


def _current_row() -> LoginSession | None:
    token = getattr(current_user, "login_token", None)
    if not token:
        return None
    return db.session.scalar(db.select(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end() -> None:
    """Log out: delete this log-in's token, clear the session, drop the remember cookie."""
    row = _current_row()
    if row is not None:
        db.session.delete(row)
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion


def end_everywhere(user: User) -> None:
    """End every log-in of ``user``, in every browser (the caller commits)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id))


def restart(user: User) -> None:
    """End every log-in of ``user`` but carry on in this browser with a new one (a password
    change): other browsers and copied cookies are logged out."""
    row = _current_row() if current_user.is_authenticated else None
    remember = bool(row and row.remember)
    end_everywhere(user)
    start(user, remember=remember)


def guest_token() -> str | None:
    """The random token of the guest's attempts in this session (see quiz views)."""
    token = session.get("guest_token")
    return token if isinstance(token, str) else None


def unfinished_guest_attempts(token: str | None) -> int:
    """How many unfinished quizzes the guest of ``token`` has."""
    if not token:
        return 0
    return int(
        db.session.scalar(
            db.select(db.func.count(Attempt.id)).where(
                Attempt.user_id.is_(None),
                Attempt.guest_token == token,
                Attempt.finished_at.is_(None),
            )
        )
        or 0
    )


def move_guest_attempts(token: str | None, user: User) -> int:
    """Give ``user`` the unfinished quizzes the guest of ``token`` started; returns how many.

    Only when the student asks (a box on the log-in and sign-up forms): log-in clears the
    session, and with it the guest's token, so an unmoved guest quiz stays anonymous.
    """
    if not token:
        return 0
    result = db.session.execute(
        db.update(Attempt)
        .where(
            Attempt.user_id.is_(None),
            Attempt.guest_token == token,
            Attempt.finished_at.is_(None),
        )
        .values(user_id=user.id, guest_token=None)
    )
    moved = int(getattr(result, "rowcount", 0) or 0)
    if moved:
        # the answers given as a guest now count in the student's kept figures
        aggregates.refresh_students([user.id])
    return moved
