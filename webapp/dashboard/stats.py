"""A student's statistics: the query count and the rows read stay flat as data grows.

Answers, mastery and the most missed questions come from the figures kept on write
(``webapp.aggregates``); the attempts' scores from the attempts (one per quiz).

Only attempts with a user count; guests' attempts never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam

from questions import SECTIONS
from questions import Question as BankQuestion

from .. import aggregates
from ..extensions import db
from ..models import Attempt, Question, QuestionRevision, StudentQuestion

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
    """A question the student missed: its section, its current text and the count."""

    question_id: int
    section: str
    question: BankQuestion
    misses: int
    answers: int


# Built once, with bound parameters: building a statement anew on every dashboard cost
# about what running it does.
_FINISHED = (
    db.select(Attempt.finished_at, Attempt.score)
    .where(Attempt.user_id == bindparam("user_id"), Attempt.finished_at.is_not(None))
    .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
    .limit(bindparam("limit"))
)
_MISSED = (
    db.select(
        StudentQuestion.question_id,
        Question.section,
        QuestionRevision.data,
        StudentQuestion.misses,
        StudentQuestion.answers,
    )
    .join(Question, Question.id == StudentQuestion.question_id)
    .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
    .where(StudentQuestion.user_id == bindparam("user_id"), StudentQuestion.misses > 0)
    # ties by the newest question first: the order of the (user, misses, question) index
    # read backwards, so the first rows are the answer, whatever the history
    .order_by(StudentQuestion.misses.desc(), StudentQuestion.question_id.desc())
    .limit(bindparam("limit"))
)


def summary(user_id: int, history: list[tuple[datetime, float]]) -> Summary:
    """Counts, best, last and mean score of finished attempts: the student's kept row
    (``webapp.aggregates``), and the last score as the newest point of ``history`` (read
    beside it by the caller), whatever the history."""
    count, best, average = aggregates.attempt_totals(user_id)
    return Summary(
        attempts=count,
        best=best,
        last=history[-1][1] if history else None,
        average=average,
        answers=aggregates.answer_count(user_id),
    )


def history(user_id: int, limit: int = HISTORY_POINTS) -> list[tuple[datetime, float]]:
    """The last ``limit`` finished attempts as (finished_at, score), oldest first."""
    rows = db.session.execute(_FINISHED, {"user_id": user_id, "limit": limit}).all()
    return [(at, score or 0.0) for at, score in reversed(rows)]


def mastery(user_id: int) -> list[SectionMastery]:
    """Per section: published questions, how many answered, how many last answered right.

    Read from the kept figures (``webapp.aggregates``): a row per section, whatever the
    history or the bank's size.
    """
    kept = aggregates.section_mastery(user_id)
    return [SectionMastery(s.slug, s.title, *kept.get(s.slug, (0, 0, 0))) for s in SECTIONS]


def most_missed(user_id: int, limit: int = MOST_MISSED) -> list[Missed]:
    """The questions the user got wrong most often (any status), with their current text:
    one statement, read as rows."""
    rows = db.session.execute(_MISSED, {"user_id": user_id, "limit": limit}).all()
    return [
        Missed(qid, section, BankQuestion.from_dict(data), int(m), int(n))
        for qid, section, data, m, n in rows
    ]
