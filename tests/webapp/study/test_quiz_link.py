"""A question answered wrong in a quiz becomes due in flashcard study."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import User
from webapp.models.study import ReviewLog, StudyCard
from webapp.study import service

from ..helpers import item_state, post_form, right_form, start_quiz, submit, wrong_form


def _answer(client, app, bank, attempt_id: int, position: int, *, right: bool) -> int:
    """Answer one item right or wrong; the question's database id."""
    q, presentation = item_state(app, attempt_id, position)
    data = right_form(q, presentation) if right else wrong_form(q, presentation)
    assert submit(client, attempt_id, position, data).status_code == 302
    return bank[q.id]


def test_wrong_quiz_answer_makes_the_card_due_despite_the_new_card_limit(client, app, auth, bank):
    student = auth.login_as()
    post_form(client, "/study/settings", {"new_per_day": "0"})
    attempt = start_quiz(client, "history", size=5)
    wrong = _answer(client, app, bank, attempt, 1, right=False)
    right = _answer(client, app, bank, attempt, 2, right=True)
    with app.app_context():
        cards = {c.question_id: c for c in db.session.scalars(db.select(StudyCard))}
        assert set(cards) == {wrong}
        assert cards[wrong].user_id == student and cards[wrong].reps == 0
        assert db.session.scalar(db.select(db.func.count(ReviewLog.id))) == 0
        nxt = service.next_card(db.session.get(User, student), ["history"], cards[wrong].due)
        assert nxt.question.id == wrong
    page = client.get("/study/session?section=history").get_data(as_text=True)
    assert "Done for now" not in page  # with no new cards allowed, the wrong one is due
    assert right not in cards


def test_a_guest_quiz_touches_no_study_card(client, app, bank):
    attempt = start_quiz(client, "history", size=5)
    _answer(client, app, bank, attempt, 1, right=False)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StudyCard.id))) == 0
