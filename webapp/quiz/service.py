"""Quiz operations on the database: draw an attempt, record an answer, finish."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, bindparam, func, insert, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from questions import Question as BankQuestion
from questions import grade

from .. import aggregates
from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    AttemptItem,
    Mode,
    Question,
    QuestionRevision,
    Status,
    StudentQuestion,
    utcnow,
)
from ..study.service import note_quiz_result
from .presentation import make_presentation, response_for_json


class NothingToAsk(ValueError):
    """No published question matches the chosen sections (or no mistakes to review)."""


def latest_answers_subquery(user_id: int):
    """Per question, the user's most recent answer: (question_id, correct, score)."""
    ranked = (
        db.select(
            AttemptItem.question_id.label("question_id"),
            Answer.correct.label("correct"),
            Answer.score.label("score"),
            func.row_number()
            .over(
                partition_by=AttemptItem.question_id,
                order_by=(Answer.answered_at.desc(), Answer.id.desc()),
            )
            .label("rn"),
        )
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id)
        .subquery()
    )
    return (
        db.select(ranked.c.question_id, ranked.c.correct, ranked.c.score)
        .where(ranked.c.rn == 1)
        .subquery()
    )


def mistakes_query(user_id: int):
    """Published questions whose latest answer by the user was not fully right.

    Read from the kept mistakes set (``webapp.aggregates``), not from the answers.
    """
    sq = StudentQuestion
    return (
        db.select(sq.question_id)
        .join(Question, Question.id == sq.question_id)
        .where(
            sq.user_id == user_id,
            sq.last_correct.is_(False),
            Question.status == Status.PUBLISHED.value,
        )
    )


def count_mistakes(user_id: int) -> int:
    return (
        db.session.scalar(db.select(func.count()).select_from(mistakes_query(user_id).subquery()))
        or 0
    )


def count_published(sections: Sequence[str]) -> int:
    """Published questions in ``sections`` (the bank's kept counters, a row a section)."""
    counts = aggregates.published_counts()
    return sum(counts.get(section, 0) for section in set(sections))


def _published_ids(sections: Sequence[str]) -> list[int]:
    """The published questions' ids of ``sections``, cached per app by the bank's version.

    A draw samples from this list instead of sorting every matching row at random in
    SQL: one small query (the version) while the bank is unchanged, whatever its size.
    """
    key = tuple(sorted(set(sections)))
    version = aggregates.bank_version()
    cache = current_app.extensions.setdefault("quiz_published_ids", {})
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    ids = list(
        db.session.scalars(
            select(Question.id)
            .where(Question.status == Status.PUBLISHED.value, Question.section.in_(key))
            .order_by(Question.id)
        )
    )
    cache[key] = (version, ids)
    return ids


_PICKED = (
    select(Question, QuestionRevision)
    .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
    .where(Question.id.in_(bindparam("ids", expanding=True)))
)


def _draw(
    mode: Mode, sections: Sequence[str], size: int, user_id: int | None
) -> list[tuple[Question, QuestionRevision]]:
    # Draw more than asked, then leave out any question related to one already drawn
    # (items that answer each other, ``related`` in the bank), so a quiz never holds both.
    spare = size * RELATED_SPARE + 10
    if mode is Mode.MISTAKES:
        if user_id is None:
            raise NothingToAsk("Log in to review your mistakes.")
        # a student's mistakes: few, shuffled by the database. Published is checked in
        # mistakes_query (read from the student's rows): here it would make SQLite read
        # every published question from the (status, uid) index.
        stmt = (
            db.select(Question, QuestionRevision)
            .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
            .where(Question.id.in_(mistakes_query(user_id)))
        )
        rows = db.session.execute(stmt.order_by(func.random()).limit(spare)).all()
        return _without_related([(q, rev) for q, rev in rows], size)
    ids = _published_ids(sections)
    picked = random.sample(ids, min(spare, len(ids)))
    # By primary key only, the state checked here: with the state in the WHERE, SQLite
    # reads every published question from the (status, uid) index to find the few picked.
    found = {
        q.id: (q, rev)
        for q, rev in db.session.execute(_PICKED, {"ids": picked}).all()
        if q.section in sections and q.status == Status.PUBLISHED.value
    }
    # the sample's order is the draw's; an id retired since the list was read is skipped
    return _without_related([found[i] for i in picked if i in found], size)


# How many times the quiz size to draw, so related questions can be left out.
RELATED_SPARE = 2


def _without_related(
    rows: list[tuple[Question, QuestionRevision]], size: int
) -> list[tuple[Question, QuestionRevision]]:
    """The first ``size`` rows, skipping any row related (either way) to one kept."""
    kept: list[tuple[Question, QuestionRevision]] = []
    blocked: set[str] = set()
    for question, revision in rows:
        related = set(revision.data.get("related") or ())
        if question.uid in blocked or related & {q.uid for q, _ in kept}:
            continue
        kept.append((question, revision))
        blocked |= related
        if len(kept) == size:
            break
    return kept


def create_attempt(
    *,
    mode: Mode,
    sections: Sequence[str],
    size: int,
    user_id: int | None,
    guest_token: str | None,
    assignment_id: int | None = None,
) -> Attempt:
    """Draw ``size`` random published questions, fix their shuffled presentation, commit.

    ``assignment_id`` ties the attempt to a class assignment (see ``webapp/classes``).
    """
    drawn = _draw(mode, sections, size, user_id)
    if not drawn:
        if mode is Mode.MISTAKES:
            raise NothingToAsk(
                "No mistakes to review: every question you answered was right the last time."
            )
        raise NothingToAsk("There are no questions in this part yet.")
    attempt = Attempt(
        user_id=user_id,
        guest_token=None if user_id else guest_token,
        mode=mode.value,
        sections=sorted(set(sections)),
        size=len(drawn),
        started_at=utcnow(),
        assignment_id=assignment_id,
    )
    return store_attempt(attempt, drawn)


def store_attempt(attempt: Attempt, drawn: Sequence[tuple[Question, QuestionRevision]]) -> Attempt:
    """Give ``attempt`` the drawn questions as its items, in that order, each with its
    shuffled presentation fixed, and commit: a reload shows the same quiz.

    The items go in as one bulk INSERT (the unit of work sent one INSERT per item), and
    the attempt's id stays readable after the commit without reloading the attempt (the
    redirect that follows needs only the id)."""
    db.session.add(attempt)
    db.session.flush()
    attempt_id = attempt.id
    db.session.execute(
        insert(AttemptItem),
        [
            {
                "attempt_id": attempt_id,
                "position": position,
                "question_id": question.id,
                "revision_id": revision.id,
                "presentation": make_presentation(revision.to_question()),
            }
            for position, (question, revision) in enumerate(drawn, 1)
        ],
    )
    db.session.commit()
    set_committed_value(attempt, "id", attempt_id)
    return attempt


# The statements of every quiz page and answer are built once, with bound parameters:
# building an expression anew costs more per request than running it.
_ANSWER_TABLE = cast(Table, Answer.__table__)
_ITEM_TABLE = cast(Table, AttemptItem.__table__)
_ATTEMPT_TABLE = cast(Table, Attempt.__table__)
_REVISION_TABLE = cast(Table, QuestionRevision.__table__)


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """An item's attempt as the question page and the answer read it: a row, not a mapped
    object (loading four mapped objects cost twice what the row does). What writes to the
    attempt (finishing it) loads the object."""

    id: int
    user_id: int | None
    guest_token: str | None
    size: int
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    assignment_id: int | None

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """The revision an item shows: its content."""

    id: int
    data: dict[str, Any]

    def to_question(self) -> BankQuestion:
        return BankQuestion.from_dict(self.data)


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """An item's answer, as the feedback shows it."""

    id: int
    response: Any
    score: float
    correct: bool
    grade: dict[str, Any] | None
    regraded_at: datetime | None


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One item of an attempt with its attempt, revision and answer (None: not answered)."""

    id: int
    position: int
    question_id: int
    presentation: dict[str, Any]
    attempt: AttemptRow
    revision: RevisionRow
    answer: AnswerRow | None
    # (answers given in the attempt, their total score), when asked for with the item
    progress: tuple[int, float] | None = None


_LOAD_ITEM = (
    select(
        _ITEM_TABLE.c.id,
        _ITEM_TABLE.c.position,
        _ITEM_TABLE.c.question_id,
        _ITEM_TABLE.c.presentation,
        *(_ATTEMPT_TABLE.c[f.name] for f in fields(AttemptRow)),
        _REVISION_TABLE.c.id,
        _REVISION_TABLE.c.data,
        *(_ANSWER_TABLE.c[f.name] for f in fields(AnswerRow)),
    )
    .join(_ATTEMPT_TABLE, _ATTEMPT_TABLE.c.id == _ITEM_TABLE.c.attempt_id)
    .join(_REVISION_TABLE, _REVISION_TABLE.c.id == _ITEM_TABLE.c.revision_id)
    .outerjoin(_ANSWER_TABLE, _ANSWER_TABLE.c.attempt_item_id == _ITEM_TABLE.c.id)
    .where(
        _ITEM_TABLE.c.attempt_id == bindparam("attempt_id"),
        _ITEM_TABLE.c.position == bindparam("position"),
    )
)
_ATTEMPT_END = 4 + len(fields(AttemptRow))
_REVISION_END = _ATTEMPT_END + 2
_ANSWER_END = _REVISION_END + len(fields(AnswerRow))
# The question page also shows the attempt's progress: the answers given so far and their
# score, counted in the same statement (an aggregate of one row, joined to the item's).
_DONE = _ANSWER_TABLE.alias("done")
_ASKED = _ITEM_TABLE.alias("asked")
_SO_FAR = (
    select(
        func.count(_DONE.c.id).label("answered"),
        func.coalesce(func.sum(_DONE.c.score), 0.0).label("points"),
    )
    .select_from(_ASKED)
    .join(_DONE, _DONE.c.attempt_item_id == _ASKED.c.id)
    .where(_ASKED.c.attempt_id == bindparam("attempt_id"))
    .subquery("so_far")
)
_LOAD_ITEM_WITH_PROGRESS = _LOAD_ITEM.add_columns(_SO_FAR.c.answered, _SO_FAR.c.points).join(
    _SO_FAR, true()
)
_PROGRESS = (
    select(AttemptItem.position, Answer.id, Answer.score)
    .outerjoin(Answer, Answer.attempt_item_id == AttemptItem.id)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptItem.position)
)
# Core, on the table: the ORM's insert (even without the unit of work) costs twice as much.
# ON CONFLICT DO NOTHING: a second answer to the item inserts nothing and returns no id,
# with no savepoint to open and release around it (both databases spell it the same).
_INSERT_ANSWER = {
    name: module.insert(_ANSWER_TABLE)
    .on_conflict_do_nothing(index_elements=["attempt_item_id"])
    .returning(_ANSWER_TABLE.c.id)
    for name, module in (("sqlite", sqlite), ("postgresql", postgresql))
}
# On the tables, not the mapped classes: an ORM select costs three times as much to run.
_ANSWERED = (
    select(func.count(_ANSWER_TABLE.c.id), func.coalesce(func.sum(_ANSWER_TABLE.c.score), 0.0))
    .join(_ITEM_TABLE, _ITEM_TABLE.c.id == _ANSWER_TABLE.c.attempt_item_id)
    .where(_ITEM_TABLE.c.attempt_id == bindparam("attempt_id"))
)


def load_item(attempt_id: int, position: int, *, progress: bool = False) -> ItemRow | None:
    """One item of an attempt with its attempt, revision and answer, in one query; with
    ``progress``, the attempt's answers so far and their score too (the question page, and
    the answer, which then needs no statement of its own to tell the attempt's end)."""
    row = db.session.execute(
        _LOAD_ITEM_WITH_PROGRESS if progress else _LOAD_ITEM,
        {"attempt_id": attempt_id, "position": position},
    ).first()
    if row is None:
        return None
    answer = None if row[_REVISION_END] is None else AnswerRow(*row[_REVISION_END:_ANSWER_END])
    return ItemRow(
        id=row[0],
        position=row[1],
        question_id=row[2],
        presentation=row[3],
        attempt=AttemptRow(*row[4:_ATTEMPT_END]),
        revision=RevisionRow(*row[_ATTEMPT_END:_REVISION_END]),
        answer=answer,
        progress=(int(row[_ANSWER_END]), float(row[_ANSWER_END + 1] or 0.0)) if progress else None,
    )


@dataclass(frozen=True)
class Progress:
    """Where an attempt stands: answers given, their total score, the first open item."""

    answered: int
    points: float
    first_open: int | None


def progress(attempt: Attempt) -> Progress:
    """The attempt's progress, in one query."""
    rows = db.session.execute(_PROGRESS, {"attempt_id": attempt.id}).all()
    answered = [score for _, answer_id, score in rows if answer_id is not None]
    first_open = next((pos for pos, answer_id, _ in rows if answer_id is None), None)
    return Progress(len(answered), float(sum(answered)), first_open)


def record_answer(
    attempt: AttemptRow,
    item: ItemRow,
    question: BankQuestion,
    response: Any,
    *,
    so_far: tuple[int, float] | None = None,
) -> bool:
    """Grade and store the answer, and commit; False if the item already had one.

    ``so_far``, the attempt's answers and score before this one (``ItemRow.progress``, read
    with the item), saves a statement to tell whether this answer ends the attempt.

    The answer and what follows from it (the student's figures, the study card made due,
    the attempt finished) commit together with what the request wrote before (its
    rate-limit hit). A duplicate inserts nothing, and nothing follows from it.
    """
    result = grade(question, response)
    now = utcnow()
    correct, score = bool(result.correct), float(result.score)
    values = {
        "attempt_item_id": item.id,
        "response": response_for_json(question, response),
        "score": score,
        "correct": correct,
        "grade": result.to_dict(),
        "feedback": "",
        "answered_at": now,
    }
    # An INSERT, not a unit-of-work flush: the answer object is not needed after.
    dialect = db.session.get_bind().dialect.name
    answer_id = db.session.execute(_INSERT_ANSWER[dialect], values).scalar()
    if answer_id is None:
        # A double submit or a second tab got there first: the unique key keeps one answer.
        db.session.commit()
        return False
    if attempt.user_id is not None:
        # The student's figures (dashboard, mistakes, home) move with the answer.
        aggregates.note_answer(
            user_id=attempt.user_id,
            question_id=item.question_id,
            section=question.section,
            answer_id=answer_id,
            answered_at=now,
            correct=correct,
            score=score,
        )
        # A wrong answer makes the question due in flashcard study.
        note_quiz_result(attempt.user_id, item.question_id, correct, now)
    if so_far is not None:
        # Read with the item, before this answer. A second tab answering another item of
        # the attempt at the same moment may leave both one short of the end; the
        # attempt's page then finishes it (views.attempt).
        answered, points = so_far[0] + 1, so_far[1] + score
    else:
        answered, points = answered_so_far(attempt.id)
    if answered >= attempt.size:
        _finish(db.session.get_one(Attempt, attempt.id), points)
    db.session.commit()
    return True


def answered_so_far(attempt_id: int) -> tuple[int, float]:
    """How many items of the attempt have an answer, and their total score (one query)."""
    count, total = db.session.execute(_ANSWERED, {"attempt_id": attempt_id}).one()
    return int(count), float(total or 0.0)


def _finish(attempt: Attempt, points: float, at: datetime | None = None) -> None:
    attempt.score = points / attempt.size if attempt.size else 0.0
    attempt.finished_at = at or utcnow()
    if attempt.user_id is not None:
        # the student's attempt totals and the item statistics
        aggregates.note_finished(attempt.id, attempt.user_id, attempt.score)


def finish_attempt(attempt: Attempt, *, at: datetime | None = None) -> None:
    """End an attempt now (or as of ``at``) and commit; unanswered items count as wrong."""
    if attempt.is_finished:
        return
    _finish(attempt, answered_so_far(attempt.id)[1], at)
    db.session.commit()


def discard_attempt(attempt: Attempt) -> None:
    """Delete an unfinished attempt with its items and answers."""
    item_ids = db.select(AttemptItem.id).where(AttemptItem.attempt_id == attempt.id)
    db.session.execute(db.delete(Answer).where(Answer.attempt_item_id.in_(item_ids)))
    db.session.execute(db.delete(AttemptItem).where(AttemptItem.attempt_id == attempt.id))
    db.session.execute(db.delete(Attempt).where(Attempt.id == attempt.id))
    if attempt.user_id is not None:
        aggregates.refresh_students([attempt.user_id])
    db.session.commit()


def retry_missed(attempt: Attempt, *, user_id: int | None, guest_token: str | None) -> Attempt:
    """A new attempt on the questions of ``attempt`` not fully right (wrong, partly right or
    unanswered), each at its current published revision, in the same order."""
    missed = [
        it.question_id for it in review_items(attempt) if it.answer is None or not it.answer.correct
    ]
    rows = db.session.execute(
        db.select(Question, QuestionRevision)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(Question.status == Status.PUBLISHED.value, Question.id.in_(missed))
    ).all()
    by_id = {q.id: (q, rev) for q, rev in rows}
    drawn = [by_id[i] for i in missed if i in by_id]
    if not drawn:
        raise NothingToAsk("Nothing to retry: every question of this quiz was right.")
    new = Attempt(
        user_id=user_id,
        guest_token=None if user_id else guest_token,
        mode=Mode.MIXED.value,
        sections=sorted({q.section for q, _ in drawn}),
        size=len(drawn),
        started_at=utcnow(),
    )
    for position, (question, revision) in enumerate(drawn, 1):
        new.items.append(
            AttemptItem(
                position=position,
                question_id=question.id,
                revision_id=revision.id,
                presentation=make_presentation(revision.to_question()),
            )
        )
    db.session.add(new)
    db.session.commit()
    return new


_REVIEW_ITEMS = (
    select(AttemptItem)
    .options(joinedload(AttemptItem.revision), joinedload(AttemptItem.answer))
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptItem.position)
)


def review_items(attempt: Attempt) -> list[AttemptItem]:
    """Every item of an attempt with revision and answer, in one query."""
    return list(db.session.scalars(_REVIEW_ITEMS, {"attempt_id": attempt.id}).unique())


def recent_attempts(
    *,
    user_id: int | None,
    guest_token: str | None = None,
    limit: int = 10,
    unfinished_only: bool = False,
) -> list[tuple[Attempt, int]]:
    """The visitor's latest attempts with their number of answers, newest first (one query)."""
    if user_id is None and not guest_token:
        return []
    stmt = _recent_statement(user_id is not None, unfinished_only)
    params = {"user_id": user_id, "guest_token": guest_token, "limit": limit}
    rows = db.session.execute(stmt, params).all()
    return [(attempt, int(n)) for attempt, n in rows]


@cache
def _recent_statement(by_user: bool, unfinished_only: bool) -> Any:
    """recent_attempts' statement, built once per kind of visitor (home runs it on every
    view, and building it cost more than running it)."""
    # The latest attempts first (by index), then their answers counted: grouping every
    # attempt before the limit cost a student's whole history.
    latest = db.select(Attempt.id).order_by(Attempt.started_at.desc(), Attempt.id.desc())
    if by_user:
        latest = latest.where(Attempt.user_id == bindparam("user_id"))
    else:
        latest = latest.where(
            Attempt.user_id.is_(None), Attempt.guest_token == bindparam("guest_token")
        )
    if unfinished_only:
        latest = latest.where(Attempt.finished_at.is_(None))
    ids = latest.limit(bindparam("limit")).subquery()
    answered = func.count(Answer.id)
    return (
        db.select(Attempt, answered)
        .join(ids, ids.c.id == Attempt.id)
        .outerjoin(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .outerjoin(Answer, Answer.attempt_item_id == AttemptItem.id)
        .group_by(Attempt.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )


def purge_guest_attempts(older_than) -> int:
    """Delete guests' attempts started before ``older_than`` and commit; returns how many."""
    ids = list(
        db.session.scalars(
            db.select(Attempt.id).where(Attempt.user_id.is_(None), Attempt.started_at < older_than)
        )
    )
    if ids:
        answer_ids = db.select(AttemptItem.id).where(AttemptItem.attempt_id.in_(ids))
        db.session.execute(db.delete(Answer).where(Answer.attempt_item_id.in_(answer_ids)))
        db.session.execute(db.delete(AttemptItem).where(AttemptItem.attempt_id.in_(ids)))
        db.session.execute(db.delete(Attempt).where(Attempt.id.in_(ids)))
    db.session.commit()
    return len(ids)
