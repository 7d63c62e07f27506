"""Item statistics in the manner of Moodle's quiz statistics report, computed in SQL.

Only finished attempts by logged-in users count. Per question:
  answers         how many stored answers
  facility        mean score of those answers (0 = nobody right, 1 = everybody)
  discrimination  Pearson correlation between the item's score and the rest of the
                  attempt's score (the attempt's total minus this item), over the same
                  answers; None while it is undefined (fewer than 2 answers, or no spread)
  students        how many distinct students answered it (flags wait for enough of them)
  intervals       a 95% Wilson score interval for the facility and a Fisher-z interval for
                  the discrimination, so a number from five answers reads as the guess it is
  option picks    for choice questions, how often each option was picked (current revision)
                  and the mean rest-of-quiz score of the students who picked it
The database keeps only sums per question (n, Σx, Σy, Σx², Σy², Σxy) and per option
(picks, Σ rest), updated as attempts finish; Python turns them into a correlation.
Nothing loads answers one by one. The formulas and their references
are in README.md, "Item statistics".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func

from .. import stat_keys
from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    AttemptItem,
    OptionStat,
    Question,
    QuestionStat,
    Role,
    StudentSection,
    User,
)

# the thresholds live beside the sort keys computed from them (``webapp.stat_keys``)
FACILITY_LOW = stat_keys.FACILITY_LOW
FACILITY_HIGH = stat_keys.FACILITY_HIGH
DISCRIMINATION_LOW = stat_keys.DISCRIMINATION_LOW
# z for a two-sided 95% interval
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Flag:
    """A reason to review an item: a short label and the reason in words."""

    label: str
    why: str

    def __str__(self) -> str:
        return self.label


@dataclass
class ItemStats:
    """The statistics of one question and the reasons it is flagged for review."""

    question_id: int
    answers: int = 0
    facility: float | None = None
    discrimination: float | None = None
    flags: list[Flag] = field(default_factory=list)
    students: int = 0
    enough: bool = False  # enough answering students for flags to mean something

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def facility_interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.facility, self.answers)

    @property
    def discrimination_interval(self) -> tuple[float, float] | None:
        return correlation_interval(self.discrimination, self.answers)


def min_students() -> int:
    """The fewest answering students before an item may be flagged (a setting)."""
    return stat_keys.min_students()


def wilson_interval(p: float | None, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion ``p`` observed in ``n`` trials.

    Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22:209-212. With partial credit ``p`` is the mean score, used as if
    it were a proportion (an approximation the README states).
    """
    if p is None or n <= 0:
        return None
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def correlation_interval(r: float | None, n: int, z: float = Z95) -> tuple[float, float] | None:
    """A 95% interval for a correlation by Fisher's z-transformation (needs n > 3)."""
    if r is None or n <= 3:
        return None
    r = max(-0.999999, min(0.999999, r))
    centre = math.atanh(r)
    half = z / math.sqrt(n - 3)
    return math.tanh(centre - half), math.tanh(centre + half)


def answer_counts():
    """Per question: answers and facility (mean score), for the bank list to sort by.

    Read from the sums kept as attempts finish (``webapp.aggregates``), a row a question.
    """
    return db.select(
        QuestionStat.question_id,
        QuestionStat.answers.label("answers"),
        (QuestionStat.sx / func.nullif(QuestionStat.answers, 0)).label("facility"),
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


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def flags_for(
    *,
    answers: int,
    students: int,
    facility: float | None,
    discrimination: float | None,
    minimum: int,
) -> list[Flag]:
    """Why an item needs review, in words; nothing until ``minimum`` students answered.

    Below the minimum a facility of 1.0 from one answer or a correlation of -1 from two
    says nothing about the item, and flags like that teach instructors to ignore flags.
    """
    if students < minimum or facility is None:
        return []
    flags = []
    interval = wilson_interval(facility, answers)
    span = f" (95% interval {_pct(interval[0])} to {_pct(interval[1])})" if interval else ""
    if facility < FACILITY_LOW:
        flags.append(
            Flag(
                "too hard",
                f"Only {_pct(facility)} of {answers} answers were right{span}, under "
                f"{_pct(FACILITY_LOW)}: check the key, the wording, and whether the "
                "article teaches it.",
            )
        )
    if facility > FACILITY_HIGH:
        flags.append(
            Flag(
                "too easy",
                f"{_pct(facility)} of {answers} answers were right{span}, over "
                f"{_pct(FACILITY_HIGH)}: the item tells strong and weak students apart "
                "hardly at all; make the distractors more plausible.",
            )
        )
    if discrimination is None:
        if FACILITY_LOW <= facility <= FACILITY_HIGH:
            flags.append(
                Flag(
                    "low discrimination",
                    "Every answer scored the same relative to the rest of the quiz, so the "
                    "item does not separate students.",
                )
            )
    elif discrimination < DISCRIMINATION_LOW:
        ci = correlation_interval(discrimination, answers)
        ci_text = f" (95% interval {ci[0]:.2f} to {ci[1]:.2f})" if ci else ""
        worse = (
            "students who did worse on the rest of the quiz got it right more often: "
            "the key may be wrong"
            if discrimination < 0
            else "students who did well on the rest of the quiz did hardly better on it"
        )
        flags.append(
            Flag(
                "low discrimination",
                f"Discrimination {discrimination:.2f}{ci_text} from {answers} answers, under "
                f"{DISCRIMINATION_LOW}: {worse}.",
            )
        )
    return flags


def item_statistics(question_ids: Iterable[int] | None = None) -> dict[int, ItemStats]:
    """Statistics of every answered question (or of ``question_ids``), one query.

    The sums are kept as attempts finish (``QuestionStat``, ``webapp.aggregates``): a row
    per question, whatever the number of answers.
    """
    qs = QuestionStat
    stmt = db.select(
        qs.question_id, qs.answers, qs.students, qs.sx, qs.sy, qs.sxx, qs.syy, qs.sxy
    ).where(qs.answers > 0)
    if question_ids is not None:
        stmt = stmt.where(qs.question_id.in_(list(question_ids)))
    minimum = min_students()
    result: dict[int, ItemStats] = {}
    for qid, n, students, sx, sy, sxx, syy, sxy in db.session.execute(stmt):
        facility = float(sx) / n if n else None
        r = pearson(int(n), float(sx), float(sy), float(sxx), float(syy), float(sxy))
        flags = flags_for(
            answers=int(n),
            students=int(students),
            facility=facility,
            discrimination=r,
            minimum=minimum,
        )
        result[qid] = ItemStats(
            qid, int(n), facility, r, flags, int(students), int(students) >= minimum
        )
    return result


def flagged_question_ids() -> set[int]:
    """Questions whose statistics call for review."""
    return {qid for qid, s in item_statistics().items() if s.flagged}


@dataclass
class OptionPick:
    """One option: how often it was picked and how strong its pickers were elsewhere."""

    text: str
    correct: bool
    count: int
    # mean score of its pickers on the rest of their quiz (0 to 1); None if nobody picked it
    pickers_rest: float | None = None
    draws_strong: bool = False  # a distractor whose pickers did as well as the key's


def option_picks(question: Question) -> list[OptionPick] | None:
    """How often each option of the current revision was picked, or None if no choices.

    Read from the rows kept as attempts finish (``OptionStat``, ``webapp.aggregates``):
    one row per option, whatever the number of answers. A multiple-select response counts
    once for each option in it; an option's pickers are scored by the mean of their
    attempt's other items. A distractor whose pickers score on the rest of the quiz at
    least as well as the right option's pickers is marked: it draws the strong students.
    """
    rev = question.current_revision
    if rev is None or not rev.data.get("options"):
        return None  # only kinds with options have picks to count
    options = rev.data.get("options", [])
    counts = [0] * len(options)
    rest_sums = [0.0] * len(options)
    rows = db.session.execute(
        db.select(OptionStat.option, OptionStat.picks, OptionStat.rest_sum).where(
            OptionStat.revision_id == rev.id
        )
    )
    for index, n, rest_sum in rows:
        if 0 <= index < len(counts):
            counts[index] = int(n)
            rest_sums[index] = float(rest_sum)
    picks = [
        OptionPick(o["text"], bool(o.get("correct")), c, rest_sums[i] / c if c else None)
        for i, (o, c) in enumerate(zip(options, counts, strict=True))
    ]
    key_rest = [p.pickers_rest for p in picks if p.correct and p.pickers_rest is not None]
    if key_rest:
        bar = max(key_rest)
        for p in picks:
            p.draws_strong = not p.correct and p.pickers_rest is not None and p.pickers_rest >= bar
    return picks


@dataclass
class StudentRow:
    """One student of the class overview."""

    user_id: int
    email: str
    attempts: int
    mean_score: float | None
    mastery: dict[str, float] = field(default_factory=dict)  # section slug -> mean item score


def class_overview(within: Any = None) -> list[StudentRow]:
    """Students with finished attempts: count, mean attempt score, per-section mastery.

    ``within``, a query of user ids, keeps only those students (an instructor's classes).
    """
    finished = Attempt.finished_at.is_not(None)
    stmt = (
        db.select(User.id, User.email, func.count(Attempt.id), func.avg(Attempt.score))
        .join(Attempt, Attempt.user_id == User.id)
        .where(finished, User.role == Role.STUDENT.value)
        .group_by(User.id, User.email)
        .order_by(User.email)
    )
    if within is not None:
        stmt = stmt.where(User.id.in_(within))
    rows = db.session.execute(stmt)
    students = {
        uid: StudentRow(uid, email, int(n), None if avg is None else float(avg))
        for uid, email, n, avg in rows
    }
    # a row per student and section, kept as quizzes finish (``webapp.aggregates``)
    ss = StudentSection
    mastery = db.session.execute(
        db.select(ss.user_id, ss.section, ss.graded_score, ss.graded).where(
            ss.user_id.in_(list(students)), ss.graded > 0
        )
    )
    for uid, section, score, n in mastery:
        students[uid].mastery[section] = float(score) / n
    return list(students.values())


@dataclass
class MissedQuestion:
    """A question a student got wrong at least once."""

    question_id: int
    uid: str
    section: str
    answers: int
    wrong: int
    mean_score: float


@dataclass
class StudentDetail:
    """One student for the instructor: attempts, mastery per section, questions missed."""

    user: User
    attempts: list[Attempt]
    mastery: dict[str, tuple[float, int]]  # section slug -> (mean item score, answers)
    missed: list[MissedQuestion]


def student_detail(user: User, *, missed_limit: int = 50) -> StudentDetail:
    """A student's finished and open attempts, mastery and most-missed questions."""
    attempts = list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.user_id == user.id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
    answered = (
        db.select(Question.id, Question.uid, Question.section, Answer.score)
        .select_from(Answer)
        .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(Attempt.user_id == user.id, Attempt.finished_at.is_not(None))
        .subquery()
    )
    ss = StudentSection
    mastery = {
        section: (float(score) / n, int(n))
        for section, score, n in db.session.execute(
            db.select(ss.section, ss.graded_score, ss.graded).where(
                ss.user_id == user.id, ss.graded > 0
            )
        )
    }
    wrong = func.sum(case((answered.c.score < 1, 1), else_=0))
    missed = [
        MissedQuestion(qid, uid, section, int(n), int(w), float(avg))
        for qid, uid, section, n, w, avg in db.session.execute(
            db.select(
                answered.c.id,
                answered.c.uid,
                answered.c.section,
                func.count(),
                wrong,
                func.avg(answered.c.score),
            )
            .group_by(answered.c.id, answered.c.uid, answered.c.section)
            .having(wrong > 0)
            .order_by(wrong.desc(), func.avg(answered.c.score), answered.c.uid)
            .limit(missed_limit)
        )
    ]
    return StudentDetail(user, attempts, mastery, missed)
