"""Accounts: students and instructors."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Model
from .base import UTCDateTime, utcnow


class Role(str, enum.Enum):
    STUDENT = "student"
    INSTRUCTOR = "instructor"


class _AccountMethods:
    """What ``User`` and the request's ``SignedIn`` share: the log-in's id (both must give
    the same one, as the session cookie carries it), the password check and the role."""

    __slots__ = ()
    if TYPE_CHECKING:
        id: int
        password_hash: str
        role: str
        session_version: int
        login_token: str | None

    def get_id(self) -> str:
        """Flask-Login's id for the session and remember cookies: "<id>-<version>-<token>"."""
        return f"{self.id}-{self.session_version}-{self.login_token or ''}"

    def check_password(self, password: str) -> bool:
        """True when ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_instructor(self) -> bool:
        return self.role == Role.INSTRUCTOR.value


class User(_AccountMethods, UserMixin, Model):
    """Someone with an account; ``role`` decides what they may see."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint("role IN ('student', 'instructor')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.STUDENT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Per-user preferences added by later features (e.g. new flashcards per day).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Part of every log-in's id (``get_id``): bumping it ends every session and remember
    # cookie of this account ("log out everywhere", a password change or reset).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The token of the log-in this object was loaded for (not a column); see ``get_id``.
    login_token = cast("str | None", None)

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``, never the password itself."""
        self.password_hash = generate_password_hash(password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Account(Protocol):
    """What reading code needs of an account: a ``User`` or the request's ``SignedIn``."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def settings(self) -> dict[str, Any]: ...
    @property
    def is_instructor(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SignedIn(_AccountMethods):
    """The signed-in account as a request reads it (``current_user``): a row, not a mapped
    object. Loading the mapped ``User`` on every request cost twice what the row does, and
    its commit and expiry more; what changes the account loads the ``User``
    (``auth.sessions.account()``)."""

    id: int
    email: str
    password_hash: str = field(repr=False)  # kept out of any log line that shows the user
    role: str
    created_at: datetime
    settings: dict[str, Any]
    session_version: int
    login_token: str = field(repr=False)
    # Flask-Login's user interface
    is_authenticated = True
    is_active = True
    is_anonymous = False


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively: store them stripped and lowercased."""
    return email.strip().lower()
