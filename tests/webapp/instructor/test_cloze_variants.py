"""The cloze form's accepted variants, blank by blank in rows of their own.

The CSV import's mini-syntax (``2=US|2=USA``) typed into a row is refused with a message
at that row, never saved as one odd variant; the right form (US and USA in rows of blank
2) saves both, and a student who types "US" in the quiz is marked right.
"""

from __future__ import annotations

import re

import pytest

from questions import Question as BankQuestion
from webapp.extensions import db
from webapp.models import Question, Role

from ..helpers import item_state, post_form, start_quiz, submit
from .conftest import payload

PROMPT = "The pipeline runs from {{c1::Russia}} and the deal was signed in {{c2::America}}."
URL = "/instructor/questions/new/cloze"


def _saved(app, uid: str) -> BankQuestion | None:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        return None if row is None else row.current_revision.to_question()


def _rows(**rows: str) -> dict[str, str]:
    """Form fields of the two blanks: ``g2a0="US"`` is blank 2's first "also right" row."""
    data = {"gaps-0-number": "1", "gaps-1-number": "2"}
    for key, value in rows.items():
        gap, name, row = re.fullmatch(r"g(\d)([ar])(\d)", key).groups()
        field = "accept" if name == "a" else "reject"
        data[f"gaps-{int(gap) - 1}-{field}-{row}"] = value
    return data


def _error_at(html: str, field_id: str) -> str:
    """The message shown at one row (its error block, tied to the input)."""
    assert f'id="{field_id}" ' in html or f'id="{field_id}"' in html
    found = re.search(
        rf'<div class="error row-error" id="{field_id}-error">(.*?)</div>', html, re.S
    )
    assert found, f"no message at {field_id}"
    assert f'aria-describedby="{field_id}-error"' in html
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_a_new_cloze_shows_each_blank_of_the_prompt_with_its_answer(client, instructor):
    data = payload("cloze", uid="history-blanks", prompt=PROMPT, save=None)
    data.update(update_gaps="Update the blanks from the prompt")
    html = post_form(client, URL, data).get_data(as_text=True)
    assert '<strong>Blank 1</strong>: <span class="blank-answer">Russia</span>' in html
    assert '<strong>Blank 2</strong>: <span class="blank-answer">America</span>' in html
    # two empty "also right" rows and one "marked wrong" row for each blank
    assert 'name="gaps-1-accept-1"' in html and 'name="gaps-1-accept-2"' not in html
    assert 'name="gaps-1-reject-0"' in html and 'name="gaps-1-reject-1"' not in html
    assert "was not saved" not in html


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2=US|2=USA", "this row holds 2 (“US” and “USA”)"),
        ("US|USA", "One answer a row: this row holds 2"),
        ("2=USA", "Leave out “2=”: this row already belongs to blank 2."),
    ],
)
def test_the_csv_syntax_in_a_row_is_refused_with_a_message_at_that_row(
    app, client, instructor, typed, words
):
    data = payload("cloze", uid="history-trap", prompt=PROMPT, **_rows(g2a0=typed))
    response = post_form(client, URL, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in _error_at(html, "gaps-1-accept-0")
    assert f'value="{typed}"' in html  # kept, to be corrected
    assert _saved(app, "history-trap") is None


def test_add_a_row_adds_an_empty_row_to_that_blank_only(client, instructor):
    data = payload("cloze", uid="history-add", prompt=PROMPT, save=None)
    data.update(_rows(g2a0="US", g2a1="USA"), **{"gaps-1-add_accept": "Add a row"})
    html = post_form(client, URL, data).get_data(as_text=True)
    assert 'name="gaps-1-accept-3"' in html  # US, USA, the spare row and the one asked for
    assert 'name="gaps-0-accept-2"' not in html
    assert 'value="USA"' in html


def test_a_blank_taken_out_of_the_prompt_keeps_its_rows_and_says_so(app, client, instructor):
    prompt = "The pipeline runs from {{c1::Russia}}."
    data = payload("cloze", uid="history-gone", prompt=prompt, **_rows(g2a0="US"))
    html = post_form(client, URL, data).get_data(as_text=True)
    assert '<strong>Blank 2</strong> <span class="meta">(not in the prompt)</span>' in html
    assert 'value="US"' in html
    assert "Blank 2 is no longer in the prompt: empty its rows or put {{c2::…}} back." in html
    assert _saved(app, "history-gone") is None


def test_the_right_form_saves_both_variants_and_a_student_typing_us_is_right(
    app, client, instructor, auth
):
    data = payload("cloze", uid="history-us", prompt=PROMPT, **_rows(g2a0="US", g2a1="USA"))
    response = post_form(client, URL, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    q = _saved(app, "history-us")
    assert q is not None and q.accept[2] == ("US", "USA")
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-us"))
        question_id = row.id
    post_form(
        client,
        f"/instructor/questions/{question_id}/status",
        {"status": "published"},
        page=f"/instructor/questions/{question_id}",
    )
    auth.logout()
    auth.login_as(Role.STUDENT.value, email="pupil@example.com")
    attempt = start_quiz(client, "history", size=1)
    shown, _ = item_state(app, attempt, 1)
    assert shown.id == "history-us"
    assert submit(client, attempt, 1, {"blank-0": "Russia", "blank-1": "US"}).status_code == 302
    page = client.get(f"/attempts/{attempt}/items/1").get_data(as_text=True)
    assert "Right!" in page
    assert '<span class="visually-hidden">Blank 2, right:</span> US' in page


def test_editing_shows_the_saved_variants_in_their_rows(app, client, instructor):
    data = payload("cloze", uid="history-edit", prompt=PROMPT, **_rows(g2a0="US", g2r0="UK"))
    assert post_form(client, URL, data).status_code == 302
    with app.app_context():
        question_id = db.session.scalar(
            db.select(Question.id).where(Question.uid == "history-edit")
        )
    html = client.get(f"/instructor/questions/{question_id}/edit").get_data(as_text=True)
    assert re.search(r'name="gaps-1-accept-0"[^>]*value="US"', html)
    assert re.search(r'name="gaps-1-reject-0"[^>]*value="UK"', html)
    assert 'name="gaps-0-accept-1"' in html  # blank 1: its two empty rows
