"""Pure helpers of the quiz pages: shuffles, form parsing, cloze rendering."""

import pytest
from werkzeug.datastructures import MultiDict

from questions import grade
from webapp.quiz.presentation import (
    cloze_blanked,
    cloze_parts,
    feedback_remark,
    make_presentation,
    parse_amount,
    parse_form,
    parse_number,
    source_label,
)

from . import fixture_bank


def _q(uid):
    return fixture_bank.questions([fixture_bank.item(uid)])[0]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1000", 1000.0),
        ("1,000", 1000.0),
        ("7.5", 7.5),
        ("-3", -3.0),
        (" 12 ", 12.0),
        ("1,00", None),
        ("abc", None),
        ("", None),
        ("1.2.3", None),
        ("-", None),
    ],
)
def test_parse_number(text, number):
    assert parse_number(text) == number


def test_parse_amount_reads_a_unit_or_currency():
    assert parse_amount("1,000 litres", "litres") == 1000.0
    assert parse_amount("$40", None) == 40.0
    assert parse_amount("40 apples", "litres") is None


@pytest.mark.parametrize("uid", [i["id"] for i in fixture_bank.ITEMS])
def test_presentations_are_permutations_of_the_questions_lists(uid):
    q = _q(uid)
    p = make_presentation(q)
    if "options" in p:
        assert sorted(p["options"]) == list(range(len(q.options)))
    if "items" in p:
        assert sorted(p["items"]) == list(range(len(q.items)))
        assert p["items"] != sorted(p["items"])  # never shown already in order
    if "lefts" in p:
        assert sorted(p["lefts"]) == list(range(len(q.pairs)))
        assert sorted(p["rights"]) == list(range(len(q.right_texts)))


def test_ordering_form_maps_displayed_positions_to_the_canonical_order():
    q = _q("history-order")
    presentation = {"items": [2, 0, 3, 1]}  # displayed: 1960, 1689, 2001, 1858
    form = MultiDict({"pos-0": "3", "pos-1": "1", "pos-2": "4", "pos-3": "2"})
    parsed = parse_form(q, presentation, form)
    assert parsed.ok
    assert parsed.response == [0, 1, 2, 3]
    assert grade(q, parsed.response).correct


def test_matching_form_maps_displayed_choices_to_canonical_indices():
    q = _q("economy-match")
    presentation = {"lefts": [1, 0, 2], "rights": [3, 2, 0, 1]}
    # Displayed lefts: Oil, Gas, Coal; displayed rights: Balloon, Railway, Pipeline, Tanker.
    form = MultiDict({"match-0": "3", "match-1": "2", "match-2": "1"})
    parsed = parse_form(q, presentation, form)
    assert parsed.response == {1: 1, 0: 0, 2: 2}
    assert grade(q, parsed.response).correct


def test_cloze_parts_leave_the_answers_out():
    parts = cloze_parts(_q("economy-cloze").prompt)
    assert [p.blank for p in parts if p.blank is not None] == [0, 1]
    assert [p.hint for p in parts if p.blank is not None] == [None, "direction"]
    assert "pipeline" not in "".join(p.text for p in parts)
    assert (
        cloze_blanked(_q("economy-cloze").prompt)
        == "Gas flows through the _____ to the [direction]."
    )


def test_source_label_names_the_section_and_paragraphs():
    assert (
        source_label(_q("history-single"))
        == "Brief Historical overview of Sino-Russia Relations, paragraph 1"
    )


@pytest.mark.parametrize(
    ("feedback", "remark"),
    [
        ("Not quite. The answer: Amur", ""),
        ("Too high. The answer: 1,000 litres", "Too high."),
        ("0 of 2 gaps are right. The full text: Gas flows ...", "0 of 2 gaps are right."),
        ("2 of 3 matches are right.", "2 of 3 matches are right."),
        ("Not quite: the statement is true.", "Not quite: the statement is true."),
        ("", ""),
    ],
)
def test_feedback_remark_drops_the_answer_the_page_shows_anyway(feedback, remark):
    assert feedback_remark(feedback) == remark
