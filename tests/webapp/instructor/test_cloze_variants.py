"""The cloze form's accepted variants: the CSV mini-syntax is refused, not saved as one."""

from __future__ import annotations

import pytest

from questions import Question as BankQuestion
from questions import grade
from webapp.extensions import db
from webapp.models import Question

from ..helpers import post_form
from .conftest import payload

PROMPT = "The pipeline runs from {{c1::Russia}} and the deal was signed in {{c2::America}}."
URL = "/instructor/questions/new/cloze"


def _saved(app, uid: str) -> BankQuestion | None:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        return None if row is None else row.current_revision.to_question()


@pytest.mark.parametrize(
    ("accept", "words"),
    [
        ("2=US|2=USA", "Put one accepted answer on each line: &#39;2=US|2=USA&#39; holds 2"),
        ("2=US|USA", "A | does not separate answers here"),
        ("2=US 2=USA", "Put one accepted answer on each line"),
        ("US", "Start the line &#39;US&#39; with the blank&#39;s number"),
        ("2=", "gives no answer after the ="),
    ],
)
def test_the_csv_syntax_in_one_line_is_refused_with_a_message(
    app, client, instructor, accept, words
):
    data = payload("cloze", uid="history-trap", prompt=PROMPT, accept=accept)
    response = post_form(client, URL, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in html
    assert _saved(app, "history-trap") is None


def test_one_variant_a_line_saves_both_and_us_is_right(app, client, instructor):
    data = payload("cloze", uid="history-us", prompt=PROMPT, accept="2=US\n2=USA")
    assert post_form(client, URL, data).status_code == 302
    q = _saved(app, "history-us")
    assert q is not None and q.accept == {2: ("US", "USA")}
    assert grade(q, ["Russia", "US"]).correct
    assert not grade(q, ["Russia", "US|2=USA"]).correct
