"""A year reads "2010" everywhere: the quiz feedback, the study card and the Anki card.

The feedback page and the Anki card once showed "2,010 year" while grading and the study
card said "2010"; questions/display.py is now the one place that formats it.
"""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile

from questions import Question as BankQuestion
from questions.anki import export_anki_bytes
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Question

from .helpers import start_quiz, submit

YEAR_ITEM = {
    "id": "history-year-treaty",
    "kind": "numeric",
    "section": "history",
    "paragraphs": [1],
    "difficulty": 1,
    "tags": [],
    "prompt": "In which year was the sample treaty signed?",
    "answer": 2010,
    "tolerance": 0,
    "unit": "year",
    "explanation": "The sample treaty dates from 2010.",
}


def _no_thousands_year(page: str) -> None:
    assert "2010" in page
    assert "2,010" not in page and "2010 year" not in page


def _load_year_item(app) -> int:
    with app.app_context():
        sync_bank([BankQuestion.from_dict(YEAR_ITEM)])
        db.session.commit()
        return db.session.scalar(db.select(Question.id).where(Question.uid == YEAR_ITEM["id"]))


def test_the_feedback_page_shows_a_year_without_a_thousands_separator(client, app, auth):
    _load_year_item(app)
    auth.login_as()
    attempt_id = start_quiz(client, "history", size=5)  # the pool holds one
    response = submit(client, attempt_id, 1, {"answer": "in 2011"})
    assert response.status_code == 302
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert '<span class="marked-label">The right answer</span> 2010' in page
    assert '<span class="marked-label">Your answer</span> 2011' in page
    _no_thousands_year(page)


def test_the_study_card_shows_a_year_without_a_thousands_separator(client, app, auth):
    question_id = _load_year_item(app)
    auth.login_as()
    page = client.get(f"/study/session?card={question_id}&back=1").get_data(as_text=True)
    back = page[page.index('class="card-back"') :]
    assert re.search(r'class="answer">\s*2010\s*<', back)
    _no_thousands_year(back)


def test_the_anki_card_shows_a_year_without_a_thousands_separator(tmp_path):
    data, count = export_anki_bytes([BankQuestion.from_dict(YEAR_ITEM)], timestamp=1.0)
    assert count == 1
    db_path = tmp_path / "collection.anki2"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        db_path.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(db_path) as conn:
        (fields,) = conn.execute("SELECT flds FROM notes").fetchone()
    answer = fields.split("\x1f")[2]
    assert answer == "2010"
