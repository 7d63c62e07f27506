"""Revision diffs a person can read: the changed word, the changed row, the rest plain."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.instructor import diffing
from webapp.instructor.editing import FieldChange
from webapp.models import Question

from ..helpers import post_form
from .conftest import payload


def _ops(pieces):
    return [(p.op, p.text) for p in pieces]


def test_a_one_word_change_shows_as_that_word():
    pieces = diffing.words("Which river forms the border?", "Which river marks the border?")
    assert _ops(pieces) == [
        ("same", "Which river "),
        ("removed", "forms"),
        ("added", "marks"),
        ("same", " the border?"),
    ]


def test_unchanged_text_is_one_plain_piece():
    assert _ops(diffing.words("Same text.", "Same text.")) == [("same", "Same text.")]


def test_options_are_compared_row_by_row():
    old = [
        {"text": "Amur", "correct": True},
        {"text": "Volga"},
        {"text": "Don"},
    ]
    new = [
        {"text": "Amur", "correct": True},
        {"text": "Volga river"},
        {"text": "Don"},
        {"text": "Lena"},
    ]
    rows = diffing.rows("options", old, new)
    assert [r.op for r in rows] == ["same", "changed", "same", "added"]
    assert _ops(rows[0].pieces) == [("same", "Amur (right answer)")]
    assert ("added", " river") in _ops(rows[1].pieces)
    assert _ops(rows[3].pieces) == [("added", "Lena")]


def test_a_moved_key_shows_on_both_rows():
    old = [{"text": "Amur", "correct": True}, {"text": "Volga"}]
    new = [{"text": "Amur"}, {"text": "Volga", "correct": True}]
    rows = diffing.rows("options", old, new)
    assert [r.op for r in rows] == ["changed", "changed"]
    assert ("removed", " (right answer)") in [
        (p.op, p.text) for p in diffing.words("Amur (right answer)", "Amur")
    ]


def test_pairs_and_cloze_variants_are_rows():
    pairs = diffing.rows(
        "pairs", [{"left": "Gas", "right": "Pipe"}], [{"left": "Gas", "right": "Pipeline"}]
    )
    assert [r.op for r in pairs] == ["changed"]
    accept = diffing.rows("accept", {1: ["US"]}, {1: ["US", "USA"]})
    assert [(r.op, r.pieces[0].text) for r in accept] == [
        ("same", "gap 1: US"),
        ("added", "gap 1: USA"),
    ]


def test_scalars_and_lists_pick_their_form():
    d = diffing.field_diff(FieldChange("difficulty", 1, 2))
    assert _ops(d.pieces) == [("removed", "1"), ("added", "2")] and d.rows == ()
    t = diffing.field_diff(FieldChange("tags", ["a"], ["a", "b"]))
    assert [r.op for r in t.rows] == ["same", "added"]


def test_history_page_marks_just_the_changed_word(app, client, instructor):
    data = payload("short_answer", uid="history-diff")
    post_form(client, "/instructor/questions/new/short_answer", data)
    with app.app_context():
        qid = db.session.scalar(db.select(Question.id).where(Question.uid == "history-diff"))
    post_form(
        client,
        f"/instructor/questions/{qid}/edit",
        {**data, "prompt": "Name the long river."},
    )
    html = client.get(f"/instructor/questions/{qid}/history").get_data(as_text=True)
    diff = html.split('id="revision-2"', 1)[1].split('id="revision-1"', 1)[0]
    assert "<dt>prompt</dt>" in diff
    shown = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", diff)
    assert '<p class="diff-text">Name the <ins>long </ins>river.</p>' in shown
    assert "<del>" not in shown
