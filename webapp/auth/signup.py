"""Signing up by email: the answer to /register never tells whether an address has an account.

A valid sign-up form always answers "check your email". A new address gets a link that
finishes the sign-up: a random token, stored only as its SHA-256 with the address, the
password's hash and the browser's time zone (``SignupRequest``), valid for a day. An
address that already has an account gets a note saying someone tried to sign up with it,
with links to log in and to reset the password. Both hash the password, so both take the
same time. Helpers here add rows; the view commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import url_for
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..mail import send
from ..models import Role, SignupRequest, User, utcnow
from ..timezones import set_zone

SIGNUP_LIFETIME = timedelta(days=1)  # a sign-up link works for a day
MAX_TOKEN = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def exists(email: str) -> bool:
    return db.session.scalar(db.select(User.id).where(User.email == email)) is not None


def request_account(
    email: str, password: str, *, time_zone: str | None, next_path: str | None
) -> None:
    """Mail ``email`` a link that finishes signing up, or, if it has an account, a note."""
    password_hash = generate_password_hash(password)  # both ways: the same time
    now = utcnow()
    db.session.execute(db.delete(SignupRequest).where(SignupRequest.expires_at <= now))
    if exists(email):
        send(
            email,
            "Someone tried to sign up with your email",
            "Someone (perhaps you) tried to create a quiz account with this email, which "
            "already has one. Nothing was changed.\n\n"
            f"To log in: {url_for('auth.login', _external=True)}\n"
            f"Forgot your password? Choose a new one: "
            f"{url_for('account.reset_request', _external=True)}\n\n"
            "If it was not you, ignore this mail.",
        )
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        SignupRequest(
            token_hash=_hash(token),
            email=email,
            password_hash=password_hash,
            time_zone=(time_zone or "")[:64] or None,
            next_path=(next_path or "")[:500] or None,
            created_at=now,
            expires_at=now + SIGNUP_LIFETIME,
        )
    )
    link = url_for("auth.confirm", token=token, _external=True)
    send(
        email,
        "Confirm your email to finish signing up",
        "Welcome! To finish creating your quiz account, open this link within a day:\n"
        f"{link}\n\n"
        "If you did not ask for an account, ignore this mail: nothing is created.",
    )


def pending(token: str) -> SignupRequest | None:
    """The sign-up an unexpired link names; None otherwise."""
    if not token or len(token) > MAX_TOKEN:
        return None
    return db.session.scalar(
        db.select(SignupRequest).where(
            SignupRequest.token_hash == _hash(token), SignupRequest.expires_at > utcnow()
        )
    )


def create(request: SignupRequest) -> User:
    """Add the account a sign-up describes, forget every pending sign-up of its address
    (the caller commits)."""
    user = User(email=request.email, role=Role.STUDENT.value, password_hash=request.password_hash)
    set_zone(user, request.time_zone)
    db.session.add(user)
    db.session.execute(db.delete(SignupRequest).where(SignupRequest.email == request.email))
    db.session.flush()
    return user
