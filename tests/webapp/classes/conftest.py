"""Classes through their real forms: instructors and students each with their own client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.models import Assignment, Classroom, Role

from ..conftest import AuthActions
from ..helpers import post_form


@dataclass
class Person:
    """A signed-in user with their own test client (their own cookies)."""

    client: object
    user_id: int
    email: str


@pytest.fixture
def person(app, make_user):
    """``person(role)``: a new account of ``role``, logged in on a client of its own."""

    def _make(role: str = Role.STUDENT.value, email: str | None = None) -> Person:
        client = app.test_client()
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        user_id = AuthActions(client, make_user).login_as(role, email=email)
        return Person(client, user_id, email)

    return _make


@pytest.fixture
def teacher(person) -> Person:
    return person(Role.INSTRUCTOR.value, "teacher@example.com")


def create_class(teacher: Person, name: str = "Year 12 politics", zone: str = "UTC") -> int:
    """Create a class through its form; the new class's id."""
    response = post_form(
        teacher.client,
        "/instructor/classes/new",
        {"name": name, "term": "Spring 2027", "time_zone": zone},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def code_of(app, class_id: int) -> str:
    with app.app_context():
        return db.session.get(Classroom, class_id).join_code


def join(student: Person, code: str, name: str = "Ana Student"):
    """Open the join link and confirm; the POST's response."""
    return post_form(student.client, f"/join/{code}", {"name": name})


def local(dt: datetime) -> str:
    """A datetime as a datetime-local field sends it."""
    return dt.strftime("%Y-%m-%dT%H:%M")


def create_assignment(app, teacher: Person, class_id: int, **fields) -> int:
    """Set an assignment through its form (open now, due in a week, 3 history questions
    unless told otherwise); its id."""
    now = datetime.now(UTC)
    data = {
        "title": "Week 1 quiz",
        "source": "sections",
        "sections": ["history"],
        "size": "3",
        "question_ids": "",
        "opens_at": local(now - timedelta(hours=1)),
        "due_at": local(now + timedelta(days=7)),
        "attempts_allowed": "1",
        "counts": "best",
        "show_answers": "each",
        "late_policy": "refuse",
    }
    data.update(fields)
    url = f"/instructor/classes/{class_id}/assignments/new"
    response = post_form(teacher.client, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return newest_assignment(app, class_id)


def newest_assignment(app, class_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(Assignment.id)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.id.desc())
            .limit(1)
        )


def start(student: Person, assignment_id: int):
    """Press Start (or Resume) on /assignments; the response."""
    return post_form(student.client, f"/assignments/{assignment_id}/start", page="/assignments")


def attempt_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/attempts/"), location
    return int(location.rsplit("/", 1)[1])


def set_times(app, assignment_id: int, *, opens_at=None, due_at=None) -> None:
    """Move an assignment's opening or due time (as if time had passed)."""
    with app.app_context():
        found = db.session.get(Assignment, assignment_id)
        if opens_at is not None:
            found.opens_at = opens_at
        if due_at is not None:
            found.due_at = due_at
        db.session.commit()
