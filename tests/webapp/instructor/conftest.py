"""Shared pieces of the instructor tests: a logged-in instructor and form payloads."""

from __future__ import annotations

import pytest

from webapp.models import Role


@pytest.fixture
def instructor(auth) -> int:
    """Log the test client in as an instructor; the user's id."""
    return auth.login_as(Role.INSTRUCTOR.value, email="prof@example.com")


COMMON = {
    "section": "history",
    "paragraphs": "1",
    "difficulty": "1",
    "tags": "rivers",
    "explanation": "A short reason that teaches the point.",
    "save": "Save",
}

# A valid form submission of every kind (field names as the form renders them).
GOOD: dict[str, dict[str, str]] = {
    "single_choice": {
        "prompt": "Which river is longest here?",
        "options-0-text": "Amur",
        "key": "0",
        "options-1-text": "Volga",
        "options-2-text": "Don",
    },
    "multiple_select": {
        "prompt": "Which are border rivers?",
        "options-0-text": "Amur",
        "options-0-correct": "y",
        "options-1-text": "Ussuri",
        "options-1-correct": "y",
        "options-2-text": "Thames",
    },
    "true_false": {"prompt": "The border is long.", "answer_bool": "true"},
    "short_answer": {
        "prompt": "Name the river.",
        "answer_text": "Amur",
        "accept": "Heilongjiang\nBlack Dragon",
    },
    "numeric": {
        "prompt": "How many litres in a cubic metre?",
        "answer_number": "1,000",
        "tolerance": "5",
        "unit": "litres",
    },
    "ordering": {
        "prompt": "Order these years.",
        "items-0": "1689",
        "items-1": "1858",
        "items-2": "1960",
    },
    "matching": {
        "prompt": "Match fuel and carrier.",
        "pairs-0-left": "Gas",
        "pairs-0-right": "Pipe",
        "pairs-1-left": "Oil",
        "pairs-1-right": "Tanker",
        "pairs-2-left": "Coal",
        "pairs-2-right": "Wagon",
        "distractors": "Balloon",
    },
    "cloze": {
        "prompt": "Gas flows to {{c1::China}}.",
        "gaps-0-number": "1",
        "gaps-0-accept-0": "the PRC",
    },
    "basic": {"prompt": "Capital of Russia?", "answer_text": "Moscow"},
}


def payload(kind: str, uid: str | None = None, **changes: str) -> dict[str, str]:
    """A valid submission for ``kind``, with ``changes`` applied (None drops a field)."""
    data = {**COMMON, **GOOD[kind], "uid": uid or f"history-new-{kind.replace('_', '-')}"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def teach_every_student(app, instructor_id: int) -> None:
    """Put every student account in a class ``instructor_id`` teaches: an instructor sees
    only the students of their own classes."""
    from webapp.classes.service import create_class, join
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        owner = db.session.get(User, instructor_id)
        classroom = create_class(name="Everyone", term=None, time_zone="UTC", owner=owner)
        for user in db.session.scalars(db.select(User).where(User.role == Role.STUDENT.value)):
            join(classroom, user, name=user.email)
        db.session.commit()
