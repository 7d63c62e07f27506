"""Classes students join with a code, their instructors, and the assignments set in them.

Every time is stored in UTC; a class's ``time_zone`` is the zone its instructors enter
and its students read opening and due times in.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .user import User


class Source(str, enum.Enum):
    SECTIONS = "sections"  # drawn at random from sections (or the whole article)
    QUESTIONS = "questions"  # a fixed list of questions, shuffled per student


class Counts(str, enum.Enum):
    BEST = "best"
    LAST = "last"


class ShowAnswers(str, enum.Enum):
    EACH = "each"  # after each question
    ATTEMPT = "attempt"  # once the attempt is finished
    DUE = "due"  # once the due time has passed


class LatePolicy(str, enum.Enum):
    REFUSE = "refuse"
    ACCEPT = "accept"  # accepted and marked late


class Classroom(Model):
    """A class: a named group of students and the instructors who teach it."""

    __tablename__ = "classroom"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    term: Mapped[str | None] = mapped_column(String(60))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Classroom {self.id} {self.name!r}>"


class ClassInstructor(Model):
    """An instructor of a class: whoever created it and the co-instructors they invited."""

    __tablename__ = "class_instructor"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classroom.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Membership(Model):
    """A student in a class. Removing them sets ``removed_at``: their attempts stay, the
    gradebook drops them, and the code no longer lets them back in."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The name the student gives when joining, as the gradebook shows it.
    name: Mapped[str] = mapped_column(String(120))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.removed_at is None


class Assignment(Model):
    """A quiz set in a class, open from ``opens_at`` and due at ``due_at`` (both UTC)."""

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint("source IN ('sections', 'questions')", name="source"),
        CheckConstraint("counts IN ('best', 'last')", name="counts"),
        CheckConstraint("show_answers IN ('each', 'attempt', 'due')", name="show_answers"),
        CheckConstraint("late_policy IN ('refuse', 'accept')", name="late_policy"),
        CheckConstraint("attempts_allowed IS NULL OR attempts_allowed >= 1", name="attempts"),
        CheckConstraint("size >= 1", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(12))
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    counts: Mapped[str] = mapped_column(String(8), default=Counts.BEST.value)
    show_answers: Mapped[str] = mapped_column(String(8), default=ShowAnswers.EACH.value)
    late_policy: Mapped[str] = mapped_column(String(8), default=LatePolicy.REFUSE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    classroom: Mapped[Classroom] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.title!r} class={self.class_id}>"
