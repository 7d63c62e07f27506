"""Item statistics in the manner of Moodle's quiz statistics report, computed in SQL.

Only finished attempts by logged-in users count. Per question:
  answers         how many stored answers
  facility        mean score of those answers (0 = nobody right, 1 = everybody)
  discrimination  Pearson correlation between the item's score and the rest of the
                  attempt's score (the attempt's total minus this item), over the same
                  answers; None while it is undefined (fewer than 2 answers, or no spread)
  option picks    for choice questions, how often each option was picked (current revision)
The database returns only sums per question (n, Σx, Σy, Σx², Σy², Σxy); Python turns them
into a correlation. Nothing loads answers one by one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, cast, func

from questions import spec

from ..extensions import db
from ..models import Answer, Attempt, AttemptItem, Question, Role, User

FACILITY_LOW = 0.2
FACILITY_HIGH = 0.95
DISCRIMINATION_LOW = 0.2
DISCRIMINATION_MIN_ANSWERS = 30


@dataclass
class ItemStats:
    """The statistics of one question and the reasons it is flagged for review."""

    question_id: int
    answers: int = 0
    facility: float | None = None
    discrimination: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _graded():
    """Answers of finished attempts by users: attempt, question, revision, score."""
    return (
        db.select(
            AttemptItem.attempt_id,
            AttemptItem.question_id,
            AttemptItem.revision_id,
            Answer.score.label("score"),
            Answer.response.label("response"),
        )
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.finished_at.is_not(None), Attempt.user_id.is_not(None))
    )


def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """The correlation from sums; None when undefined (n < 2 or a constant variable)."""
    if n < 2:
        return None
    cov = n * sxy - sx * sy
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 1e-12 or vy <= 1e-12:
        return None
    return cov / math.sqrt(vx * vy)


def flags_for(answers: int, facility: float | None, discrimination: float | None) -> list[str]:
    """Why an item needs review, per the thresholds of the issue."""
    flags = []
    if facility is not None and facility < FACILITY_LOW:
        flags.append("too hard")
    if facility is not None and facility > FACILITY_HIGH:
        flags.append("too easy")
    if answers >= DISCRIMINATION_MIN_ANSWERS and (
        discrimination is None or discrimination < DISCRIMINATION_LOW
    ):
        flags.append("low discrimination")
    return flags


def item_statistics(question_ids: Iterable[int] | None = None) -> dict[int, ItemStats]:
    """Statistics of every answered question (or of ``question_ids``), one query."""
    graded = _graded().subquery()
    totals = (
        db.select(graded.c.attempt_id, func.sum(graded.c.score).label("total"))
        .group_by(graded.c.attempt_id)
        .subquery()
    )
    x = graded.c.score
    y = totals.c.total - graded.c.score
    stmt = (
        db.select(
            graded.c.question_id,
            func.count(),
            func.sum(x),
            func.sum(y),
            func.sum(x * x),
            func.sum(y * y),
            func.sum(x * y),
        )
        .join(totals, totals.c.attempt_id == graded.c.attempt_id)
        .group_by(graded.c.question_id)
    )
    if question_ids is not None:
        stmt = stmt.where(graded.c.question_id.in_(list(question_ids)))
    result: dict[int, ItemStats] = {}
    for qid, n, sx, sy, sxx, syy, sxy in db.session.execute(stmt):
        facility = float(sx) / n if n else None
        r = pearson(int(n), float(sx), float(sy), float(sxx), float(syy), float(sxy))
        result[qid] = ItemStats(qid, int(n), facility, r, flags_for(int(n), facility, r))
    return result


def flagged_question_ids() -> set[int]:
    """Questions whose statistics call for review."""
    return {qid for qid, s in item_statistics().items() if s.flagged}


@dataclass
class OptionPick:
    text: str
    correct: bool
    count: int


def option_picks(question: Question) -> list[OptionPick] | None:
    """How often each option of the current revision was picked, or None if no choices.

    The database groups the stored responses (one row per distinct response, at most
    2^options rows); a multiple-select response counts once for each option in it.
    """
    rev = question.current_revision
    if rev is None or not rev.data.get("options"):
        return None  # only kinds with options have picks to count
    bank_question = rev.to_question()
    kind = spec(bank_question.kind)
    options = rev.data.get("options", [])
    counts = [0] * len(options)
    graded = _graded().where(AttemptItem.revision_id == rev.id).subquery()
    response_text = cast(graded.c.response, Text)
    rows = db.session.execute(db.select(response_text, func.count()).group_by(response_text))
    for text, n in rows:
        for index in kind.option_picks(bank_question, _json(text)):
            if 0 <= index < len(counts):
                counts[index] += n
    return [
        OptionPick(o["text"], bool(o.get("correct")), c)
        for o, c in zip(options, counts, strict=True)
    ]


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None


@dataclass
class StudentRow:
    """One student of the class overview."""

    user_id: int
    email: str
    attempts: int
    mean_score: float | None
    mastery: dict[str, float] = field(default_factory=dict)  # section slug -> mean item score


def class_overview() -> list[StudentRow]:
    """Students with finished attempts: count, mean attempt score, per-section mastery."""
    finished = Attempt.finished_at.is_not(None)
    rows = db.session.execute(
        db.select(User.id, User.email, func.count(Attempt.id), func.avg(Attempt.score))
        .join(Attempt, Attempt.user_id == User.id)
        .where(finished, User.role == Role.STUDENT.value)
        .group_by(User.id, User.email)
        .order_by(User.email)
    )
    students = {
        uid: StudentRow(uid, email, int(n), None if avg is None else float(avg))
        for uid, email, n, avg in rows
    }
    mastery = db.session.execute(
        db.select(Attempt.user_id, Question.section, func.avg(Answer.score))
        .select_from(Answer)
        .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(finished, Attempt.user_id.in_(list(students)))
        .group_by(Attempt.user_id, Question.section)
    )
    for uid, section, avg in mastery:
        students[uid].mastery[section] = float(avg)
    return list(students.values())
