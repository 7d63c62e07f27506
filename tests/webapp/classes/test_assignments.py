"""Assignments: opening and due times, attempts allowed, which counts, late work, answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.models import Attempt, AttemptItem, StudyCard
from webapp.quiz.service import count_mistakes

from ..helpers import answer_all, item_state, post_form, right_form, submit, wrong_form
from .conftest import (
    attempt_id_of,
    code_of,
    create_assignment,
    create_class,
    join,
    local,
    set_times,
    start,
)

EXPLANATION = "The Amur runs along much of the border."  # history-single's


@pytest.fixture
def klass(app, teacher, person, bank):
    """A class with one student in it: (class id, student)."""
    class_id = create_class(teacher)
    student = person()
    assert join(student, code_of(app, class_id)).status_code == 302
    return class_id, student


def _now():
    return datetime.now(UTC)


def test_an_assignment_attempt_is_an_attempt_like_any_other(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id, size="3")
    attempt_id = attempt_id_of(start(student, assignment_id))
    answer_all(student.client, app, attempt_id, right=False)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.assignment_id == assignment_id
        assert attempt.user_id == student.user_id and attempt.is_finished
        # it feeds the mistakes review and the flashcards
        assert count_mistakes(student.user_id) == 3
        assert db.session.scalar(db.select(db.func.count(StudyCard.id))) == 3
    assert f"/attempts/{attempt_id}" in student.client.get("/dashboard").get_data(as_text=True)


def test_the_student_sees_what_is_due_in_order_with_its_status(app, teacher, klass):
    class_id, student = klass
    later = create_assignment(
        app, teacher, class_id, title="Later", due_at=local(_now() + timedelta(days=9))
    )
    sooner = create_assignment(
        app, teacher, class_id, title="Sooner", due_at=local(_now() + timedelta(days=2))
    )
    upcoming = create_assignment(
        app,
        teacher,
        class_id,
        title="Upcoming",
        opens_at=local(_now() + timedelta(days=3)),
        due_at=local(_now() + timedelta(days=10)),
    )
    missed = create_assignment(app, teacher, class_id, title="Missed")
    set_times(app, missed, opens_at=_now() - timedelta(days=3), due_at=_now() - timedelta(days=1))
    answer_all(student.client, app, attempt_id_of(start(student, sooner)), right=True)
    attempt_id_of(start(student, later))  # started, not finished
    page = student.client.get("/assignments").get_data(as_text=True)
    order = [page.index(t) for t in ("Missed", "Sooner", "Later", "Upcoming")]
    assert order == sorted(order)
    assert "Done · 100%" in page
    assert "In progress" in page
    assert "Upcoming" in page and "opens" in page
    assert "Missed</span>" in page
    home = student.client.get("/").get_data(as_text=True)
    assert "Due in your classes" in home and "Later" in home and "Sooner" not in home
    del upcoming


def test_an_assignment_does_not_start_before_it_opens(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(
        app, teacher, class_id, opens_at=local(_now() + timedelta(hours=2))
    )
    response = start(student, assignment_id)
    assert response.headers["Location"] == "/assignments"
    assert "not open yet" in student.client.get("/assignments").get_data(as_text=True)
    set_times(app, assignment_id, opens_at=_now() - timedelta(minutes=1))
    attempt_id_of(start(student, assignment_id))


def test_start_resumes_the_open_attempt_and_counts_attempts_allowed(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id, attempts_allowed="2")
    first = attempt_id_of(start(student, assignment_id))
    assert attempt_id_of(start(student, assignment_id)) == first  # resumed, not a new one
    answer_all(student.client, app, first)
    second = attempt_id_of(start(student, assignment_id))
    assert second != first
    answer_all(student.client, app, second)
    refused = start(student, assignment_id)
    assert refused.headers["Location"] == "/assignments"
    page = student.client.get("/assignments").get_data(as_text=True)
    assert "You have used the 2 attempts allowed." in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 2


def test_unlimited_attempts(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id, attempts_allowed="unlimited")
    for _ in range(4):
        answer_all(student.client, app, attempt_id_of(start(student, assignment_id)))
    assert "Try again" in student.client.get("/assignments").get_data(as_text=True)


@pytest.mark.parametrize(("counts", "expected"), [("best", "3"), ("last", "0")])
def test_the_best_or_the_last_attempt_counts(app, teacher, klass, counts, expected):
    class_id, student = klass
    assignment_id = create_assignment(
        app, teacher, class_id, attempts_allowed="unlimited", counts=counts
    )
    answer_all(student.client, app, attempt_id_of(start(student, assignment_id)), right=True)
    answer_all(student.client, app, attempt_id_of(start(student, assignment_id)), right=False)
    csv_text = teacher.client.get(f"/instructor/classes/{class_id}/gradebook.csv").get_data(
        as_text=True
    )
    assert csv_text.splitlines()[1].endswith("," + expected)


def test_late_work_refused_closes_the_attempt_at_the_due_time(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id, late_policy="refuse")
    attempt_id = attempt_id_of(start(student, assignment_id))
    q, presentation = item_state(app, attempt_id, 1)
    assert submit(student.client, attempt_id, 1, right_form(q, presentation)).status_code == 302
    due = _now() - timedelta(minutes=5)
    set_times(app, assignment_id, opens_at=due - timedelta(days=1), due_at=due)
    q, presentation = item_state(app, attempt_id, 2)
    response = submit(student.client, attempt_id, 2, right_form(q, presentation))
    assert response.status_code == 302
    page = student.client.get(response.headers["Location"], follow_redirects=True)
    assert "no longer takes answers" in page.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_at == due.replace(microsecond=due.microsecond)  # not late
        assert attempt.score == pytest.approx(1 / 3)
        item = db.session.scalar(
            db.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 2
            )
        )
        assert item.answer is None
    assert start(student, assignment_id).headers["Location"] == "/assignments"
    listing = student.client.get("/assignments").get_data(as_text=True)
    assert "takes no late work" in listing
    assert "Done · 33%" in listing


def test_late_work_accepted_is_marked_late(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id, late_policy="accept")
    set_times(
        app, assignment_id, opens_at=_now() - timedelta(days=2), due_at=_now() - timedelta(days=1)
    )
    assert "Start late" in student.client.get("/assignments").get_data(as_text=True)
    answer_all(student.client, app, attempt_id_of(start(student, assignment_id)))
    assert "Late · 100%" in student.client.get("/assignments").get_data(as_text=True)
    book = teacher.client.get(f"/instructor/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "late</span>" in book
    results = teacher.client.get(
        f"/instructor/classes/{class_id}/assignments/{assignment_id}"
    ).get_data(as_text=True)
    assert "badge-late" in results


def _first_item_page(student, attempt_id):
    return student.client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)


def _answer_first_right(app, student, attempt_id):
    q, presentation = item_state(app, attempt_id, 1)
    submit(student.client, attempt_id, 1, right_form(q, presentation))


def test_answers_shown_after_each_question(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(
        app, teacher, class_id, source="questions", question_ids="history-single, history-tf"
    )
    attempt_id = attempt_id_of(start(student, assignment_id))
    q, presentation = item_state(app, attempt_id, 1)
    submit(student.client, attempt_id, 1, right_form(q, presentation))
    assert q.explanation in _first_item_page(student, attempt_id)


def test_answers_shown_after_the_attempt(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(
        app,
        teacher,
        class_id,
        source="questions",
        question_ids="history-single history-tf",
        show_answers="attempt",
    )
    attempt_id = attempt_id_of(start(student, assignment_id))
    q, presentation = item_state(app, attempt_id, 1)
    submit(student.client, attempt_id, 1, right_form(q, presentation))
    page = _first_item_page(student, attempt_id)
    assert q.explanation not in page
    assert "Your answer is saved" in page and "once you finish the assignment" in page
    q2, presentation2 = item_state(app, attempt_id, 2)
    submit(student.client, attempt_id, 2, wrong_form(q2, presentation2))
    assert q.explanation in _first_item_page(student, attempt_id)
    assert q2.explanation in student.client.get(f"/attempts/{attempt_id}").get_data(as_text=True)


def test_answers_shown_after_the_due_time(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(
        app,
        teacher,
        class_id,
        source="questions",
        question_ids="history-single",
        show_answers="due",
    )
    attempt_id = attempt_id_of(start(student, assignment_id))
    _answer_first_right(app, student, attempt_id)  # the only question: the attempt ends
    review = student.client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert EXPLANATION not in review and "Amur</" not in review
    assert "handed in" in review and "after the due time" in review
    assert EXPLANATION not in _first_item_page(student, attempt_id)
    # no way round it: "retry the ones I missed" waits too
    retry = post_form(student.client, f"/attempts/{attempt_id}/retry", page="/")
    assert retry.headers["Location"] == f"/attempts/{attempt_id}"
    set_times(
        app,
        assignment_id,
        opens_at=_now() - timedelta(days=2),
        due_at=_now() - timedelta(minutes=1),
    )
    assert EXPLANATION in student.client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert EXPLANATION in _first_item_page(student, attempt_id)


def test_a_fixed_list_is_ordered_and_shuffled_per_student(app, teacher, person, bank):
    class_id = create_class(teacher)
    ids = sorted(bank)
    assignment_id = create_assignment(
        app, teacher, class_id, source="questions", question_ids="\n".join(ids)
    )
    orders = []
    for n in range(2):
        student = person()
        join(student, code_of(app, class_id), name=f"Student {n}")
        attempt_id = attempt_id_of(start(student, assignment_id))
        with app.app_context():
            items = db.session.scalars(
                db.select(AttemptItem)
                .where(AttemptItem.attempt_id == attempt_id)
                .order_by(AttemptItem.position)
            ).all()
            orders.append([it.question_id for it in items])
    assert sorted(orders[0]) == sorted(orders[1]) == sorted(bank.values())
    assert orders[0] != orders[1]


def test_unknown_question_ids_are_named(app, teacher, bank):
    class_id = create_class(teacher)
    url = f"/instructor/classes/{class_id}/assignments/new"
    now = _now()
    response = post_form(
        teacher.client,
        url,
        {
            "title": "Fixed",
            "source": "questions",
            "question_ids": "history-single, no-such-item",
            "opens_at": local(now),
            "due_at": local(now + timedelta(days=1)),
            "attempts_allowed": "1",
            "counts": "best",
            "show_answers": "each",
            "late_policy": "refuse",
        },
    )
    assert response.status_code == 422
    assert "No published question has the id no-such-item." in response.get_data(as_text=True)


def test_an_assignment_attempt_cannot_be_discarded(app, teacher, klass):
    class_id, student = klass
    assignment_id = create_assignment(app, teacher, class_id)
    attempt_id = attempt_id_of(start(student, assignment_id))
    post_form(student.client, f"/attempts/{attempt_id}/discard", page="/")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id) is not None


def test_only_members_start_an_assignment(app, teacher, klass, person):
    class_id, _ = klass
    assignment_id = create_assignment(app, teacher, class_id)
    outsider = person()
    response = post_form(
        outsider.client, f"/assignments/{assignment_id}/start", page="/assignments"
    )
    assert response.status_code == 403
    assert "Week 1 quiz" not in outsider.client.get("/assignments").get_data(as_text=True)
