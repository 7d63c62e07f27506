"""Assignments: starting an attempt, which attempt counts, lateness, answer visibility.

``standing`` is pure over the attempts already loaded, so a student's list and the
gradebook of a whole class share it without a query per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from questions.display import seeded_shuffle

from ..extensions import db
from ..models import (
    Assignment,
    Attempt,
    Classroom,
    Counts,
    LatePolicy,
    Membership,
    Mode,
    Question,
    QuestionRevision,
    ShowAnswers,
    Source,
    Status,
    utcnow,
)
from ..quiz import service as quiz
from .schedule import show

# Bounds on what a form may ask for.
MAX_SIZE = 100
MAX_ATTEMPTS = 20
MAX_FIXED_QUESTIONS = 100


class CannotStart(ValueError):
    """Why a student may not start (or resume) an assignment now."""


class AttemptFacts(Protocol):
    """What standing needs of an attempt: an ``Attempt`` or a row of those columns."""

    @property
    def id(self) -> int: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def assignment_id(self) -> int | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def finished_at(self) -> datetime | None: ...
    @property
    def score(self) -> float | None: ...


# The columns of AttemptFacts, for queries that read many attempts without loading objects.
FACT_COLUMNS = (
    Attempt.id,
    Attempt.user_id,
    Attempt.assignment_id,
    Attempt.started_at,
    Attempt.finished_at,
    Attempt.score,
)


@dataclass(frozen=True)
class Standing:
    """Where one student stands on one assignment."""

    status: str  # upcoming, not started, in progress, done, late, missed
    score: float | None  # the counted attempt's score in [0, 1]
    counted: AttemptFacts | None
    open_attempt: AttemptFacts | None
    used: int  # attempts started
    can_start: bool  # whether a new attempt may start now

    @property
    def done(self) -> bool:
        return self.counted is not None


def is_late(assignment: Assignment, attempt: AttemptFacts) -> bool:
    return attempt.finished_at is not None and attempt.finished_at > assignment.due_at


def standing(assignment: Assignment, attempts: Iterable[AttemptFacts], now: datetime) -> Standing:
    """The student's standing from their attempts at ``assignment`` (any order)."""
    mine = list(attempts)
    if len(mine) > 1:
        mine.sort(key=lambda a: (a.started_at, a.id))
    finished = [a for a in mine if a.finished_at is not None]
    open_attempt = next((a for a in reversed(mine) if a.finished_at is None), None)
    counted: AttemptFacts | None = None
    if finished:
        if assignment.counts == Counts.LAST.value:
            counted = max(finished, key=lambda a: (a.finished_at, a.id))
        else:  # the best; among equal scores the first to reach it
            counted = max(finished, key=lambda a: (a.score or 0.0, -a.id))
    if counted is not None:
        status = "late" if is_late(assignment, counted) else "done"
    elif open_attempt is not None:
        status = "in progress"
    elif now < assignment.opens_at:
        status = "upcoming"
    elif now > assignment.due_at:
        status = "missed"
    else:
        status = "not started"
    can_start = (
        open_attempt is None
        and now >= assignment.opens_at
        and (now <= assignment.due_at or not _refuses_late(assignment))
        and (assignment.attempts_allowed is None or len(mine) < assignment.attempts_allowed)
    )
    return Standing(
        can_start=can_start,
        status=status,
        score=None if counted is None else (counted.score or 0.0),
        counted=counted,
        open_attempt=open_attempt,
        used=len(mine),
    )


def points(assignment: Assignment, score: float | None) -> float | None:
    """A score in [0, 1] as points out of the assignment's size (one point a question)."""
    return None if score is None else round(score * assignment.size, 2)


def attempts_of(assignment_ids: Sequence[int], user_ids: Sequence[int] | None) -> list[Attempt]:
    """Every attempt at the assignments by the users (all users when None), in one query."""
    if not assignment_ids:
        return []
    stmt = db.select(Attempt).where(Attempt.assignment_id.in_(list(assignment_ids)))
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(list(user_ids)))
    return list(db.session.scalars(stmt))


def _refuses_late(assignment: Assignment) -> bool:
    return assignment.late_policy == LatePolicy.REFUSE.value


def close_if_overdue(attempt: AttemptFacts, assignment: Assignment, now: datetime) -> bool:
    """End an open attempt whose due time passed when late work is refused; commits.

    It ends at the due time (so it is not late), with its unanswered questions wrong.
    ``attempt`` may be a row: the object is loaded only to end it.
    """
    if attempt.finished_at is not None or not _refuses_late(assignment) or now <= assignment.due_at:
        return False
    quiz.finish_attempt(db.session.get_one(Attempt, attempt.id), at=assignment.due_at)
    return True


def close_overdue(assignments: Sequence[Assignment], attempts: Sequence[AttemptFacts]) -> int:
    """``close_if_overdue`` over attempts already read (objects or rows); how many it closed.

    No statement when none is overdue. Each close commits, which expires what the session
    holds: a caller that closed any reads its rows again.
    """
    now = utcnow()
    by_id = {a.id: a for a in assignments}
    overdue = {
        attempt.id: by_id[attempt.assignment_id]
        for attempt in attempts
        if attempt.finished_at is None
        and attempt.assignment_id in by_id
        and _refuses_late(by_id[attempt.assignment_id])
        and now > by_id[attempt.assignment_id].due_at
    }
    if not overdue:
        return 0
    for attempt in db.session.scalars(db.select(Attempt).where(Attempt.id.in_(list(overdue)))):
        close_if_overdue(attempt, overdue[attempt.id], now)
    return len(overdue)


def refusal_for_answer(attempt: AttemptFacts) -> str | None:
    """Why an answer to an assignment attempt is not taken now (None: take it).

    After the due time, when late work is refused, the attempt is closed at the due time.
    """
    if attempt.assignment_id is None:
        return None
    assignment = db.session.get(Assignment, attempt.assignment_id)
    if assignment is None:
        return None
    if close_if_overdue(attempt, assignment, utcnow()):
        return "The due time has passed: this assignment no longer takes answers."
    return None


def answers_hidden(attempt: AttemptFacts) -> str | None:
    """When right answers and explanations of ``attempt`` are shown, if not yet (else None)."""
    if attempt.assignment_id is None:
        return None
    assignment = db.session.get(Assignment, attempt.assignment_id)
    if assignment is None or assignment.show_answers == ShowAnswers.EACH.value:
        return None
    if assignment.show_answers == ShowAnswers.ATTEMPT.value:
        return None if attempt.finished_at is not None else "once you finish the assignment"
    if utcnow() >= assignment.due_at:
        return None
    zone = db.session.get(Classroom, assignment.class_id)
    return f"after the due time, {show(assignment.due_at, zone.time_zone if zone else 'UTC')}"


def is_member(class_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(Membership.id).where(
                Membership.class_id == class_id,
                Membership.user_id == user_id,
                Membership.removed_at.is_(None),
            )
        )
        is not None
    )


def start(assignment: Assignment, user_id: int) -> Attempt:
    """Resume the student's open attempt, or start a new one if allowed; commits.

    Raises ``CannotStart`` before the opening time, after the due time when late work is
    refused, and when every attempt allowed is used.
    """
    now = utcnow()
    mine = attempts_of([assignment.id], [user_id])
    for attempt in mine:
        close_if_overdue(attempt, assignment, now)
    open_attempt = next((a for a in mine if a.finished_at is None), None)
    if open_attempt is not None:
        return open_attempt
    current = standing(assignment, mine, now)
    if now < assignment.opens_at:
        raise CannotStart("This assignment is not open yet.")
    if now > assignment.due_at and _refuses_late(assignment):
        raise CannotStart("The due time has passed and this assignment takes no late work.")
    if assignment.attempts_allowed is not None and current.used >= assignment.attempts_allowed:
        raise CannotStart(
            f"You have used the {assignment.attempts_allowed} attempt"
            f"{'' if assignment.attempts_allowed == 1 else 's'} allowed."
        )
    if assignment.source == Source.QUESTIONS.value:
        return _start_fixed(assignment, user_id, number=current.used + 1)
    try:
        return quiz.create_attempt(
            mode=Mode.MIXED,
            sections=assignment.sections,
            size=assignment.size,
            user_id=user_id,
            guest_token=None,
            assignment_id=assignment.id,
        )
    except quiz.NothingToAsk as exc:
        raise CannotStart(str(exc)) from exc


def _start_fixed(assignment: Assignment, user_id: int, *, number: int) -> Attempt:
    """An attempt on the assignment's questions, in an order of the student's own."""
    rows = db.session.execute(
        db.select(Question, QuestionRevision)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(
            Question.status == Status.PUBLISHED.value,
            Question.id.in_(list(assignment.question_ids)),
        )
    ).all()
    if not rows:
        raise CannotStart("None of this assignment's questions is published now.")
    by_id = {q.id: (q, rev) for q, rev in rows}
    order = seeded_shuffle(
        [i for i in assignment.question_ids if i in by_id],
        f"assignment-{assignment.id}-user-{user_id}-attempt-{number}",
    )
    attempt = Attempt(
        user_id=user_id,
        mode=Mode.MIXED.value,
        sections=sorted({by_id[i][0].section for i in order}),
        size=len(order),
        started_at=utcnow(),
        assignment_id=assignment.id,
    )
    return quiz.store_attempt(attempt, [by_id[i] for i in order])


def for_student(user_id: int) -> list[tuple[Assignment, Classroom, Standing]]:
    """The assignments of the student's classes with their standing, soonest due first.

    Three queries whatever the number of classes and assignments.
    """
    rows = db.session.execute(
        db.select(Assignment, Classroom)
        .join(Classroom, Classroom.id == Assignment.class_id)
        .join(Membership, Membership.class_id == Classroom.id)
        .where(Membership.user_id == user_id, Membership.removed_at.is_(None))
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    mine = attempts_of([a.id for a, _ in rows], [user_id])
    if close_overdue([a for a, _ in rows], mine):
        return for_student(user_id)
    now = utcnow()
    by_assignment: dict[int, list[Attempt]] = {}
    for attempt in mine:
        by_assignment.setdefault(attempt.assignment_id or 0, []).append(attempt)
    return [(a, c, standing(a, by_assignment.get(a.id, []), now)) for a, c in rows]
