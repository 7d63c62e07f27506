"""GIFT general feedback (``####``) written after the closing brace: Moodle would read it
as text of a missing-word question; the import says where it belongs, at its line."""

from __future__ import annotations

import pytest

from questions.formats import ImportDefaults, parse_gift

DEFAULTS = ImportDefaults(section="security", paragraphs=(1,), difficulty=2)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Which year? {=1896 ~1950 ~2001}####The concession dates from 1896.\n", 1),
        ("// a comment\n::t::Which year?\n{=1896 ~1950 ~2001}\n####Because of 1896.\n", 4),
        ("Is the border long? {T} #### It runs for 4,000 km.\n", 1),
    ],
)
def test_feedback_after_the_brace_is_refused_with_where_to_put_it_at_its_line(text, line):
    items, problems = parse_gift(text, filename="q.gift", defaults=DEFAULTS)
    assert items == []
    assert [(p.file, p.line) for p in problems] == [("q.gift", line)]
    message = problems[0].message
    assert "the general feedback (####) sits after the closing }" in message
    assert "move it inside the braces, just before the }" in message
    assert "explanation is required" not in message
    assert str(problems[0]).startswith(f"q.gift:{line}")


def test_feedback_a_blank_line_below_its_question_says_the_same_at_its_own_line():
    text = "Which year? {=1896 ~1950 ~2001}\n\n####The concession dates from 1896.\n"
    items, problems = parse_gift(text, filename="q.gift", defaults=DEFAULTS)
    assert [p.line for p in problems] == [3]
    assert "general feedback (####) on its own" in problems[0].message
    assert "move it inside the braces, just before the }" in problems[0].message


def test_feedback_inside_the_braces_is_the_explanation():
    text = "Which year? {=1896 ~1950 ~2001 ####The concession dates from 1896.}\n"
    items, problems = parse_gift(text, filename="q.gift", defaults=DEFAULTS)
    assert problems == []
    assert items[0].question.explanation == "The concession dates from 1896."


def test_an_escaped_hash_after_a_missing_word_block_is_still_text():
    text = "The {=railway ~canal} was line \\#\\#\\#\\#4 of the plan.\n"
    items, problems = parse_gift(text, filename="q.gift", defaults=DEFAULTS)
    assert problems == []
    assert "####4" in items[0].question.prompt
