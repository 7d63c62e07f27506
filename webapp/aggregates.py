"""Keep the figures of ``webapp.models.aggregates`` up to date, and rebuild them.

Writes go through three entry points, each inside the caller's transaction:

- ``note_answer``: a student's new answer (``quiz.service.record_answer``), three short
  statements whatever the history;
- ``note_finished``: a finished quiz, counted in the item statistics and option picks;
- ``refresh_students``: answers changed or deleted in bulk (a regrade, a discarded quiz),
  recomputed for the students concerned (``refresh_questions``: the questions' statistics);
- the bank's counters move by themselves: a flush that touches a question recounts the
  published questions of its section and bumps the section's version (``listen``); a
  flush that moves a question to another section moves its students' figures
  (``move_students``); a flush that changes a question's uid, section or state copies
  them into its ``question_stat`` row (``mirror_questions``: the statistics page's sort
  keys, ``webapp.stat_keys``, whose figures ``note_finished`` writes with the sums);
- ``rekey``: the statistics page's sort keys of rows keyed for another setting, once.

``rebuild`` recomputes every row from the answers and the bank, as
``flask --app webapp stats rebuild`` does; a test compares it with the incremental rows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Table,
    Text,
    bindparam,
    case,
    cast,
    event,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from questions import Question as BankQuestion
from questions import spec

from . import stat_keys
from .extensions import db
from .models import (
    Answer,
    Attempt,
    AttemptItem,
    BankSection,
    OptionStat,
    Question,
    QuestionRevision,
    QuestionStat,
    Status,
    StudentAttempts,
    StudentQuestion,
    StudentSection,
    UTCDateTime,
)

# The answer path's two statements, written once as SQL: the same text runs on SQLite and
# PostgreSQL (INSERT ... ON CONFLICT), and a prepared text costs far less per request than
# an expression built and compiled again on every answer.
_NEWER = """(:at > sq.last_answered_at
    OR (:at = sq.last_answered_at AND :answer_id >= sq.last_answer_id))"""
_SECTION_SQL = f"""
    INSERT INTO student_section
        (user_id, section, answers, right_answers, score_sum, answered, mastered)
    VALUES (:user_id, :section, 1, :right, :score, 1, :right)
    ON CONFLICT (user_id, section) DO UPDATE SET
        answers = student_section.answers + 1,
        right_answers = student_section.right_answers + :right,
        score_sum = student_section.score_sum + :score,
        answered = student_section.answered + 1 - (
            SELECT COUNT(*) FROM student_question sq
            WHERE sq.user_id = :user_id AND sq.question_id = :question_id),
        mastered = student_section.mastered + COALESCE((
            SELECT CASE WHEN {_NEWER}
                THEN :right - CASE WHEN sq.last_correct THEN 1 ELSE 0 END ELSE 0 END
            FROM student_question sq
            WHERE sq.user_id = :user_id AND sq.question_id = :question_id), :right)
    """
_NEWER_ROW = """(excluded.last_answered_at > student_question.last_answered_at
    OR (excluded.last_answered_at = student_question.last_answered_at
        AND excluded.last_answer_id >= student_question.last_answer_id))"""
_QUESTION_SQL = f"""
    INSERT INTO student_question (user_id, question_id, section, answers, misses,
        last_answer_id, last_answered_at, last_correct, last_score, graded)
    VALUES (:user_id, :question_id, :section, 1, 1 - :right, :answer_id, :at, :correct,
        :score, 0)
    ON CONFLICT (user_id, question_id) DO UPDATE SET
        answers = student_question.answers + 1,
        misses = student_question.misses + 1 - :right,
        last_answer_id = CASE WHEN {_NEWER_ROW}
            THEN excluded.last_answer_id ELSE student_question.last_answer_id END,
        last_answered_at = CASE WHEN {_NEWER_ROW}
            THEN excluded.last_answered_at ELSE student_question.last_answered_at END,
        last_correct = CASE WHEN {_NEWER_ROW}
            THEN excluded.last_correct ELSE student_question.last_correct END,
        last_score = CASE WHEN {_NEWER_ROW}
            THEN excluded.last_score ELSE student_question.last_score END
    """
_SECTION_ROW = text(_SECTION_SQL).bindparams(bindparam("at", type_=UTCDateTime()))
_QUESTION_ROW = text(_QUESTION_SQL).bindparams(bindparam("at", type_=UTCDateTime()))
# PostgreSQL takes both in one statement (one round trip fewer per answer): the section's
# upsert as a WITH clause. Every part of a statement reads the same snapshot, so the
# section's row still reads the question's row as it was before this answer, as the
# SQLite order (section first) does.
_BOTH_ROWS = text(f"WITH section_row AS ({_SECTION_SQL}) {_QUESTION_SQL}").bindparams(
    bindparam("at", type_=UTCDateTime())
)


# A finished attempt in its student's row: the dashboard's count, mean and best read it.
_ATTEMPT_ROW = text(
    """
    INSERT INTO student_attempts (user_id, finished, scored, score_sum, best)
    VALUES (:user_id, 1, :scored, COALESCE(:score, 0), :score)
    ON CONFLICT (user_id) DO UPDATE SET
        finished = student_attempts.finished + 1,
        scored = student_attempts.scored + excluded.scored,
        score_sum = student_attempts.score_sum + excluded.score_sum,
        best = CASE WHEN excluded.best IS NULL THEN student_attempts.best
            WHEN student_attempts.best IS NULL OR excluded.best > student_attempts.best
            THEN excluded.best ELSE student_attempts.best END
    """
).bindparams(bindparam("score", type_=Float()))


def note_answer(
    *,
    user_id: int,
    question_id: int,
    section: str,
    answer_id: int,
    answered_at: datetime,
    correct: bool,
    score: float,
) -> None:
    """Count one new answer of a student (the caller commits): two statements on SQLite,
    one on PostgreSQL, always.

    The section's row goes first, its deltas read in SQL from the question's row as it
    was (a first answer adds a question answered; a new last answer moves mastery by its
    change); then the question's row is added to, or created.
    """
    values = {
        "user_id": user_id,
        "question_id": question_id,
        "section": section,
        "answer_id": answer_id,
        "at": answered_at,
        "correct": bool(correct),
        "right": 1 if correct else 0,
        "score": float(score),
    }
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_BOTH_ROWS, values)
        return
    db.session.execute(_SECTION_ROW, values)
    db.session.execute(_QUESTION_ROW, values)


def _table(model: type) -> Table:
    """The model's Core table (typed as one)."""
    return model.__table__  # type: ignore[attr-defined]


# The end of a quiz's statements, built once with bound parameters: building them (and
# their cache keys) on every quiz cost about as much as running them.
_FINISHED_ANSWERS = (
    select(
        AttemptItem.question_id,
        AttemptItem.revision_id,
        Answer.score,
        Answer.response,
        QuestionRevision.data,
        Question.section,
        Question.uid,
        Question.status,
    )
    .join(Answer, Answer.attempt_item_id == AttemptItem.id)
    .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id)
    .join(Question, Question.id == AttemptItem.question_id)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
)
# Core, on the tables: an ORM UPDATE would first look for rows to sync in the session
_SQ = _table(StudentQuestion)
_MINE = (_SQ.c.user_id == bindparam("student")) & _SQ.c.question_id.in_(
    bindparam("ids", expanding=True)
)
_NOT_YET_GRADED = select(_SQ.c.question_id).where(_MINE, _SQ.c.graded == 0)
_GRADED_ONCE_MORE = update(_SQ).where(_MINE).values(graded=_SQ.c.graded + 1)
_SS = _table(StudentSection)
# Core: an executemany UPDATE, not an ORM bulk update
_SECTION_GRADED = (
    update(_SS)
    .where(_SS.c.user_id == bindparam("student"), _SS.c.section == bindparam("s"))
    .values(graded=_SS.c.graded + bindparam("n"), graded_score=_SS.c.graded_score + bindparam("x"))
)


def note_finished(attempt_id: int, user_id: int, score: float | None) -> None:
    """Count a finished attempt (its ``score``) in its student's row, and its answers in
    the item statistics (the caller commits).

    Each answer adds x (its score) and y (the rest of the attempt's score) to its
    question's sums; a student's first graded answer to a question adds a student; its
    section's row counts it and its score among the graded (the class overview); each
    option the answer picked (the kind's ``option_picks``) adds a pick and the mean of the
    attempt's other answers to its revision's option row. Six statements, and a seventh
    when an answer picked options, whatever the history.
    """
    db.session.execute(
        _ATTEMPT_ROW, {"user_id": user_id, "scored": int(score is not None), "score": score}
    )
    rows = db.session.execute(_FINISHED_ANSWERS, {"attempt_id": attempt_id}).all()
    if not rows:
        return
    total = sum(row.score for row in rows)
    mine = {"student": user_id, "ids": [row.question_id for row in rows]}
    first = set(db.session.scalars(_NOT_YET_GRADED, mine))
    db.session.execute(_GRADED_ONCE_MORE, mine)
    dialect = db.session.get_bind().dialect.name
    db.session.execute(
        _stat_upsert(dialect, stat_keys.min_students()),
        [
            {
                "q": row.question_id,
                "uid": row.uid,
                "section": row.section,
                "status": row.status,
                "first": int(row.question_id in first),
                "x": row.score,
                "y": total - row.score,
                "xx": row.score * row.score,
                "yy": (total - row.score) ** 2,
                "xy": row.score * (total - row.score),
            }
            for row in rows
        ],
    )
    per_section: dict[str, list[float]] = {}
    for row in rows:
        sums = per_section.setdefault(row.section, [0, 0.0])
        sums[0] += 1
        sums[1] += row.score
    db.session.execute(
        _SECTION_GRADED,
        [
            {"student": user_id, "s": section, "n": n, "x": x}
            for section, (n, x) in sorted(per_section.items())
        ],
    )
    size = len(rows)
    picks = _PickCounter()
    for row in rows:
        # the mean of the attempt's other answers, as the statistics page has always shown
        rest = (total - row.score) / (size - 1) if size > 1 else 0.0
        picks.add(row.revision_id, row.data, row.response, 1, rest)
    _add_picks(picks.rows())


@functools.cache
def _stat_upsert(dialect: str, minimum: int) -> Any:
    """The end of a quiz's statement for its items' ``question_stat`` rows: the answer's
    sums added, and the sort keys computed from the sums as they become.

    Built once per database and setting: the keys' expression is long, and building it
    (and its cache key) on every quiz cost more than the rest of the quiz's end.
    """
    qs = _table(QuestionStat)
    # a new row's sums are the answer's own; its sort keys are computed from them
    first = {
        "n": literal_column("1", Integer),
        "students": bindparam("first", type_=Integer),
        "sx": bindparam("x", type_=Float),
        "sy": bindparam("y", type_=Float),
        "sxx": bindparam("xx", type_=Float),
        "syy": bindparam("yy", type_=Float),
        "sxy": bindparam("xy", type_=Float),
    }
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(qs).values(
        question_id=bindparam("q"),
        answers=literal_column("1", Integer),
        **{name: first[name] for name in ("students", "sx", "sy", "sxx", "syy", "sxy")},
        uid=bindparam("uid"),
        section=bindparam("section"),
        status=bindparam("status"),
        **stat_keys.key_values(**first, minimum=minimum),
    )
    new = stmt.excluded
    # an existing row's: the old sums plus the answer's, the same sums it stores
    added = {
        "n": qs.c.answers + literal_column("1", Integer),
        "students": qs.c.students + new.students,
        "sx": qs.c.sx + new.sx,
        "sy": qs.c.sy + new.sy,
        "sxx": qs.c.sxx + new.sxx,
        "syy": qs.c.syy + new.syy,
        "sxy": qs.c.sxy + new.sxy,
    }
    keys = stat_keys.key_values(**added, minimum=minimum)
    # ``keyed`` stays: a row keyed for another setting is re-keyed whole by the page
    # (``rekey``), and leaving it out of the SET spares an index write per item
    del keys["keyed"]
    return stmt.on_conflict_do_update(
        index_elements=["question_id"],
        set_={
            "answers": added["n"],
            **{name: added[name] for name in ("students", "sx", "sy", "sxx", "syy", "sxy")},
            **keys,
        },
    )


class _PickCounter:
    """Options picked per revision, from stored responses (the kind reads each one)."""

    def __init__(self) -> None:
        self._questions: dict[int, BankQuestion] = {}
        self._counts: dict[tuple[int, int], list[float]] = {}

    def add(self, revision_id: int, data: Any, response: Any, n: int, rest_sum: float) -> None:
        """Count ``n`` answers of ``revision_id`` that gave ``response``."""
        options = len(data.get("options") or ())
        if not options:
            return  # only kinds with options have picks to count
        q = self._questions.get(revision_id)
        if q is None:
            q = self._questions[revision_id] = BankQuestion.from_dict(data)
        for index in spec(q.kind).option_picks(q, response):
            if 0 <= index < options:
                counts = self._counts.setdefault((revision_id, index), [0, 0.0])
                counts[0] += n
                counts[1] += rest_sum

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"revision_id": rev, "option": option, "picks": int(n), "rest_sum": float(rest)}
            for (rev, option), (n, rest) in sorted(self._counts.items())
        ]


def _add_picks(rows: list[dict[str, Any]]) -> None:
    """Add picks to the option rows (one statement for all of them; none for no rows)."""
    if rows:
        db.session.execute(_picks_upsert(db.session.get_bind().dialect.name), rows)


@functools.cache
def _picks_upsert(dialect: str) -> Any:
    """The option rows' upsert for ``dialect``, built once."""
    os_ = _table(OptionStat)
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(os_).values(
        revision_id=bindparam("revision_id"),
        option=bindparam("option"),
        picks=bindparam("picks"),
        rest_sum=bindparam("rest_sum"),
    )
    return stmt.on_conflict_do_update(
        index_elements=["revision_id", "option"],
        set_={
            "picks": os_.c.picks + stmt.excluded.picks,
            "rest_sum": os_.c.rest_sum + stmt.excluded.rest_sum,
        },
    )


# --- reading -----------------------------------------------------------------------------


# The pages' reads, built once with bound parameters (building a statement and its cache
# key on each request cost about as much as running it).
_PUBLISHED = select(BankSection.section, BankSection.published)
_BANK_VERSION = select(func.coalesce(func.sum(BankSection.version), 0))
_SECTION_VERSION = _BANK_VERSION.where(BankSection.section == bindparam("section"))


def published_counts() -> dict[str, int]:
    """Published questions per section slug (a row per section, whatever the bank's size)."""
    return {section: n for section, n in db.session.execute(_PUBLISHED) if n}


def bank_version(section: str | None = None) -> int:
    """A number that moves whenever a question (of ``section``, if given) changes.

    Versions only grow, so their sum over the sections does too.
    """
    if section is None:
        return int(db.session.scalar(_BANK_VERSION) or 0)
    return int(db.session.scalar(_SECTION_VERSION, {"section": section}) or 0)


UNPUBLISHED = (Status.DRAFT.value, Status.RETIRED.value)


def _section_mastery_statement() -> Any:
    sq, ss, bs = StudentQuestion, StudentSection, BankSection
    user_id: Any = bindparam("user_id")

    def hidden(what):  # noqa: ANN001, ANN202
        return (
            select(what)
            .select_from(Question)
            .join(sq, (sq.question_id == Question.id) & (sq.user_id == user_id))
            .where(Question.section == bs.section, Question.status.in_(UNPUBLISHED))
            .scalar_subquery()
        )

    return select(
        bs.section,
        bs.published,
        func.coalesce(ss.answered, 0) - hidden(func.count()),
        func.coalesce(ss.mastered, 0)
        - hidden(func.coalesce(func.sum(case((sq.last_correct.is_(True), 1), else_=0)), 0)),
    ).outerjoin(ss, (ss.section == bs.section) & (ss.user_id == user_id))


_SECTION_MASTERY = _section_mastery_statement()


def section_mastery(user_id: int) -> dict[str, tuple[int, int, int]]:
    """Per section: (published questions, of those answered, of those last answered right).

    One statement reading a row per section: the kept rows count every question answered,
    and the few answered questions no longer published (retired, back to draft) are
    found from the question side, through its (section, status) index, and taken off.
    """
    rows = db.session.execute(_SECTION_MASTERY, {"user_id": user_id})
    return {section: (int(p), int(a), int(m)) for section, p, a, m in rows}


_ATTEMPT_TOTALS = select(
    StudentAttempts.finished,
    StudentAttempts.scored,
    StudentAttempts.score_sum,
    StudentAttempts.best,
).where(StudentAttempts.user_id == bindparam("user_id"))


def attempt_totals(user_id: int) -> tuple[int, float | None, float | None]:
    """The student's finished attempts: (how many, best score, mean score); one row."""
    row = db.session.execute(_ATTEMPT_TOTALS, {"user_id": user_id}).one_or_none()
    if row is None:
        return 0, None, None
    finished, scored, score_sum, best = row
    return int(finished), best, (float(score_sum) / scored if scored else None)


_ANSWER_COUNT = select(func.coalesce(func.sum(StudentSection.answers), 0)).where(
    StudentSection.user_id == bindparam("user_id")
)


def answer_count(user_id: int) -> int:
    """Every answer the student gave (attempts with a user)."""
    return int(db.session.scalar(_ANSWER_COUNT, {"user_id": user_id}) or 0)


# --- recomputing from the answers --------------------------------------------------------


def _user_answers(user_ids: Iterable[int] | None):
    """Every answer of attempts with a user: user, question, section, id, time, marks."""
    stmt = (
        select(
            Attempt.user_id.label("user_id"),
            AttemptItem.question_id.label("question_id"),
            Question.section.label("section"),
            Answer.id.label("answer_id"),
            Answer.answered_at.label("answered_at"),
            Answer.correct.label("correct"),
            Answer.score.label("score"),
            case((Attempt.finished_at.is_not(None), 1), else_=0).label("finished"),
        )
        .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(Attempt.user_id.is_not(None))
    )
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(list(user_ids)))
    return stmt.subquery()


def _recompute(user_ids: Iterable[int] | None) -> None:
    """Insert the rows of ``user_ids`` (None: everyone) computed from the answers."""
    a = _user_answers(user_ids)
    ranked = select(
        a,
        func.row_number()
        .over(
            partition_by=(a.c.user_id, a.c.question_id),
            order_by=(a.c.answered_at.desc(), a.c.answer_id.desc()),
        )
        .label("rn"),
        func.count().over(partition_by=(a.c.user_id, a.c.question_id)).label("n"),
        func.sum(case((a.c.correct.is_(False), 1), else_=0))
        .over(partition_by=(a.c.user_id, a.c.question_id))
        .label("m"),
        func.sum(a.c.finished).over(partition_by=(a.c.user_id, a.c.question_id)).label("g"),
    ).subquery()
    db.session.execute(
        insert(StudentQuestion).from_select(
            [
                "user_id",
                "question_id",
                "section",
                "answers",
                "misses",
                "last_answer_id",
                "last_answered_at",
                "last_correct",
                "last_score",
                "graded",
            ],
            select(
                ranked.c.user_id,
                ranked.c.question_id,
                ranked.c.section,
                ranked.c.n,
                ranked.c.m,
                ranked.c.answer_id,
                ranked.c.answered_at,
                ranked.c.correct,
                ranked.c.score,
                ranked.c.g,
            ).where(ranked.c.rn == 1),
        )
    )
    _insert_sections(a, user_ids, None, db.session)


def _insert_sections(
    a: Any,
    user_ids: Iterable[int] | None,
    sections: list[str] | None,
    session: Session | scoped_session[Any],
) -> None:
    """Insert the section rows computed from answers ``a`` and the question rows (of
    ``user_ids`` and ``sections``, None: all)."""
    per_section = select(
        a.c.user_id,
        a.c.section,
        func.count().label("answers"),
        func.sum(case((a.c.correct.is_(True), 1), else_=0)).label("right_answers"),
        func.sum(a.c.score).label("score_sum"),
        func.sum(a.c.finished).label("graded"),
        func.sum(case((a.c.finished == 1, a.c.score), else_=0.0)).label("graded_score"),
    )
    sq = StudentQuestion
    lasts = select(
        sq.user_id,
        sq.section,
        func.count().label("answered"),
        func.sum(case((sq.last_correct.is_(True), 1), else_=0)).label("mastered"),
    )
    if user_ids is not None:
        lasts = lasts.where(sq.user_id.in_(list(user_ids)))
    if sections is not None:
        per_section = per_section.where(a.c.section.in_(sections))
        lasts = lasts.where(sq.section.in_(sections))
    per = per_section.group_by(a.c.user_id, a.c.section).subquery()
    last = lasts.group_by(sq.user_id, sq.section).subquery()
    session.execute(
        insert(StudentSection).from_select(
            [
                "user_id",
                "section",
                "answers",
                "right_answers",
                "score_sum",
                "answered",
                "mastered",
                "graded",
                "graded_score",
            ],
            select(
                per.c.user_id,
                per.c.section,
                per.c.answers,
                per.c.right_answers,
                per.c.score_sum,
                last.c.answered,
                last.c.mastered,
                per.c.graded,
                per.c.graded_score,
            ).join(
                last,
                (last.c.user_id == per.c.user_id) & (last.c.section == per.c.section),
            ),
        )
    )


def move_students(moved: dict[int, str], session: Session | None = None) -> None:
    """Questions ``moved`` (id -> the section they left) take their students' figures
    with them (the caller commits; a flush does it for every changed question).

    The question rows follow their question; the section rows of the students who
    answered them are recomputed from their answers, for the sections left and joined.
    """
    s = session if session is not None else db.session
    ids = sorted(moved)
    sq = StudentQuestion
    s.execute(
        update(sq)
        .where(sq.question_id.in_(ids))
        .values(
            section=select(Question.section).where(Question.id == sq.question_id).scalar_subquery()
        )
    )
    users = s.scalars(select(sq.user_id).where(sq.question_id.in_(ids)).distinct()).all()
    if not users:
        return
    joined = s.scalars(select(Question.section).where(Question.id.in_(ids)).distinct()).all()
    sections = sorted({*moved.values(), *joined})
    s.execute(
        db.delete(StudentSection).where(
            StudentSection.user_id.in_(users), StudentSection.section.in_(sections)
        )
    )
    _insert_sections(_user_answers(users), users, sections, s)


def _graded(question_ids: list[int] | None, columns: list[Any], sums: list[Any]):
    """The answers of finished attempts by users to ``question_ids`` (None: all), with
    ``columns`` and their attempt's id; and per attempt concerned, ``sums`` over all its
    answers (to be grouped by ``AttemptItem.attempt_id``)."""
    finished = Attempt.finished_at.is_not(None) & Attempt.user_id.is_not(None)
    graded = (
        select(AttemptItem.attempt_id.label("attempt_id"), *columns)
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(finished)
    )
    totals = select(AttemptItem.attempt_id, *sums).join(
        Answer, Answer.attempt_item_id == AttemptItem.id
    )
    if question_ids is not None:
        graded = graded.where(AttemptItem.question_id.in_(question_ids))
        totals = totals.where(
            AttemptItem.attempt_id.in_(
                select(AttemptItem.attempt_id).where(AttemptItem.question_id.in_(question_ids))
            )
        )
    return graded, totals


def _recompute_questions(question_ids: list[int] | None) -> None:
    """Insert the item statistics' sums of ``question_ids`` (None: every question)."""
    graded, totals = _graded(
        question_ids,
        [
            Attempt.user_id.label("user_id"),
            AttemptItem.question_id.label("question_id"),
            Answer.score.label("x"),
        ],
        [func.sum(Answer.score).label("total")],
    )
    g = graded.subquery()
    t = totals.group_by(AttemptItem.attempt_id).subquery()
    x, y = g.c.x, t.c.total - g.c.x
    per = (
        select(
            g.c.question_id,
            func.count().label("n"),
            func.count(g.c.user_id.distinct()).label("students"),
            func.sum(x).label("sx"),
            func.sum(y).label("sy"),
            func.sum(x * x).label("sxx"),
            func.sum(y * y).label("syy"),
            func.sum(x * y).label("sxy"),
        )
        .join(t, t.c.attempt_id == g.c.attempt_id)
        .group_by(g.c.question_id)
        .subquery()
    )
    sums = {name: per.c[name] for name in ("n", "students", "sx", "sy", "sxx", "syy", "sxy")}
    keys = stat_keys.key_values(**sums, minimum=stat_keys.min_students())
    db.session.execute(
        insert(QuestionStat).from_select(
            [
                "question_id",
                "answers",
                *(name for name in sums if name != "n"),
                "uid",
                "section",
                "status",
                *keys,
            ],
            select(
                per.c.question_id,
                *sums.values(),
                Question.uid,
                Question.section,
                Question.status,
                *keys.values(),
            ).join(Question, Question.id == per.c.question_id),
        )
    )


def _recompute_picks(question_ids: list[int] | None) -> None:
    """Insert the option rows of ``question_ids``' revisions (None: every question).

    The database groups the answers by revision and stored response (a choice question
    has at most 2^options distinct responses) with the sum of their attempts'
    rest-of-quiz means; the kind reads each distinct response once.
    """
    graded, totals = _graded(
        question_ids,
        [
            AttemptItem.revision_id.label("revision_id"),
            Answer.score.label("score"),
            Answer.response.label("response"),
        ],
        [func.sum(Answer.score).label("total"), func.count().label("size")],
    )
    g = graded.subquery()
    t = totals.group_by(AttemptItem.attempt_id).subquery()
    rest = func.coalesce((t.c.total - g.c.score) / func.nullif(t.c.size - 1, 0), 0.0)
    response_text = cast(g.c.response, Text)
    grouped = (
        select(g.c.revision_id, response_text.label("response"), func.count(), func.sum(rest))
        .join(t, t.c.attempt_id == g.c.attempt_id)
        .group_by(g.c.revision_id, response_text)
        .subquery()
    )
    rows = db.session.execute(
        select(grouped, QuestionRevision.data).join(
            QuestionRevision, QuestionRevision.id == grouped.c.revision_id
        )
    )
    picks = _PickCounter()
    for revision_id, response, n, rest_sum, data in rows:
        picks.add(revision_id, data, _json(response), int(n), float(rest_sum or 0.0))
    _add_picks(picks.rows())


def _json(stored: Any) -> Any:
    try:
        return json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return None


def _delete_picks(question_ids: list[int]) -> None:
    revisions = select(QuestionRevision.id).where(QuestionRevision.question_id.in_(question_ids))
    db.session.execute(db.delete(OptionStat).where(OptionStat.revision_id.in_(revisions)))


def refresh_questions(question_ids: Iterable[int]) -> None:
    """Recompute the item statistics' sums and option picks of these questions (the
    caller commits)."""
    ids = sorted(set(question_ids))
    if ids:
        db.session.execute(db.delete(QuestionStat).where(QuestionStat.question_id.in_(ids)))
        _delete_picks(ids)
        _recompute_questions(ids)
        _recompute_picks(ids)


def _recompute_attempts(user_ids: list[int] | None) -> None:
    """Insert the students' attempt rows (None: everyone's) computed from their attempts."""
    stmt = (
        select(
            Attempt.user_id,
            func.count(Attempt.id),
            func.count(Attempt.score),
            func.coalesce(func.sum(Attempt.score), 0.0),
            func.max(Attempt.score),
        )
        .where(Attempt.user_id.is_not(None), Attempt.finished_at.is_not(None))
        .group_by(Attempt.user_id)
    )
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(user_ids))
    db.session.execute(
        insert(StudentAttempts).from_select(
            ["user_id", "finished", "scored", "score_sum", "best"], stmt
        )
    )


def refresh_students(user_ids: Iterable[int]) -> None:
    """Recompute the rows of these students from their answers (the caller commits).

    For bulk changes (a regrade, a discarded quiz): it reads each student's whole history,
    which the answer path never does.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return
    db.session.flush()  # attempts' scores changed in the session are what is counted
    db.session.execute(db.delete(StudentQuestion).where(StudentQuestion.user_id.in_(ids)))
    db.session.execute(db.delete(StudentSection).where(StudentSection.user_id.in_(ids)))
    db.session.execute(db.delete(StudentAttempts).where(StudentAttempts.user_id.in_(ids)))
    _recompute(ids)
    _recompute_attempts(ids)


def recount_sections(sections: Iterable[str], session: Session | None = None) -> None:
    """Recount the published questions of ``sections``; bump their versions (cache keys)."""
    s = session if session is not None else db.session
    for section in sorted(set(sections)):
        published = s.scalar(
            select(func.count(Question.id)).where(
                Question.section == section,
                Question.status == Status.PUBLISHED.value,
                Question.current_revision_id.is_not(None),
            )
        )
        changed = s.execute(
            update(BankSection)
            .where(BankSection.section == section)
            .values(published=published, version=BankSection.version + 1)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            s.execute(insert(BankSection).values(section=section, published=published, version=1))


def rebuild() -> dict[str, int]:
    """Recompute every aggregate from the answers and the bank (the caller commits)."""
    db.session.execute(db.delete(StudentQuestion))
    db.session.execute(db.delete(StudentSection))
    db.session.execute(db.delete(StudentAttempts))
    db.session.execute(db.delete(QuestionStat))
    db.session.execute(db.delete(OptionStat))
    _recompute(None)
    _recompute_attempts(None)
    _recompute_questions(None)
    _recompute_picks(None)
    sections = db.session.scalars(select(Question.section).distinct()).all()
    known = db.session.scalars(select(BankSection.section)).all()
    recount_sections([*sections, *known])
    return {
        "student_question": db.session.scalar(select(func.count()).select_from(StudentQuestion))
        or 0,
        "student_section": db.session.scalar(select(func.count()).select_from(StudentSection)) or 0,
        "student_attempts": db.session.scalar(select(func.count()).select_from(StudentAttempts))
        or 0,
        "question_stat": db.session.scalar(select(func.count()).select_from(QuestionStat)) or 0,
        "option_stat": db.session.scalar(select(func.count()).select_from(OptionStat)) or 0,
        "bank_section": db.session.scalar(select(func.count()).select_from(BankSection)) or 0,
    }


# --- the bank's counters -----------------------------------------------------------------

_PENDING = "aggregates_bank_sections"


_MOVED = "aggregates_moved_questions"


def _touched_sections(session: Session) -> set[str]:
    sections: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Question):
            sections.add(obj.section)
            history = db.inspect(obj).attrs.section.history
            sections.update(s for s in history.deleted or () if s)
            if obj.id is not None and history.deleted and history.deleted[0] != obj.section:
                # a question moved: its students' figures move with it after the flush
                session.info.setdefault(_MOVED, {}).setdefault(obj.id, history.deleted[0])
            if obj.id is not None and _mirrored_change(obj):
                session.info.setdefault(_MIRRORED, set()).add(obj.id)
        elif isinstance(obj, QuestionRevision) and obj.question is not None:
            sections.add(obj.question.section)
    return sections


_MIRRORED = "aggregates_mirrored_questions"


def _mirrored_change(question: Question) -> bool:
    """Whether a flush changes what ``question_stat`` keeps of the question for sorting."""
    attrs = db.inspect(question).attrs
    return any(attrs[name].history.has_changes() for name in ("uid", "section", "status"))


def _mirrored(qs: Table) -> dict[str, Any]:
    """The question's uid, section and state, for an UPDATE of ``question_stat``."""

    def of(column: Any) -> Any:
        return select(column).where(Question.id == qs.c.question_id).scalar_subquery()

    return {"uid": of(Question.uid), "section": of(Question.section), "status": of(Question.status)}


def mirror_questions(ids: Iterable[int], session: Session | None = None) -> None:
    """Copy these questions' uid, section and state into their ``question_stat`` rows (the
    statistics page's sort keys); one statement, run after a flush that changed them."""
    s = session if session is not None else db.session
    qs = _table(QuestionStat)
    s.execute(update(qs).where(qs.c.question_id.in_(sorted(ids))).values(**_mirrored(qs)))


def rekey(minimum: int) -> bool:
    """Compute the sort keys of the rows keyed for another minimum or other thresholds (a
    changed setting or release) or never keyed (``keyed`` 0: rows written behind the
    app's back, or by migration 0013): from each row's own sums, as the writes do, and the
    question's uid, section and state.

    Reads the two ends of an index when nothing is stale (the usual case) and writes
    nothing; returns whether it wrote (the caller commits).
    """
    qs = _table(QuestionStat)
    current = stat_keys.version(minimum)
    low, high = db.session.execute(
        select(
            select(func.min(qs.c.keyed)).scalar_subquery(),
            select(func.max(qs.c.keyed)).scalar_subquery(),
        )
    ).one()
    if low is None or low == high == current:
        return False
    keys = stat_keys.key_values(
        n=qs.c.answers,
        students=qs.c.students,
        sx=qs.c.sx,
        sy=qs.c.sy,
        sxx=qs.c.sxx,
        syy=qs.c.syy,
        sxy=qs.c.sxy,
        minimum=minimum,
    )
    db.session.execute(update(qs).where(qs.c.keyed != current).values(**keys, **_mirrored(qs)))
    return True


_listening = False


def listen() -> None:
    """Recount a section's published questions in every flush that changes its questions."""
    global _listening
    if _listening:
        return
    _listening = True

    @event.listens_for(Session, "before_flush")
    def _collect(session: Session, _context, _instances) -> None:  # noqa: ANN001
        touched = _touched_sections(session)
        if touched:
            session.info.setdefault(_PENDING, set()).update(touched)

    @event.listens_for(Session, "after_flush_postexec")
    def _recount(session: Session, _context) -> None:  # noqa: ANN001
        moved = session.info.pop(_MOVED, None)
        if moved:
            move_students(moved, session)
        mirrored = session.info.pop(_MIRRORED, None)
        if mirrored:
            mirror_questions(mirrored, session)
        pending = session.info.pop(_PENDING, None)
        if pending:
            recount_sections(pending, session)
