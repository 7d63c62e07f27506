"""Quiz attempts, the questions drawn for them, and the answers given.

A guest's attempt has ``user_id`` NULL and is bound to a random ``guest_token`` kept in
the guest's signed session cookie; statistics only ever count attempts with a user.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .bank import Question, QuestionRevision
    from .user import User


class Mode(str, enum.Enum):
    SECTION = "section"  # one section
    MIXED = "mixed"  # several sections, or the whole article
    MISTAKES = "mistakes"  # questions the student last got wrong


class Attempt(Model):
    """One quiz: who takes it, over what, and how it went."""

    __tablename__ = "attempt"
    __table_args__ = (
        CheckConstraint("mode IN ('section', 'mixed', 'mistakes')", name="mode"),
        CheckConstraint("user_id IS NOT NULL OR guest_token IS NOT NULL", name="owner"),
        # a student's finished quizzes, newest first: the dashboard's last score and chart
        Index("ix_attempt_user_finished", "user_id", "finished_at"),
        # a student's latest quizzes (dashboard, home)
        Index("ix_attempt_user_started", "user_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    guest_token: Mapped[str | None] = mapped_column(String(64), index=True)
    mode: Mapped[str] = mapped_column(String(20))
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    score: Mapped[float | None] = mapped_column(Float)  # mean item score in [0, 1]
    # Set when the attempt is a class assignment's; otherwise it is self-study.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    def __repr__(self) -> str:
        return f"<Attempt {self.id} user={self.user_id} {self.mode} {self.sections}>"


class AttemptItem(Model):
    """A question drawn for an attempt, the revision shown and its shuffled presentation.

    ``presentation`` holds the display orders as indices into the revision's canonical
    lists, e.g. ``{"options": [2, 0, 1]}``; the page is rebuilt from it on every reload.
    """

    __tablename__ = "attempt_item"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1-based
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revision.id"), index=True)
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
    revision: Mapped[QuestionRevision] = relationship()
    answer: Mapped[Answer | None] = relationship(
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )


class Answer(Model):
    """The one answer to an attempt item; the unique key makes a double submit count once."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_item.id", ondelete="CASCADE"), unique=True
    )
    response: Mapped[Any] = mapped_column(JSON)  # canonical form, as questions.grade takes it
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    # The grade as data (questions.Grade.to_dict); NULL for answers from before it was kept.
    grade: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The words of the old grader, kept for answers from before ``grade``; no longer written.
    feedback: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # When an instructor's decision on a typed response last changed this answer's score.
    regraded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    item: Mapped[AttemptItem] = relationship(back_populates="answer")
