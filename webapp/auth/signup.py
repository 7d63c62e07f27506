"""Signing up by email: the answer to /register never tells whether an address has an account.

A valid sign-up form always answers "check your email". A new address gets a link that
finishes the sign-up (a signed token holding the address, the password's hash and the
browser's time zone, valid for a day); an address that already has an account gets a note
saying someone tried to sign up with it, with links to log in and to reset the password.
Both hash the password, so both take the same time.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..mail import send
from ..models import Role, User
from ..timezones import set_zone

SIGNUP_SALT = "sign-up"
SIGNUP_MAX_AGE = 24 * 60 * 60  # a sign-up link works for a day
MAX_TOKEN = 1000


@dataclass(frozen=True)
class Signup:
    """What a valid sign-up link holds."""

    email: str
    password_hash: str
    time_zone: str | None
    next: str | None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNUP_SALT)


def exists(email: str) -> bool:
    return db.session.scalar(db.select(User.id).where(User.email == email)) is not None


def request_account(
    email: str, password: str, *, time_zone: str | None, next_path: str | None
) -> None:
    """Mail ``email`` a link that finishes signing up, or, if it has an account, a note."""
    password_hash = generate_password_hash(password)  # both ways: the same time
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
    token = _serializer().dumps(
        {"email": email, "hash": password_hash, "tz": time_zone or None, "next": next_path}
    )
    link = url_for("auth.confirm", token=token, _external=True)
    send(
        email,
        "Confirm your email to finish signing up",
        "Welcome! To finish creating your quiz account, open this link within a day:\n"
        f"{link}\n\n"
        "If you did not ask for an account, ignore this mail: nothing is created.",
    )


def read_token(token: str) -> Signup | None:
    """The sign-up a valid, unexpired link holds; None otherwise."""
    if len(token) > MAX_TOKEN:
        return None
    try:
        data = _serializer().loads(token, max_age=SIGNUP_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("email", "hash")
    ):
        return None
    zone = data.get("tz")
    next_path = data.get("next")
    return Signup(
        email=data["email"],
        password_hash=data["hash"],
        time_zone=zone if isinstance(zone, str) else None,
        next=next_path if isinstance(next_path, str) else None,
    )


def create(signup: Signup) -> User:
    """Add the account a sign-up link describes (the caller commits)."""
    user = User(email=signup.email, role=Role.STUDENT.value, password_hash=signup.password_hash)
    set_zone(user, signup.time_zone)
    db.session.add(user)
    db.session.flush()
    return user
