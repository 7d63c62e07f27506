"""SQL statements per page stay flat as the bank and a student's history grow."""

from webapp import aggregates
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Answer, Attempt, AttemptItem, Question, utcnow

from . import fixture_bank
from .helpers import count_queries, csrf_from, item_state, right_form, start_quiz


def _grow(app, *, user_id: int, bank_size: int, answers: int, offset: int) -> None:
    """Add generated questions up to ``bank_size`` and ``answers`` answers of history."""
    with app.app_context():
        existing = db.session.scalar(db.select(db.func.count(Question.id)))
        sync_bank(
            [
                *fixture_bank.questions(),
                *fixture_bank.generated(bank_size - len(fixture_bank.ITEMS)),
            ]
        )
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Question.id))) >= existing
        questions = list(db.session.scalars(db.select(Question).order_by(Question.id)))
        per_attempt = 5
        for start in range(0, answers, per_attempt):
            attempt = Attempt(
                user_id=user_id,
                mode="section",
                sections=["history"],
                size=per_attempt,
                started_at=utcnow(),
                finished_at=utcnow(),
                score=0.6,
            )
            for position in range(1, per_attempt + 1):
                q = questions[(offset + start + position) % len(questions)]
                item = AttemptItem(
                    position=position,
                    question_id=q.id,
                    revision_id=q.current_revision_id,
                    presentation={},
                )
                correct = position % 2 == 0
                item.answer = Answer(
                    response=None, score=float(correct), correct=correct, answered_at=utcnow()
                )
                attempt.items.append(item)
            db.session.add(attempt)
        # The history was written behind the app's back: count it, as `stats rebuild` does.
        aggregates.rebuild()
        db.session.commit()


def _measure(app, client) -> dict[str, int]:
    attempt_id = start_quiz(client, "history", size=5)
    url = f"/attempts/{attempt_id}/items/1"
    token = csrf_from(client.get(url).data)
    q, presentation = item_state(app, attempt_id, 1)
    counts = {}
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as c:
        assert client.get(url).status_code == 200
    counts["quiz page"] = c.count
    with count_queries(engine) as c:
        response = client.post(url, data={**right_form(q, presentation), "csrf_token": token})
        assert response.status_code == 302
    counts["answer"] = c.count
    with count_queries(engine) as c:
        assert client.get("/dashboard").status_code == 200
    counts["dashboard"] = c.count
    with count_queries(engine) as c:
        assert client.get("/").status_code == 200
    counts["home"] = c.count
    return counts


def test_queries_do_not_grow_with_bank_size_or_history(app, client, auth):
    user_id = auth.login_as("student")
    _grow(app, user_id=user_id, bank_size=10, answers=5, offset=0)
    small = _measure(app, client)
    _grow(app, user_id=user_id, bank_size=300, answers=300, offset=7)
    large = _measure(app, client)
    assert small == large, (small, large)
    assert all(n <= 12 for n in large.values()), large


def test_a_question_and_a_right_answer_take_two_and_six_statements_or_five(app, client, auth):
    """The item comes with its attempt and the attempt's progress in one query, and the
    redirect after an answer does not reload the (expired) attempt: the hot path of a quiz
    stays this short."""
    user_id = auth.login_as("student")
    _grow(app, user_id=user_id, bank_size=10, answers=5, offset=0)
    counts = _measure(app, client)
    # page: user, item with attempt/revision/answer and the attempt's progress
    assert counts["quiz page"] == 2, counts
    # answer: user, item with attempt/revision/answer and the attempt's progress, the
    # rate-limit count (one upsert), insert, the student's kept figures (section row,
    # question row: webapp.aggregates; one statement on PostgreSQL, which takes the
    # section's upsert as a WITH clause)
    on_postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert counts["answer"] == (5 if on_postgresql else 6), counts
