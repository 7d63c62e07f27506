"""The preview: the student's view, then the key, the explanation, and the feedback a
right and a wrong answer get, made by the kind, graded by its grader and marked in place."""

from __future__ import annotations

import re

import pytest

from questions import Kind

from ..helpers import post_form
from .conftest import GOOD, payload


def _preview(client, kind: str, **changes: str) -> str:
    data = payload(kind, save=None, preview="Preview", **changes)
    return post_form(client, f"/instructor/questions/new/{kind}", data).get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    found = re.search(
        rf'<section class="preview-answer" aria-labelledby="{section_id}">(.*?)</section>',
        html,
        re.S,
    )
    assert found, f"no {section_id} in the preview"
    return found.group(1)


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_every_kinds_preview_grades_a_real_wrong_answer_wrong_and_marks_it(
    client, instructor, kind
):
    assert kind in GOOD
    html = _preview(client, kind)
    assert "Preview: what a student sees" in html
    assert "was not saved" not in html
    wrong = _section(html, "preview-wrong")
    assert re.search(r'<div class="feedback (wrong|partial)">', wrong)
    assert "Right!" not in wrong
    assert re.search(r"is-wrong|is-missed", wrong), "no part marked wrong or missed"
    assert 'class="preview-given"' in wrong
    right = _section(html, "preview-right")
    assert '<div class="feedback correct">' in right and "Right!" in right
    # both end with the explanation, as a student's feedback does
    assert right.count("A short reason that teaches the point.") == 1
    assert wrong.count("A short reason that teaches the point.") == 1


def test_the_wrong_single_choice_is_a_distractor_marked_wrong_with_the_key_shown(
    client, instructor
):
    html = _preview(client, "single_choice")
    assert '<dd class="preview-key">Amur</dd>' in html
    wrong = _section(html, "preview-wrong")
    assert 'The answer: <span class="preview-given">Volga</span>' in wrong
    assert re.search(r'is-wrong">\s*<span class="marked-text">Volga</span>', wrong)
    assert re.search(r'is-missed">\s*<span class="marked-text">Amur</span>', wrong)
    assert "shuffled for each student" in html


def test_the_wrong_cloze_answer_leaves_a_gap_wrong_and_the_key_beside_it(client, instructor):
    html = _preview(client, "cloze", prompt="Gas flows from {{c1::Russia}} to {{c2::China}}.")
    assert "shuffled" not in html
    assert '<dd class="preview-key">Gas flows from Russia to China.</dd>' in html
    wrong = _section(html, "preview-wrong")
    assert "1 of 2 gaps are right." in wrong
    assert "<del>something else</del>" in wrong
    assert "Blank 2, right:</span> China" in wrong


def test_a_numeric_previews_a_near_miss(client, instructor):
    wrong = _section(_preview(client, "numeric"), "preview-wrong")
    # 1,000 litres, 5 either side: 1,006 is just outside
    assert re.search(r'The answer: <span class="preview-given">1,?006', wrong)
