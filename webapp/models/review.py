"""The instructor's review of typed answers: regrades (with each answer's old and new
score) and students' appeals against a typed answer marked wrong."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .bank import QuestionRevision
    from .quiz import Answer
    from .user import User


class Decision(str, enum.Enum):
    ACCEPT = "accept"
    REJECT = "reject"


class AppealState(str, enum.Enum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Regrade(Model):
    """One decision on a typed response: who, when, what, and the revision it made."""

    __tablename__ = "regrade"
    __table_args__ = (CheckConstraint("decision IN ('accept', 'reject')", name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_revision.id", ondelete="SET NULL")
    )
    decision: Mapped[str] = mapped_column(String(10))
    response: Mapped[str] = mapped_column(Text)  # the text added to accept or reject
    part: Mapped[int | None] = mapped_column(Integer)  # a cloze's gap number
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by: Mapped[User | None] = relationship()
    revision: Mapped[QuestionRevision | None] = relationship()
    changes: Mapped[list[AnswerRegrade]] = relationship(
        back_populates="regrade", cascade="all, delete-orphan"
    )


class AnswerRegrade(Model):
    """One answer's score before and after a regrade (the history is never rewritten)."""

    __tablename__ = "answer_regrade"

    id: Mapped[int] = mapped_column(primary_key=True)
    regrade_id: Mapped[int] = mapped_column(
        ForeignKey("regrade.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    old_score: Mapped[float] = mapped_column(Float)
    new_score: Mapped[float] = mapped_column(Float)
    old_correct: Mapped[bool] = mapped_column(Boolean)
    new_correct: Mapped[bool] = mapped_column(Boolean)

    regrade: Mapped[Regrade] = relationship(back_populates="changes")
    answer: Mapped[Answer] = relationship()


class Appeal(Model):
    """A student's "I think my answer is right": one per answer."""

    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint("state IN ('waiting', 'accepted', 'declined')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=AppealState.WAITING.value, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    answer: Mapped[Answer] = relationship()
