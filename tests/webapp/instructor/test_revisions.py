"""Editing keeps the id and adds a revision; answers stay with the revision they answered."""

from datetime import UTC, datetime

from webapp.extensions import db
from webapp.models import Answer, Attempt, AttemptItem, Question, QuestionRevision, Status

from ..helpers import post_form
from .conftest import payload


def _answer_revision_one(app, question_id: int, user_id: int) -> int:
    """A finished attempt whose one item answered the question's current revision."""
    with app.app_context():
        row = db.session.get(Question, question_id)
        when = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        attempt = Attempt(
            user_id=user_id,
            mode="section",
            sections=["history"],
            size=1,
            started_at=when,
            finished_at=when,
            score=1.0,
        )
        item = AttemptItem(
            attempt=attempt,
            position=1,
            question_id=row.id,
            revision_id=row.current_revision_id,
            presentation={},
        )
        db.session.add_all([attempt, item])
        db.session.flush()
        db.session.add(
            Answer(
                attempt_item_id=item.id,
                response=True,
                score=1.0,
                correct=True,
                feedback="",
                answered_at=when,
            )
        )
        db.session.commit()
        return item.id


def test_editing_a_published_question_keeps_its_id_and_its_answers(app, client, instructor, bank):
    qid = bank["history-tf"]
    item_id = _answer_revision_one(app, qid, instructor)
    edit = f"/instructor/questions/{qid}/edit"
    # The statement flips: the old answer "true" was right for revision 1 and stays right.
    response = post_form(
        client,
        edit,
        payload("true_false", uid=None, answer_bool="false", prompt="The border is short."),
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Question, qid)
        assert row.uid == "history-tf"
        assert row.status == Status.PUBLISHED.value
        revs = db.session.scalars(
            db.select(QuestionRevision)
            .where(QuestionRevision.question_id == qid)
            .order_by(QuestionRevision.number)
        ).all()
        assert [r.number for r in revs] == [1, 2]
        assert row.current_revision_id == revs[1].id
        assert revs[0].data["answer"] is True and revs[1].data["answer"] is False
        assert revs[1].author.email == "prof@example.com"
        assert revs[1].created_at.tzinfo is not None
        assert "prompt" in revs[1].summary and "answer" in revs[1].summary
        item = db.session.get(AttemptItem, item_id)
        assert item.revision_id == revs[0].id
        assert item.answer.score == 1.0 and item.answer.correct


def test_saving_without_a_change_adds_no_revision(app, client, instructor, bank):
    qid = bank["economy-cloze"]
    edit = f"/instructor/questions/{qid}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "pipeline" in page
    data = {
        "section": "economy-energy",
        "paragraphs": "3",
        "difficulty": "1",
        "tags": "",
        "prompt": "Gas flows through the {{c1::pipeline}} to the {{c2::east::direction}}.",
        "accept": "",
        "explanation": "The pipeline carries gas eastwards.",
        "save": "Save",
    }
    response = post_form(client, edit, data)
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.get(Question, qid).revisions) == 1


def test_history_lists_who_when_and_the_changed_fields(app, client, instructor, bank):
    qid = bank["history-short"]
    post_form(
        client,
        f"/instructor/questions/{qid}/edit",
        {
            "section": "history",
            "paragraphs": "3",
            "difficulty": "2",
            "tags": "",
            "prompt": "Name the border river that starts with A.",
            "answer_text": "Amur",
            "accept": "Heilongjiang\nAmur River",
            "explanation": "The Amur is called Heilongjiang in China.",
            "save": "Save",
        },
    )
    html = client.get(f"/instructor/questions/{qid}/history").get_data(as_text=True)
    assert "Revision 2 (current)" in html
    assert "prof@example.com" in html
    assert "changed difficulty, accept" in html
    diff = html.split('id="revision-2"', 1)[1].split('id="revision-1"', 1)[0]
    assert "<dt>difficulty</dt>" in diff
    assert "<dt>accept</dt>" in diff and "Amur River" in diff
    assert "<dt>prompt</dt>" not in diff


def test_life_cycle_publish_retire_and_back_to_draft(app, client, instructor):
    post_form(
        client, "/instructor/questions/new/true_false", payload("true_false", uid="history-cycle")
    )
    with app.app_context():
        qid = db.session.scalar(db.select(Question.id).where(Question.uid == "history-cycle"))
    page = f"/instructor/questions/{qid}"
    for target in ("published", "retired", "draft", "published"):
        response = post_form(client, f"{page}/status", {"status": target}, page=page)
        assert response.status_code == 302
        with app.app_context():
            assert db.session.get(Question, qid).status == target


def test_a_status_change_needs_its_csrf_token(app, client, instructor, bank):
    response = client.post(
        f"/instructor/questions/{bank['history-tf']}/status", data={"status": "retired"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Question, bank["history-tf"]).status == "published"


def test_an_unknown_status_is_refused(app, client, instructor, bank):
    page = f"/instructor/questions/{bank['history-tf']}"
    response = post_form(client, f"{page}/status", {"status": "deleted"}, page=page)
    assert response.status_code == 400
