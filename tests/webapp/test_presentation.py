"""Pure helpers of the quiz pages: shuffles, form parsing, cloze rendering."""

import pytest
from werkzeug.datastructures import MultiDict

from questions import grade
from questions.display import cloze_blanked, cloze_segments
from questions.numbers import read
from webapp.quiz.presentation import make_presentation, parse_form, remark, source

from . import fixture_bank


def _q(uid):
    return fixture_bank.questions([fixture_bank.item(uid)])[0]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1000", 1000),
        ("1,000", 1000),
        ("7.5", 7.5),
        ("-3", -3),
        (" 12 ", 12),
        ("1 000", 1000),
        ("in 2010", 2010),
        ("1,00", None),
        ("abc", None),
        ("1.2.3", None),
        ("-", None),
    ],
)
def test_the_number_form_reads_what_the_grader_reads(text, number):
    q = _q("economy-numeric")
    parsed = parse_form(q, {}, MultiDict({"answer": text}))
    if number is None:
        assert not parsed.ok and "Type a number" in parsed.errors["answer"]
    else:
        # the text is kept as typed (the typed-response review groups it); it reads as the number
        assert parsed.ok and parsed.response == text.strip()
        assert read(parsed.response, unit=q.unit).value == number


def test_the_number_form_reads_a_unit_or_currency():
    q = _q("economy-numeric")
    for text, number in ((f"1,000 {q.unit}", 1000), ("$40", 40)):
        assert (
            read(parse_form(q, {}, MultiDict({"answer": text})).response, unit=q.unit).value
            == number
        )
    assert not parse_form(q, {}, MultiDict({"answer": "40 apples"})).ok


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


def test_cloze_segments_leave_the_answers_out():
    parts = cloze_segments(_q("economy-cloze").prompt)
    assert [gap for _, gap, _ in parts if gap is not None] == [0, 1]
    assert [hint for _, gap, hint in parts if gap is not None] == [None, "direction"]
    assert "pipeline" not in "".join(text for text, _, _ in parts)
    assert (
        cloze_blanked(_q("economy-cloze").prompt)
        == "Gas flows through the _____ to the [direction]."
    )


def test_source_label_names_the_section_and_paragraphs():
    assert (
        source(_q("history-single"))
        == "Brief Historical overview of Sino-Russia Relations, paragraph 1"
    )


@pytest.mark.parametrize(
    ("uid", "response", "expected"),
    [
        ("history-single", 1, ""),  # a wrong pick: the page shows the right answer anyway
        ("economy-cloze", ["x", "y"], "0 of 2 gaps are right."),
        ("economy-match", {0: 0, 1: 2, 2: 1}, "1 of 3 matches are right."),
        ("history-order", [1, 0, 2, 3], "5 of 6 pairs of items are in the right order."),
    ],
)
def test_the_remark_is_made_from_the_grade(uid, response, expected):
    q = _q(uid)
    assert remark(q, grade(q, response)) == expected
