"""A student's appeal against a typed answer marked wrong: once per answer, to the review."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from questions import Kind, spec

from ..extensions import db
from ..models import Account, Answer, Appeal, AttemptItem, utcnow
from .service import AnswerRow, ItemRow


class CannotAppeal(ValueError):
    """This answer cannot be appealed; the message says why."""


# Built once: the feedback page of a typed answer, and the results page, ask them on
# every view.
_APPEAL_OF = sa.select(Appeal).where(Appeal.answer_id == sa.bindparam("answer_id"))
_APPEALS_OF = sa.select(Appeal).where(
    Appeal.answer_id.in_(sa.bindparam("answer_ids", expanding=True))
)


def appeal_for(answer_id: int) -> Appeal | None:
    return db.session.scalar(_APPEAL_OF, {"answer_id": answer_id})


def appeals_for(answer_ids: list[int]) -> dict[int, Appeal]:
    """The appeals of these answers, by answer id (one query; none when not signed in)."""
    if not answer_ids:
        return {}
    rows = db.session.scalars(_APPEALS_OF, {"answer_ids": answer_ids})
    return {a.answer_id: a for a in rows}


def typed(item: AttemptItem | ItemRow) -> bool:
    """The item asks for a typed answer: only such an answer can have an appeal."""
    kind = item.revision.data.get("kind") if item.revision else None
    return kind in Kind._value2member_map_ and spec(Kind(kind)).typed


def can_appeal(item: AttemptItem | ItemRow, answer: Answer | AnswerRow | None) -> bool:
    """A typed answer that is not fully right (the page offers the button)."""
    if answer is None or answer.correct:
        return False
    return typed(item)


def appeal(item: ItemRow, student: Account) -> Appeal:
    """Flag the item's answer for the instructor's review; raises ``CannotAppeal``."""
    answer = item.answer
    if answer is None:
        raise CannotAppeal("Answer the question first.")
    if not can_appeal(item, answer):
        raise CannotAppeal("Only a typed answer marked wrong can be appealed.")
    if appeal_for(answer.id) is not None:
        raise CannotAppeal("You have already appealed this answer.")
    row = Appeal(
        answer_id=answer.id, question_id=item.question_id, user_id=student.id, created_at=utcnow()
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        # a double click got there first: the unique key keeps one appeal
        db.session.rollback()
        raise CannotAppeal("You have already appealed this answer.") from None
    return row
