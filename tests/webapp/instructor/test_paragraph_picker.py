"""The paragraph picker: the section's paragraphs as tick boxes with their digests.

The stored format stays a list of paragraph numbers; without JavaScript a changed section
is shown again with its own paragraphs rather than saving the old section's numbers.
"""

from __future__ import annotations

import re

from markupsafe import escape
from werkzeug.datastructures import MultiDict

from questions import load_digests
from webapp.extensions import db
from webapp.models import Question

from ..helpers import csrf_token, post_form
from .conftest import payload

URL = "/instructor/questions/new/true_false"


def _box(html: str, slug: str, n: int) -> str:
    found = re.search(
        rf'<input type="checkbox" name="paragraphs" value="{n}" id="paragraphs-{slug}-{n}"[^>]*>',
        html,
    )
    assert found, f"no box for {slug} paragraph {n}"
    return found.group(0)


def _group(html: str, slug: str) -> str:
    found = re.search(rf'<div class="paragraph-group" data-section="{slug}"[^>]*>', html)
    assert found
    return found.group(0)


def _stored(app, uid: str) -> dict | None:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        return None if row is None else dict(row.current_revision.data)


def test_the_picker_lists_the_sections_paragraphs_with_their_digests(client, instructor):
    html = client.get(URL).get_data(as_text=True)
    first = escape(load_digests()[("introduction", 1)])
    assert "hidden" not in _group(html, "introduction")
    assert "disabled" not in _box(html, "introduction", 1)
    assert f'<strong>Paragraph 1</strong> <span class="digest-text">{first}</span>' in html
    # another section's paragraphs are there for the script, hidden and never sent
    assert "hidden" in _group(html, "history")
    assert "disabled" in _box(html, "history", 3)
    assert 'for="paragraphs-introduction-1"' not in html  # the box sits inside its label
    assert "Show this section&#39;s paragraphs" in html


def test_ticked_paragraphs_are_saved_as_numbers_and_shown_ticked_on_edit(app, client, instructor):
    data = payload(
        "true_false", uid="history-picked", paragraphs=None, paragraphs_section="history"
    )
    body = [*data.items(), ("paragraphs", "1"), ("paragraphs", "3")]
    body.append(("csrf_token", csrf_token(client, URL)))
    response = client.post(URL, data=MultiDict(body))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stored(app, "history-picked")["paragraphs"] == [1, 3]
    html = client.get(response.headers["Location"] + "/edit").get_data(as_text=True)
    assert "checked" in _box(html, "history", 1)
    assert "checked" not in _box(html, "history", 2)
    assert "checked" in _box(html, "history", 3)


def test_nothing_ticked_says_what_to_do_at_the_picker(app, client, instructor):
    data = payload("true_false", uid="history-none", paragraphs=None)
    html = post_form(client, URL, data).get_data(as_text=True)
    assert 'id="paragraphs-error"><p>Give the number of the paragraph' in html
    assert _stored(app, "history-none") is None


def test_a_section_changed_without_script_shows_its_paragraphs_instead_of_saving(
    app, client, instructor
):
    data = payload("true_false", uid="history-moved", section="security")
    data["paragraphs_section"] = "history"  # the page showed history's paragraphs
    html = post_form(client, URL, data).get_data(as_text=True)
    assert _stored(app, "history-moved") is None
    assert "The paragraphs shown were those of “1. " in html
    assert "tick those of “4. " in html
    assert "hidden" not in _group(html, "security")
    assert "checked" not in _box(html, "security", 1)
    assert 'name="paragraphs_section" value="security"' in html


def test_show_this_sections_paragraphs_draws_the_form_again_without_a_message(
    app, client, instructor
):
    data = payload("true_false", uid="history-shown", section="security", save=None)
    data.update(paragraphs_section="history", show_paragraphs="Show this section's paragraphs")
    html = post_form(client, URL, data).get_data(as_text=True)
    assert "hidden" not in _group(html, "security")
    assert "paragraphs-error" not in html and "was not saved" not in html
    assert _stored(app, "history-shown") is None
