"""A student's account: password reset tokens, their data as JSON, deleting it all."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import aggregates
from ..extensions import db
from ..mail import send
from ..models import (
    Account,
    Answer,
    Attempt,
    AttemptItem,
    Classroom,
    LoginSession,
    Membership,
    RateCounter,
    ReviewLog,
    StudentQuestion,
    StudentSection,
    StudyCard,
    StudyDay,
    User,
)

RESET_SALT = "password-reset"
RESET_MAX_AGE = 60 * 60  # a reset link works for an hour


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier link stops working, so a
    # link is used at most once, and a leaked old one is worthless.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A signed, expiring, single-use token for resetting ``user``'s password."""
    return str(_serializer().dumps({"id": user.id, "fp": _fingerprint(user)}))


def user_for_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token names; None otherwise."""
    if len(token) > 500:
        return None
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user


def send_reset_link(user: User) -> str:
    """Mail ``user`` a reset link; return the link (for an instructor who issues one)."""
    link = url_for("account.reset", token=reset_token(user), _external=True)
    send(
        user.email,
        "Reset your password",
        "Someone (we hope you) asked to reset the password of your quiz account.\n\n"
        f"Choose a new password here within an hour:\n{link}\n\n"
        "The link works once. If you did not ask, ignore this mail: nothing changes.",
    )
    return link


def export_data(user: Account) -> dict[str, Any]:
    """Everything the site keeps about ``user``, as JSON data (no password hash)."""
    attempts = db.session.scalars(
        db.select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id)
    ).all()
    items = db.session.execute(
        db.select(AttemptItem, Answer)
        .outerjoin(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user.id)
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ).all()
    by_attempt: dict[int, list[dict[str, Any]]] = {}
    for item, answer in items:
        by_attempt.setdefault(item.attempt_id, []).append(
            {
                "position": item.position,
                "question_id": item.question_id,
                "response": answer.response if answer else None,
                "score": answer.score if answer else None,
                "answered_at": answer.answered_at.isoformat() if answer else None,
            }
        )
    cards = db.session.scalars(db.select(StudyCard).where(StudyCard.user_id == user.id)).all()
    reviews = db.session.scalars(db.select(ReviewLog).where(ReviewLog.user_id == user.id)).all()
    memberships = db.session.execute(
        db.select(Membership, Classroom.name)
        .join(Classroom, Classroom.id == Membership.class_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.joined_at)
    ).all()
    return {
        "account": {
            "email": user.email,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
            "settings": dict(user.settings or {}),
        },
        "quizzes": [
            {
                "id": a.id,
                "mode": a.mode,
                "sections": a.sections,
                "size": a.size,
                "started_at": a.started_at.isoformat(),
                "finished_at": a.finished_at.isoformat() if a.finished_at else None,
                "score": a.score,
                "assignment_id": a.assignment_id,
                "answers": by_attempt.get(a.id, []),
            }
            for a in attempts
        ],
        "flashcards": [
            {"question_id": c.question_id, "due": c.due.isoformat(), "reps": c.reps} for c in cards
        ],
        "reviews": [
            {
                "question_id": r.question_id,
                "rating": r.rating,
                "reviewed_at": r.reviewed_at.isoformat(),
            }
            for r in reviews
        ],
        # the classes joined, with the name given to each
        "classes": [
            {
                "class": class_name,
                "name": m.name,
                "joined_at": m.joined_at.isoformat(),
                "removed_at": m.removed_at.isoformat() if m.removed_at else None,
            }
            for m, class_name in memberships
        ],
    }


def delete_account(user: User) -> None:
    """Delete ``user`` and every row about them (the caller has logged them out)."""
    graded = db.session.scalars(
        db.select(StudentQuestion.question_id).where(
            StudentQuestion.user_id == user.id, StudentQuestion.graded > 0
        )
    ).all()
    attempt_ids = db.select(Attempt.id).where(Attempt.user_id == user.id)
    item_ids = db.select(AttemptItem.id).where(AttemptItem.attempt_id.in_(attempt_ids))
    db.session.execute(db.delete(Answer).where(Answer.attempt_item_id.in_(item_ids)))
    db.session.execute(db.delete(AttemptItem).where(AttemptItem.attempt_id.in_(attempt_ids)))
    db.session.execute(db.delete(Attempt).where(Attempt.user_id == user.id))
    db.session.execute(db.delete(ReviewLog).where(ReviewLog.user_id == user.id))
    db.session.execute(db.delete(StudyCard).where(StudyCard.user_id == user.id))
    db.session.execute(db.delete(StudyDay).where(StudyDay.user_id == user.id))
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id))
    # The log-in counters name the email in their key (see auth/throttle.py).
    db.session.execute(
        db.delete(RateCounter).where(
            db.or_(
                RateCounter.key == f"login-all:{user.email}",
                RateCounter.key.endswith(f":{user.email}", autoescape=True),
            )
        )
    )
    db.session.execute(db.delete(StudentQuestion).where(StudentQuestion.user_id == user.id))
    db.session.execute(db.delete(StudentSection).where(StudentSection.user_id == user.id))
    aggregates.refresh_questions(graded)  # the item statistics no longer count them
    db.session.delete(user)
    db.session.commit()
