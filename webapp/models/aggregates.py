"""Figures kept up to date on write, so the pages that show them read a row, not a history.

``QuestionStat``: per question, the sums of its item statistics (finished attempts).
``OptionStat``: per revision and option, its picks and its pickers' rest-of-quiz sum.
``StudentQuestion``: per student and question, answers, misses and the last answer (the
mistakes set is its rows whose last answer was not fully right). ``StudentSection``: per
student and section, answers, right answers, the score's sum, questions answered and
mastered (last answer fully right). ``StudentAttempts``: per student, the finished
attempts, their scores' sum and the best (the dashboard's summary). ``BankSection``: per
section, the published questions and a version that moves with every change to the
section's questions (cache keys).

The code that writes an answer updates them in the same transaction
(``webapp.aggregates``); ``flask --app webapp stats rebuild`` recomputes them from the
answers, and a test holds that both give the same rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime


class StudentQuestion(Model):
    """One student's record on one question, over every attempt with a user."""

    __tablename__ = "student_question"
    __table_args__ = (
        # "most missed" on the dashboard: a student's rows by misses, ties by question,
        # read backwards from the top (no sort of every row the student has)
        Index("ix_student_question_user_misses", "user_id", "misses", "question_id"),
        # the mistakes set: a student's rows whose last answer was not right
        Index("ix_student_question_user_last_correct", "user_id", "last_correct"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    section: Mapped[str] = mapped_column(String(60))
    answers: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=0)  # answers not fully right
    last_answer_id: Mapped[int] = mapped_column(Integer)
    last_answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_correct: Mapped[bool] = mapped_column(Boolean)
    last_score: Mapped[float] = mapped_column(Float)
    # answers in finished attempts: the item statistics count those (and the student once)
    graded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class StudentAttempts(Model):
    """One student's finished attempts: how many, their scores' sum and the best."""

    __tablename__ = "student_attempts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    finished: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)  # finished with a score
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    best: Mapped[float | None] = mapped_column(Float)


class StudentSection(Model):
    """One student's totals in one section (over every question answered there)."""

    __tablename__ = "student_section"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(String(60), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    right_answers: Mapped[int] = mapped_column(Integer, default=0)  # answers fully right
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    answered: Mapped[int] = mapped_column(Integer, default=0)  # distinct questions
    mastered: Mapped[int] = mapped_column(Integer, default=0)  # last answer fully right
    # answers in finished attempts and their score's sum: the class overview's mastery
    graded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    graded_score: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class QuestionStat(Model):
    """Per question, the sums its item statistics are made of, over finished attempts by
    users: answers, students, and for x = the item's score and y = the rest of the
    attempt's score, the sums of x, y, x², y² and xy (``webapp.instructor.stats``)."""

    __tablename__ = "question_stat"
    # The statistics page sorts by index whatever the number of answered questions: each
    # of its orders is one of these, ties by uid (the few values of section, state and
    # review are merged from an arm per value; the descending orders, made below the
    # class, keep uid ascending).
    __table_args__ = (
        Index("ix_question_stat_uid", "uid"),
        Index("ix_question_stat_section_uid", "section", "uid"),
        Index("ix_question_stat_status_uid", "status", "uid"),
        Index("ix_question_stat_review_uid", "review", "uid"),
        Index("ix_question_stat_answers_uid", "answers", "uid"),
        Index("ix_question_stat_students_uid", "students", "uid"),
        Index("ix_question_stat_facility_uid", "facility", "uid"),
        Index("ix_question_stat_discrimination_uid", "no_discrimination", "discrimination", "uid"),
        Index("ix_question_stat_keyed", "keyed"),
    )

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[int] = mapped_column(Integer, default=0)
    students: Mapped[int] = mapped_column(Integer, default=0)
    sx: Mapped[float] = mapped_column(Float, default=0.0)
    sy: Mapped[float] = mapped_column(Float, default=0.0)
    sxx: Mapped[float] = mapped_column(Float, default=0.0)
    syy: Mapped[float] = mapped_column(Float, default=0.0)
    sxy: Mapped[float] = mapped_column(Float, default=0.0)
    # the statistics page's sort keys (``webapp.stat_keys``): the question's uid, section
    # and state, kept as the question changes (``aggregates.listen``), and the figures
    # computed from the sums above, written with them
    uid: Mapped[str] = mapped_column(String(120), default="", server_default="")
    section: Mapped[str] = mapped_column(String(60), default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="", server_default="")
    facility: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    discrimination: Mapped[float | None] = mapped_column(Float)
    no_discrimination: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    review: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    keyed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


for _column in ("answers", "students", "facility"):
    Index(
        f"ix_question_stat_{_column}_desc_uid",
        getattr(QuestionStat, _column).desc(),
        QuestionStat.uid,
    )
Index(
    "ix_question_stat_discrimination_desc_uid",
    QuestionStat.no_discrimination,
    QuestionStat.discrimination.desc(),
    QuestionStat.uid,
)


class OptionStat(Model):
    """Per revision and option, over finished attempts by users: how many answers picked
    it (the kind's ``option_picks`` reads a response) and the sum of their pickers'
    rest-of-quiz score (the mean of the attempt's other answers; 0 for a one-item quiz)."""

    __tablename__ = "option_stat"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("question_revision.id", ondelete="CASCADE"), primary_key=True
    )
    option: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    picks: Mapped[int] = mapped_column(Integer, default=0)
    rest_sum: Mapped[float] = mapped_column(Float, default=0.0)


class BankSection(Model):
    """Per section: published questions, and a version bumped by any change to them."""

    __tablename__ = "bank_section"

    section: Mapped[str] = mapped_column(String(60), primary_key=True)
    published: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
