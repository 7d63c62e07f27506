"""A student's statistics, aggregated in SQL so the query count stays flat as data grows.

Only attempts with a user count; guests' attempts never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from questions import SECTIONS

from ..extensions import db
from ..models import Answer, Attempt, AttemptItem, Question, Status
from ..quiz.service import latest_answers_subquery

HISTORY_POINTS = 30
MOST_MISSED = 5


@dataclass
class SectionMastery:
    slug: str
    title: str
    published: int
    answered: int  # distinct published questions answered at least once
    mastered: int  # published questions whose last answer was fully right

    @property
    def mistakes(self) -> int:
        """Published questions whose last answer was not fully right."""
        return self.answered - self.mastered

    @property
    def mastery(self) -> float:
        return self.mastered / self.published if self.published else 0.0


@dataclass
class Summary:
    attempts: int
    best: float | None
    last: float | None
    average: float | None
    answers: int


@dataclass
class Missed:
    question: Question
    misses: int
    answers: int


def summary(user_id: int) -> Summary:
    """Counts, best, last and mean score of finished attempts, in two queries."""
    count, best, average = db.session.execute(
        db.select(func.count(Attempt.id), func.max(Attempt.score), func.avg(Attempt.score)).where(
            Attempt.user_id == user_id, Attempt.finished_at.is_not(None)
        )
    ).one()
    last = db.session.scalar(
        db.select(Attempt.score)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
        .limit(1)
    )
    answers = (
        db.session.scalar(
            db.select(func.count(Answer.id))
            .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.user_id == user_id)
        )
        or 0
    )
    return Summary(
        attempts=count or 0,
        best=best,
        last=last,
        average=float(average) if average is not None else None,
        answers=answers,
    )


def history(user_id: int, limit: int = HISTORY_POINTS) -> list[tuple[datetime, float]]:
    """The last ``limit`` finished attempts as (finished_at, score), oldest first."""
    rows = db.session.execute(
        db.select(Attempt.finished_at, Attempt.score)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
        .limit(limit)
    ).all()
    return [(at, score or 0.0) for at, score in reversed(rows)]


def mastery(user_id: int) -> list[SectionMastery]:
    """Per section: published questions, how many answered, how many last answered right."""
    latest = latest_answers_subquery(user_id)
    rows = db.session.execute(
        db.select(
            Question.section,
            func.count(Question.id),
            func.count(latest.c.question_id),
            func.coalesce(func.sum(case((latest.c.correct.is_(True), 1), else_=0)), 0),
        )
        .outerjoin(latest, latest.c.question_id == Question.id)
        .where(Question.status == Status.PUBLISHED.value)
        .group_by(Question.section)
    ).all()
    by_slug = {section: (pub, ans, ok) for section, pub, ans, ok in rows}
    return [SectionMastery(s.slug, s.title, *by_slug.get(s.slug, (0, 0, 0))) for s in SECTIONS]


def most_missed(user_id: int, limit: int = MOST_MISSED) -> list[Missed]:
    """The questions the user got wrong most often (any status), with their current text."""
    misses = func.sum(case((Answer.correct.is_(False), 1), else_=0)).label("misses")
    rows = db.session.execute(
        db.select(AttemptItem.question_id, misses, func.count(Answer.id))
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id)
        .group_by(AttemptItem.question_id)
        .having(misses > 0)
        .order_by(misses.desc(), AttemptItem.question_id)
        .limit(limit)
    ).all()
    if not rows:
        return []
    questions = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question)
            .options(selectinload(Question.current_revision))
            .where(Question.id.in_([r[0] for r in rows]))
        )
    }
    return [Missed(questions[qid], int(m), int(n)) for qid, m, n in rows]
