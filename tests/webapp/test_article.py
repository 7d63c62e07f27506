"""The map of the article: /article, the digest under feedback, related items kept apart."""

from __future__ import annotations

import html

from questions import Question as BankQuestion
from questions import load_digests
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Attempt, Mode
from webapp.quiz import service

from . import fixture_bank
from .helpers import item_state, right_form, start_quiz, submit

DIGESTS = load_digests()


def test_the_article_page_lists_every_paragraph_with_its_digest(client, bank):
    page = html.unescape(client.get("/article").get_data(as_text=True))
    for (slug, _), text in DIGESTS.items():
        assert text in page
        assert f'id="{slug}"' in page
    # history-single cites history paragraph 1: its prompt is listed there
    assert fixture_bank.item("history-single")["prompt"] in page


def test_the_article_page_shows_a_students_mastery_per_paragraph(client, app, bank, auth):
    auth.login_as()
    assert "none answered yet" in client.get("/article").get_data(as_text=True)
    attempt_id = start_quiz(client, "history", size=10)
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, right_form(q, presentation))
    page = client.get("/article").get_data(as_text=True)
    assert "your last answers: 1 of 1 right" in page


def test_feedback_quotes_the_digest_of_the_cited_paragraph(client, app, bank):
    attempt_id = start_quiz(client, "history", size=10)
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, right_form(q, presentation))
    page = html.unescape(client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True))
    assert "What the article says there" in page
    for p in q.paragraphs:
        assert DIGESTS[(q.section, p)] in page


def test_related_questions_are_never_drawn_into_the_same_quiz(app):
    items = [
        {**i.to_dict(), "related": [f"history-gen-{n + 1}"]} if n % 2 == 0 else i.to_dict()
        for n, i in enumerate(fixture_bank.generated(8))
    ]
    with app.app_context():
        sync_bank([BankQuestion.from_dict(i) for i in items])
        db.session.commit()
        pairs = {(f"history-gen-{n}", f"history-gen-{n + 1}") for n in range(0, 8, 2)}
        for _ in range(25):
            attempt = service.create_attempt(
                mode=Mode.SECTION, sections=["history"], size=8, user_id=None, guest_token="t"
            )
            drawn = {it.question.uid for it in db.session.get(Attempt, attempt.id).items}
            assert len(drawn) == 4  # one of each related pair, never both
            assert not any(a in drawn and b in drawn for a, b in pairs)
