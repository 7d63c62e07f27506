"""The instructor's typed-response review, the regrade it makes, and students' appeals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from questions import grade
from webapp.extensions import db
from webapp.models import (
    Answer,
    AnswerRegrade,
    Appeal,
    Attempt,
    AttemptItem,
    Question,
    Regrade,
    Role,
    StudyCard,
)
from webapp.study.service import note_quiz_result

from .helpers import count_queries, csrf_token

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _answer(app, user_id: int | None, uid: str, response, *, finished: bool = True) -> int:
    """A one-question attempt by ``user_id`` answered ``response``; returns the attempt id."""
    with app.app_context():
        question = db.session.scalar(db.select(Question).where(Question.uid == uid))
        rev = question.current_revision
        result = grade(rev.to_question(), response)
        attempt = Attempt(
            user_id=user_id,
            guest_token=None if user_id else "guest-token",
            mode="section",
            sections=[question.section],
            size=1,
            started_at=WHEN,
            finished_at=WHEN if finished else None,
            score=result.score if finished else None,
        )
        item = AttemptItem(position=1, question_id=question.id, revision_id=rev.id)
        item.answer = Answer(
            response=response,
            score=result.score,
            correct=result.correct,
            grade=result.to_dict(),
            answered_at=WHEN,
        )
        attempt.items.append(item)
        db.session.add(attempt)
        if user_id is not None:
            note_quiz_result(user_id, question.id, result.correct, WHEN)
        db.session.commit()
        return attempt.id


def _scores(app) -> dict[int, tuple[float, float | None]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(Attempt.id, Answer.score, Attempt.score)
            .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
            .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        ).all()
        return {a: (s, t) for a, s, t in rows}


def _decide(client, question_id: int, key: str, decision: str):
    url = f"/instructor/questions/{question_id}/responses"
    return client.post(
        url, data={"key": key, "decision": decision, "csrf_token": csrf_token(client, url)}
    )


@pytest.fixture
def students(make_user):
    return [make_user(f"s{i}@example.com") for i in range(3)]


def test_accept_regrades_exactly_the_matching_answers_and_keeps_the_history(
    app, client, auth, bank, students
):
    amoor = [
        _answer(app, students[0], "history-short", "Amoor"),
        _answer(app, students[0], "history-short", "Amoor"),
        _answer(app, students[1], "history-short", "  AMOOR. "),
    ]
    volga = _answer(app, students[2], "history-short", "Volga")
    amur = _answer(app, students[2], "history-short", "Amur")
    before = _scores(app)
    assert [before[a][0] for a in amoor] == [0.0, 0.0, 0.0]
    instructor = auth.login_as(Role.INSTRUCTOR.value)

    page = client.get(f"/instructor/questions/{bank['history-short']}/responses")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "“Amoor”" in html and "“Volga”" in html and 'value="0:amoor"' in html

    response = _decide(client, bank["history-short"], "0:amoor", "accept")
    assert response.status_code == 302
    after = _scores(app)
    assert [after[a] for a in amoor] == [(1.0, 1.0)] * 3
    assert after[volga] == before[volga] and after[amur] == before[amur]
    with app.app_context():
        regrade = db.session.scalar(db.select(Regrade))
        assert (regrade.decision, regrade.response, regrade.by_id) == (
            "accept",
            "Amoor",
            instructor,
        )
        changes = db.session.scalars(db.select(AnswerRegrade)).all()
        assert [(c.old_score, c.new_score) for c in changes] == [(0.0, 1.0)] * 3
        question = db.session.get(Question, bank["history-short"])
        assert "Amoor" in question.current_revision.data["accept"]
        assert len(question.revisions) == 2
        # the quiz made the card due for the wrong answer; never studied, it goes
        assert (
            db.session.scalar(db.select(StudyCard).where(StudyCard.user_id == students[0])) is None
        )


def test_the_student_review_page_says_regraded(app, client, auth, bank, make_user):
    auth.login_as(Role.INSTRUCTOR.value, email="teacher@example.com")
    student = make_user("pupil@example.com")
    attempt = _answer(app, student, "history-short", "Amoor")
    _decide(client, bank["history-short"], "0:amoor", "accept")
    auth.logout()
    auth.login("pupil@example.com")
    html = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "Regraded on" in html and "Right" in html


def test_reject_makes_a_forgiven_slip_wrong_and_due_in_study(app, client, auth, bank, students):
    attempt = _answer(app, students[0], "history-short", "Heilongjang")
    assert _scores(app)[attempt][0] == 1.0
    auth.login_as(Role.INSTRUCTOR.value)
    assert _decide(client, bank["history-short"], "0:heilongjang", "reject").status_code == 302
    assert _scores(app)[attempt] == (0.0, 0.0)
    with app.app_context():
        assert db.session.get(Question, bank["history-short"]).current_revision.data["reject"] == [
            "Heilongjang"
        ]
        card = db.session.scalar(db.select(StudyCard).where(StudyCard.user_id == students[0]))
        assert card is not None


def test_a_response_no_longer_there_changes_nothing(app, client, auth, bank, students):
    _answer(app, students[0], "history-short", "Amoor")
    auth.login_as(Role.INSTRUCTOR.value)
    response = _decide(client, bank["history-short"], "0:neva", "accept")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nothing changed" in follow
    with app.app_context():
        assert db.session.scalar(db.select(Regrade)) is None
        assert len(db.session.get(Question, bank["history-short"]).revisions) == 1


def test_a_question_that_is_not_typed_has_no_review(client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    assert client.get(f"/instructor/questions/{bank['history-order']}/responses").status_code == 404


@pytest.mark.parametrize("url", ["/instructor/responses", "/instructor/questions/{id}/responses"])
def test_students_get_403_on_the_review_pages(client, auth, bank, url):
    auth.login_as(Role.STUDENT.value)
    assert client.get(url.format(id=bank["history-short"])).status_code == 403
    assert client.post(url.format(id=bank["history-short"]), data={}).status_code in (400, 403, 405)


def test_a_cloze_gap_is_grouped_and_accepted_per_gap(app, client, auth, bank, students):
    attempt = _answer(app, students[0], "economy-cloze", ["pipe line", "eest"])
    auth.login_as(Role.INSTRUCTOR.value)
    html = client.get(f"/instructor/questions/{bank['economy-cloze']}/responses").get_data(
        as_text=True
    )
    assert 'value="2:eest"' in html
    assert _scores(app)[attempt][0] == 0.5
    _decide(client, bank["economy-cloze"], "2:eest", "accept")
    assert _scores(app)[attempt] == (1.0, 1.0)


# --- appeals ------------------------------------------------------------------------------
def _appeal(client, attempt_id: int, *, token: bool = True):
    url = f"/attempts/{attempt_id}/items/1"
    data = {"csrf_token": csrf_token(client, url)} if token else {}
    return client.post(f"{url}/appeal", data=data)


def test_a_student_appeals_once_and_sees_its_state(app, client, auth, bank):
    student = auth.login_as(Role.STUDENT.value)
    attempt = _answer(app, student, "history-short", "Amoor")
    page = client.get(f"/attempts/{attempt}/items/1").get_data(as_text=True)
    assert "I think my answer is right" in page
    assert _appeal(client, attempt).status_code == 302
    page = client.get(f"/attempts/{attempt}/items/1").get_data(as_text=True)
    assert "waiting for the instructor" in page and "I think my answer is right" not in page
    assert _appeal(client, attempt).status_code in (302, 404)
    with app.app_context():
        assert len(db.session.scalars(db.select(Appeal)).all()) == 1


def test_an_appeal_needs_csrf(app, client, auth, bank):
    student = auth.login_as(Role.STUDENT.value)
    attempt = _answer(app, student, "history-short", "Amoor")
    assert _appeal(client, attempt, token=False).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Appeal)) is None


def test_nobody_appeals_another_students_answer(app, client, auth, bank, make_user):
    other = make_user("other@example.com")
    attempt = _answer(app, other, "history-short", "Amoor")
    auth.login_as(Role.STUDENT.value)
    token = csrf_token(client, "/")
    response = client.post(f"/attempts/{attempt}/items/1/appeal", data={"csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(Appeal)) is None


def test_right_answers_and_untyped_questions_cannot_be_appealed(app, client, auth, bank):
    student = auth.login_as(Role.STUDENT.value)
    right = _answer(app, student, "history-short", "Amur")
    untyped = _answer(app, student, "history-order", [3, 2, 1, 0])
    token = csrf_token(client, "/")
    for attempt in (right, untyped):
        response = client.post(f"/attempts/{attempt}/items/1/appeal", data={"csrf_token": token})
        assert response.status_code == 404


def test_guests_and_instructors_cannot_appeal(app, client, auth, bank):
    attempt = _answer(app, None, "history-short", "Amoor")
    guest = client.post(
        f"/attempts/{attempt}/items/1/appeal", data={"csrf_token": csrf_token(client, "/")}
    )
    assert guest.status_code == 302 and "/login" in guest.headers["Location"]
    auth.login_as(Role.INSTRUCTOR.value)
    token = csrf_token(client, "/")
    assert (
        client.post(f"/attempts/{attempt}/items/1/appeal", data={"csrf_token": token}).status_code
        == 403
    )


def _appealed_then_instructor(app, client, auth) -> int:
    """A student (appealer@example.com) appeals a wrong typed answer; then an instructor
    signs in. Returns the attempt."""
    student = auth.login_as(Role.STUDENT.value, email="appealer@example.com")
    attempt = _answer(app, student, "history-short", "Amoor")
    _appeal(client, attempt)
    auth.logout()
    auth.login_as(Role.INSTRUCTOR.value)
    return attempt


def test_an_appeal_shows_in_the_review_and_follows_the_decision(app, client, auth, bank):
    attempt = _appealed_then_instructor(app, client, auth)
    overview = client.get("/instructor/responses").get_data(as_text=True)
    assert "history-short" in overview
    page = client.get(f"/instructor/questions/{bank['history-short']}/responses")
    assert "1 waiting" in page.get_data(as_text=True)
    _decide(client, bank["history-short"], "0:amoor", "reject")
    with app.app_context():
        assert db.session.scalar(db.select(Appeal.state)) == "declined"
    auth.logout()
    auth.login("appealer@example.com")
    assert "declined" in client.get(f"/attempts/{attempt}/items/1").get_data(as_text=True)


def test_a_regrade_that_fails_midway_changes_nothing(
    app, client, auth, bank, students, monkeypatch
):
    attempts = [_answer(app, s, "history-short", "Amoor") for s in students[:2]]
    auth.login_as(Role.INSTRUCTOR.value)
    from webapp.instructor import responses

    calls = []

    def failing_grade(q, response):
        calls.append(response)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return grade(q, response)

    monkeypatch.setattr(responses, "grade", failing_grade)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = _decide(client, bank["history-short"], "0:amoor", "accept")
    assert response.status_code == 500
    assert [_scores(app)[a][0] for a in attempts] == [0.0, 0.0]
    with app.app_context():
        assert db.session.scalar(db.select(Regrade)) is None
        assert len(db.session.get(Question, bank["history-short"]).revisions) == 1


def test_accept_on_a_question_that_is_not_typed_is_404(app, client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    token = csrf_token(client, "/instructor/")
    response = client.post(
        f"/instructor/questions/{bank['history-order']}/responses",
        data={"key": "0:x", "decision": "accept", "csrf_token": token},
    )
    assert response.status_code == 404


def test_a_regrade_moves_the_students_attempt_totals_on_the_dashboard(
    app, client, auth, bank, students
):
    """The dashboard's count, best and mean read a kept row: a regrade that changes an
    attempt's score changes them, as a rebuild from the attempts would."""
    from webapp import aggregates

    _answer(app, students[0], "history-short", "Amoor")  # wrong until accepted: 0
    _answer(app, students[0], "history-short", "Amur")  # right: 1
    with app.app_context():
        aggregates.rebuild()
        db.session.commit()
        assert aggregates.attempt_totals(students[0]) == (2, 1.0, 0.5)
    auth.login_as(Role.INSTRUCTOR.value)
    assert _decide(client, bank["history-short"], "0:amoor", "accept").status_code == 302
    with app.app_context():
        kept = aggregates.attempt_totals(students[0])
        assert kept == (2, 1.0, 1.0)
        aggregates.rebuild()
        db.session.commit()
        assert aggregates.attempt_totals(students[0]) == kept


def test_an_accepted_appeal_still_shows_once_the_answer_counts_as_right(app, client, auth, bank):
    """Accepting regrades the answer right; its page still tells the student why."""
    attempt = _appealed_then_instructor(app, client, auth)
    _decide(client, bank["history-short"], "0:amoor", "accept")
    auth.logout()
    auth.login("appealer@example.com")
    page = client.get(f"/attempts/{attempt}/items/1").get_data(as_text=True)
    assert "accepted; your answer now counts as right" in page
    with app.app_context():
        assert db.session.scalar(db.select(Answer.correct)) is True


def test_only_a_typed_answers_page_looks_for_an_appeal(app, client, auth, bank):
    """Only a typed answer can be appealed, so the page of any other answer spends no
    statement looking for an appeal."""
    student = auth.login_as(Role.STUDENT.value)
    typed = _answer(app, student, "history-short", "Amoor")
    untyped = _answer(app, student, "history-order", [3, 2, 1, 0])
    with app.app_context():
        engine = db.engine
    for attempt, looks in ((typed, True), (untyped, False)):
        with count_queries(engine) as counted:
            assert client.get(f"/attempts/{attempt}/items/1").status_code == 200
        asked = any("FROM appeal" in s for s in counted.statements)
        assert asked is looks, counted.statements
