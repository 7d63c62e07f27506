"""The preview: the student's view, then the key, the explanation and both feedbacks."""

from __future__ import annotations

from ..helpers import post_form
from .conftest import payload


def _preview(client, kind: str, **changes: str) -> str:
    data = payload(kind, save=None, preview="Preview", **changes)
    return post_form(client, f"/instructor/questions/new/{kind}", data).get_data(as_text=True)


def test_the_preview_shows_the_key_the_explanation_and_the_feedback(client, instructor):
    html = _preview(client, "single_choice")
    assert "Preview: what a student sees" in html
    after = html.split("After answering", 1)[1]
    assert "<dt>The key</dt><dd>Amur</dd>" in after
    assert "A short reason that teaches the point." in after
    assert "“Correct.”" in after and "“Not quite. The answer: Amur”" in after
    assert "shuffled for each student" in html


def test_a_cloze_preview_does_not_claim_a_shuffle(client, instructor):
    html = _preview(client, "cloze")
    assert "shuffled" not in html
    assert "<dt>The key</dt><dd>Gas flows to China.</dd>" in html
