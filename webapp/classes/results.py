"""Results for instructors: per assignment, per student, and the class's gradebook.

Each is built from a fixed number of queries whatever the class's size (the gradebook:
members, assignments, attempts), so a class of 300 costs what a class of 3 does.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from questions import spec

from ..extensions import db
from ..models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Classroom,
    Membership,
    Question,
    User,
    utcnow,
)
from .assignments import (
    FACT_COLUMNS,
    AttemptFacts,
    Standing,
    close_overdue,
    is_late,
    points,
    standing,
)


def class_assignments(class_id: int) -> list[Assignment]:
    """The class's assignments, soonest due first."""
    return list(
        db.session.scalars(
            db.select(Assignment)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )


def _members(class_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            db.select(Membership)
            .join(User, User.id == Membership.user_id)
            .options(db.contains_eager(Membership.user))
            .where(Membership.class_id == class_id, Membership.removed_at.is_(None))
            .order_by(Membership.name, User.email)
        )
    )


def _class_attempts(class_id: int, assignment_id: int | None = None) -> list[AttemptFacts]:
    """Attempts at the class's assignments (or one) by its current students, one query.

    Rows of the columns standing needs, not objects: a class of 300 students and 40
    assignments has over 12,000 attempts.
    """
    stmt = (
        db.select(*FACT_COLUMNS)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(
            Membership,
            (Membership.user_id == Attempt.user_id) & (Membership.class_id == Assignment.class_id),
        )
        .where(Assignment.class_id == class_id, Membership.removed_at.is_(None))
    )
    if assignment_id is not None:
        stmt = stmt.where(Attempt.assignment_id == assignment_id)
    return list(db.session.execute(stmt).all())


@dataclass
class Gradebook:
    """Students by assignments: each cell the student's standing on the assignment."""

    classroom: Classroom
    assignments: list[Assignment]
    members: list[Membership]
    cells: dict[tuple[int, int], Standing] = field(default_factory=dict)  # (user, assignment)

    def cell(self, user_id: int, assignment_id: int) -> Standing:
        return self.cells[(user_id, assignment_id)]


def gradebook(classroom: Classroom) -> Gradebook:
    """The class's gradebook in three queries (plus one per attempt closed as overdue)."""
    assignments = class_assignments(classroom.id)
    members = _members(classroom.id)
    attempts = _class_attempts(classroom.id)
    if close_overdue(assignments, attempts):
        return gradebook(classroom)
    grouped: dict[tuple[int, int], list[AttemptFacts]] = {}
    for attempt in attempts:
        grouped.setdefault((attempt.user_id or 0, attempt.assignment_id or 0), []).append(attempt)
    now = utcnow()
    book = Gradebook(classroom, assignments, members)
    for m in members:
        for a in assignments:
            book.cells[(m.user_id, a.id)] = standing(a, grouped.get((m.user_id, a.id), []), now)
    return book


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as CSV text that a spreadsheet shows and never runs: a leading ' when the
    text would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def gradebook_csv(book: Gradebook) -> str:
    """The gradebook as CSV for an LMS import: name, email, one column per assignment
    headed "Title [N pts]", each cell the counted points (empty when nothing counts)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Student name",
            "Email",
            *(safe_cell(f"{a.title} [{_number(a.size)} pts]") for a in book.assignments),
        ]
    )
    for m in book.members:
        writer.writerow(
            [
                safe_cell(m.name),
                safe_cell(m.user.email),
                *(_number(points(a, book.cell(m.user_id, a.id).score)) for a in book.assignments),
            ]
        )
    return out.getvalue()


@dataclass
class ResultRow:
    """One student's line on an assignment's results."""

    member: Membership
    standing: Standing
    points: float | None
    taken: timedelta | None  # how long the counted attempt took
    submitted: datetime | None
    late: bool


@dataclass
class QuestionBreakdown:
    """How the class did on one question of an assignment."""

    question_id: int
    uid: str
    answers: int
    facility: float | None  # mean score of the class's answers, 0 to 1
    wrong_option: str | None  # the wrong option picked most often
    wrong_picks: int


def assignment_results(
    classroom: Classroom, assignment: Assignment
) -> tuple[list[ResultRow], list[QuestionBreakdown]]:
    """The class's students on one assignment, and each question's breakdown."""
    members = _members(classroom.id)
    attempts = _class_attempts(classroom.id, assignment.id)
    if close_overdue([assignment], attempts):
        return assignment_results(classroom, assignment)
    now = utcnow()
    grouped: dict[int, list[AttemptFacts]] = {}
    for attempt in attempts:
        grouped.setdefault(attempt.user_id or 0, []).append(attempt)
    rows = []
    for m in members:
        st = standing(assignment, grouped.get(m.user_id, []), now)
        counted = st.counted
        rows.append(
            ResultRow(
                member=m,
                standing=st,
                points=points(assignment, st.score),
                taken=(counted.finished_at - counted.started_at)
                if counted and counted.finished_at
                else None,
                submitted=counted.finished_at if counted else None,
                late=bool(counted and is_late(assignment, counted)),
            )
        )
    return rows, _breakdown([a.id for a in attempts if a.finished_at is not None])


def _breakdown(attempt_ids: Sequence[int]) -> list[QuestionBreakdown]:
    """Per question: the answers in the finished attempts, their mean score, and the
    wrong option most picked (choice kinds; the kind's ``option_picks`` reads a response)."""
    if not attempt_ids:
        return []
    rows = db.session.execute(
        db.select(AttemptItem, Answer, Question.uid)
        .join(Question, Question.id == AttemptItem.question_id)
        .outerjoin(Answer, Answer.attempt_item_id == AttemptItem.id)
        .options(db.joinedload(AttemptItem.revision))
        .where(AttemptItem.attempt_id.in_(list(attempt_ids)))
        .order_by(Question.uid)
    ).all()
    per: dict[int, dict] = {}
    for item, answer, uid in rows:
        entry = per.setdefault(item.question_id, {"uid": uid, "scores": [], "wrong": Counter()})
        entry["scores"].append(answer.score if answer is not None else 0.0)
        if answer is None:
            continue
        q = item.revision.to_question()
        for index in spec(q.kind).option_picks(q, answer.response):
            if 0 <= index < len(q.options) and not q.options[index].correct:
                entry["wrong"][q.options[index].text] += 1
    out = []
    for question_id, entry in per.items():
        scores = entry["scores"]
        common = entry["wrong"].most_common(1)
        out.append(
            QuestionBreakdown(
                question_id=question_id,
                uid=entry["uid"],
                answers=len(scores),
                facility=sum(scores) / len(scores) if scores else None,
                wrong_option=common[0][0] if common else None,
                wrong_picks=common[0][1] if common else 0,
            )
        )
    return sorted(out, key=lambda b: (b.facility if b.facility is not None else 2, b.uid))


def student_assignments(
    classroom: Classroom, member: Membership
) -> list[tuple[Assignment, Standing]]:
    """One student's standing on each of the class's assignments."""
    assignments = class_assignments(classroom.id)
    attempts = list(
        db.session.scalars(
            db.select(Attempt).where(
                Attempt.user_id == member.user_id,
                Attempt.assignment_id.in_([a.id for a in assignments]),
            )
        )
    )
    if close_overdue(assignments, attempts):
        return student_assignments(classroom, member)
    now = utcnow()
    return [
        (a, standing(a, [t for t in attempts if t.assignment_id == a.id], now)) for a in assignments
    ]
