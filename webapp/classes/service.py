"""Classes on the database: create, join, rotate the code, remove, co-instructors, access.

Helpers add and change rows and at most flush; the views commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask import abort
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Account,
    ClassInstructor,
    Classroom,
    Membership,
    Role,
    User,
    normalize_email,
    utcnow,
)

# Join codes: 8 letters and digits with none that read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODE_INPUT = 32  # what /join accepts before it even looks the code up


UNKNOWN_CODE = (
    "No class has this code. Check it with your instructor: a code that was changed no "
    "longer works."
)


class JoinRefused(ValueError):
    """Why a student cannot join: the code is unknown, joining is closed, they were removed."""


def new_code() -> str:
    """A fresh random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str | None) -> str:
    """A code as typed ("abcd-efgh ", "abcdefgh") in its stored form ("ABCDEFGH")."""
    if not text or len(text) > MAX_CODE_INPUT:
        return ""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def create_class(*, name: str, term: str | None, time_zone: str, owner: Account) -> Classroom:
    """A new class with a fresh code, its creator as its first instructor (flushed)."""
    classroom = Classroom(
        name=name.strip(),
        term=(term or "").strip() or None,
        time_zone=time_zone,
        join_code=new_code(),
        joining_open=True,
    )
    db.session.add(classroom)
    db.session.flush()
    db.session.add(ClassInstructor(class_id=classroom.id, user_id=owner.id))
    db.session.flush()
    return classroom


def rotate_code(classroom: Classroom) -> str:
    """Give the class a new code; the old code and link stop working at once."""
    classroom.join_code = new_code()
    db.session.flush()
    return classroom.join_code


def class_by_code(code: str) -> Classroom | None:
    """The class whose current code is ``code`` (already cleaned), or None."""
    if not code or len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(db.select(Classroom).where(Classroom.join_code == code))


def membership(class_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        db.select(Membership).where(Membership.class_id == class_id, Membership.user_id == user_id)
    )


def check_can_join(classroom: Classroom | None, user: Account) -> Classroom:
    """The class if ``user`` may join it now; raises ``JoinRefused`` saying why not."""
    if classroom is None:
        raise JoinRefused(UNKNOWN_CODE)
    if user.is_instructor:
        raise JoinRefused("Instructors do not join classes as students.")
    existing = membership(classroom.id, user.id)
    if existing is not None and existing.removed_at is not None:
        raise JoinRefused(
            f"You were removed from {classroom.name}. Ask your instructor to add you back."
        )
    if existing is None and not classroom.joining_open:
        raise JoinRefused(f"{classroom.name} is closed to new students. Ask your instructor.")
    return classroom


def join(classroom: Classroom, user: Account, *, name: str) -> bool:
    """Make ``user`` a member (after ``check_can_join``); False if they already were.

    The unique key settles a double submit: the second one finds the first's row.
    """
    if membership(classroom.id, user.id) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Membership(class_id=classroom.id, user_id=user.id, name=name.strip()))
    except IntegrityError:
        return False
    return True


def remove_student(classroom: Classroom, user_id: int) -> bool:
    """Take a student out of the class; their attempts stay. False if not a member."""
    found = membership(classroom.id, user_id)
    if found is None or found.removed_at is not None:
        return False
    found.removed_at = utcnow()
    db.session.flush()
    return True


def restore_student(classroom: Classroom, user_id: int) -> bool:
    """Put a removed student back in the class. False if they were not removed."""
    found = membership(classroom.id, user_id)
    if found is None or found.removed_at is None:
        return False
    found.removed_at = None
    db.session.flush()
    return True


def add_instructor(classroom: Classroom, email: str) -> User:
    """Make the instructor account with ``email`` a co-instructor (flushed).

    Raises ValueError when no instructor account has that email, or it already teaches.
    """
    address = normalize_email(email)
    user = db.session.scalar(db.select(User).where(User.email == address))
    if user is None or user.role != Role.INSTRUCTOR.value:
        raise ValueError(
            f"No instructor account uses {address}. They need an instructor account first."
        )
    if is_instructor_of(user.id, classroom.id):
        raise ValueError(f"{address} already teaches {classroom.name}.")
    db.session.add(ClassInstructor(class_id=classroom.id, user_id=user.id))
    db.session.flush()
    return user


def is_instructor_of(user_id: int, class_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(ClassInstructor.user_id).where(
                ClassInstructor.class_id == class_id, ClassInstructor.user_id == user_id
            )
        )
        is not None
    )


def class_for_instructor(class_id: int, user: Account) -> Classroom:
    """The class if ``user`` teaches it: 404 when there is no such class, 403 otherwise."""
    classroom = db.get_or_404(Classroom, class_id)
    if not is_instructor_of(user.id, class_id):
        abort(403)
    return classroom


def taught_classes(user_id: int) -> list[Classroom]:
    """The classes ``user_id`` teaches, newest first."""
    return list(
        db.session.scalars(
            db.select(Classroom)
            .join(ClassInstructor, ClassInstructor.class_id == Classroom.id)
            .where(ClassInstructor.user_id == user_id)
            .order_by(Classroom.created_at.desc(), Classroom.id.desc())
        )
    )


def my_students_query(instructor_id: int):
    """Ids of the students currently in any class ``instructor_id`` teaches (a subquery)."""
    return (
        db.select(Membership.user_id)
        .join(ClassInstructor, ClassInstructor.class_id == Membership.class_id)
        .where(ClassInstructor.user_id == instructor_id, Membership.removed_at.is_(None))
    )


def teaches_student(instructor_id: int, student_id: int) -> bool:
    """Whether the student is in one of the instructor's classes now."""
    return (
        db.session.scalar(
            my_students_query(instructor_id).where(Membership.user_id == student_id).limit(1)
        )
        is not None
    )


def student_classes(user_id: int) -> list[Classroom]:
    """The classes a student is in now, by name."""
    return list(
        db.session.scalars(
            db.select(Classroom)
            .join(Membership, Membership.class_id == Classroom.id)
            .where(Membership.user_id == user_id, Membership.removed_at.is_(None))
            .order_by(Classroom.name, Classroom.id)
        )
    )


def members(class_id: int, *, removed: bool = False) -> Sequence[Membership]:
    """The class's students (or its removed ones) with their accounts, by email."""
    condition = Membership.removed_at.is_not(None) if removed else Membership.removed_at.is_(None)
    return list(
        db.session.scalars(
            db.select(Membership)
            .join(User, User.id == Membership.user_id)
            .options(db.contains_eager(Membership.user))
            .where(Membership.class_id == class_id, condition)
            .order_by(Membership.name, User.email)
        )
    )


def instructors(class_id: int) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .join(ClassInstructor, ClassInstructor.user_id == User.id)
            .where(ClassInstructor.class_id == class_id)
            .order_by(ClassInstructor.added_at, User.email)
        )
    )
