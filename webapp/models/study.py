"""Flashcard study: each student's FSRS state per question, and the log of every rating.

A ``StudyCard`` row exists once a student has rated a question (or got it wrong in a quiz);
a published question without a row is a *new* card for that student. ``reps`` counts the
card's ratings and doubles as the idempotency key of the next one: a rating form carries
the ``reps`` it was shown with, and ``ReviewLog``'s unique (card, review_number) lets only
one of two identical POSTs be recorded. ``StudyDay`` counts each student's reviews per study
day (4 a.m. to 4 a.m. in their zone, named by its date) as they are logged, so the streak
and retention read a row per day, not every review.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, utcnow
from .study_state import CardState, Review, State

if TYPE_CHECKING:
    from .bank import Question


class StudyCard(Model):
    """One student's memory of one question, as FSRS models it."""

    __tablename__ = "study_card"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        # the study queue and the forecast: a student's cards by due date
        Index("ix_study_card_user_due", "user_id", "due"),
        CheckConstraint("state IN (1, 2, 3)", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[int] = mapped_column(Integer, default=int(State.Learning))
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship()

    def card_state(self) -> CardState:
        """The row as the scheduler's value object."""
        return CardState(
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
            reps=self.reps,
            lapses=self.lapses,
        )

    def apply(self, card: CardState) -> None:
        """Copy a scheduler state into the row."""
        self.state = int(card.state)
        self.step = card.step
        self.stability = card.stability
        self.difficulty = card.difficulty
        if card.due is None:
            raise ValueError("a scheduled card has a due time")
        self.due = card.due
        self.last_review = card.last_review
        self.reps = card.reps
        self.lapses = card.lapses

    def __repr__(self) -> str:
        return f"<StudyCard user={self.user_id} q={self.question_id} due={self.due}>"


class ReviewLog(Model):
    """One rating of one card: append-only, the source of the progress figures."""

    __tablename__ = "review_log"
    __table_args__ = (
        # one record per review step: a repeated POST of the same step cannot add a second
        UniqueConstraint("card_id", "review_number"),
        # reviewed today, streak, retention: a student's reviews by time
        Index("ix_review_log_user_reviewed_at", "user_id", "reviewed_at"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("study_card.id", ondelete="CASCADE"))
    # copied from the card so progress queries need no join
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    review_number: Mapped[int] = mapped_column(Integer)  # 1 for the card's first rating
    rating: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state_before: Mapped[int] = mapped_column(Integer)
    state_after: Mapped[int] = mapped_column(Integer)
    elapsed_days: Mapped[int | None] = mapped_column(Integer)
    due_after: Mapped[datetime] = mapped_column(UTCDateTime())
    stability_after: Mapped[float | None] = mapped_column(Float)
    difficulty_after: Mapped[float | None] = mapped_column(Float)

    card: Mapped[StudyCard] = relationship()

    @classmethod
    def from_review(cls, card: StudyCard, review: Review, after: CardState) -> ReviewLog:
        """The log row for ``review`` of ``card`` that left it in state ``after``."""
        return cls(
            card=card,
            user_id=card.user_id,
            question_id=card.question_id,
            review_number=review.review_number,
            rating=int(review.rating),
            reviewed_at=review.reviewed_at,
            state_before=int(review.state_before),
            state_after=int(review.state_after),
            elapsed_days=review.elapsed_days,
            due_after=after.due,
            stability_after=after.stability,
            difficulty_after=after.difficulty,
        )

    def __repr__(self) -> str:
        return f"<ReviewLog card={self.card_id} #{self.review_number} rating={self.rating}>"


class StudyDay(Model):
    """One student's reviews on one study day (from 4 a.m. local), counted as each is logged."""

    __tablename__ = "study_day"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    # reviews of cards in review state (not new, not (re)learning), and those not Again
    known: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<StudyDay user={self.user_id} {self.day} {self.reviews}>"
