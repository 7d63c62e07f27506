"""validate_item: every content rule, on raw mappings, with the field at fault named."""

from dataclasses import replace

import pytest

from questions import Question, validate_item, validate_question
from questions.validation import count_sentences
from tests.questions.samples import GOOD_ITEMS, good_item


@pytest.mark.parametrize("kind", sorted(GOOD_ITEMS))
def test_a_good_item_of_each_kind_has_no_problem(kind):
    assert validate_item(good_item(kind), section="history") == []


@pytest.mark.parametrize("kind", sorted(GOOD_ITEMS))
def test_validate_question_agrees_with_the_raw_mapping(kind):
    q = Question.from_dict(good_item(kind), section="history")
    assert validate_question(q) == []
    broken = Question.from_dict(good_item(kind, paragraphs=[7]), section="history")
    assert [p.field for p in validate_question(broken)] == ["paragraphs"]


BAD_ITEMS = [
    # (kind, changes, field, words the message must hold)
    ("single_choice", {"id": "History 1896"}, "id", "lowercase words"),
    ("single_choice", {"id": None}, "id", "id is required"),
    (
        "single_choice",
        {"kind": "essay"},
        "kind",
        "unknown kind 'essay'; allowed kinds: single_choice, multiple_select, true_false, "
        "short_answer, numeric, ordering, matching, cloze, basic",
    ),
    ("single_choice", {"section": "economy"}, "section", "unknown section 'economy'"),
    (
        "single_choice",
        {"section": "security"},
        "section",
        "differs from the file's section 'history'",
    ),
    ("single_choice", {"paragraphs": []}, "paragraphs", "non-empty list"),
    (
        "single_choice",
        {"paragraphs": [9]},
        "paragraphs",
        "paragraph 9 does not exist: section 'history' has 3 paragraphs",
    ),
    ("single_choice", {"paragraphs": [0]}, "paragraphs", "paragraph 0 does not exist"),
    ("single_choice", {"paragraphs": [1, 1]}, "paragraphs", "listed twice"),
    ("single_choice", {"difficulty": 4}, "difficulty", "1, 2 or 3"),
    ("single_choice", {"difficulty": None}, "difficulty", "difficulty is required"),
    ("single_choice", {"tags": "treaties"}, "tags", "must be a list"),
    ("single_choice", {"prompt": "  "}, "prompt", "prompt is required"),
    ("single_choice", {"explanation": None}, "explanation", "explanation is required"),
    (
        "single_choice",
        {"explanation": "One. Two. Three. Four."},
        "explanation",
        "4 sentences; keep it to 1-3",
    ),
    (
        "single_choice",
        {"explantion": "typo"},
        "explantion",
        "unknown key 'explantion' (did you mean 'explanation'?)",
    ),
    (
        "single_choice",
        {"options": [{"text": "1896"}, {"text": "1950"}, {"text": "2001"}]},
        "options",
        "no option is marked correct; a single_choice item needs exactly one",
    ),
    (
        "single_choice",
        {
            "options": [
                {"text": "1896", "correct": True},
                {"text": "1950", "correct": True},
                {"text": "2001"},
            ]
        },
        "options",
        "two options are marked correct; a single_choice item needs exactly one",
    ),
    (
        "single_choice",
        {"options": [{"text": "1896", "correct": True}, {"text": "1950"}]},
        "options",
        "needs 3-5 options, not 2",
    ),
    (
        "single_choice",
        {"options": [{"text": "Moscow", "correct": True}, {"text": "moscow "}, {"text": "Kiev"}]},
        "options",
        "duplicate option texts: 'Moscow' and 'moscow '",
    ),
    (
        "single_choice",
        {
            "options": [
                {"text": "a", "correct": "yes"},
                {"text": "b", "correct": True},
                {"text": "c"},
            ]
        },
        "options",
        "correct must be true or false",
    ),
    (
        "multiple_select",
        {
            "options": [
                {"text": "a", "correct": True},
                {"text": "b", "correct": True},
                {"text": "c", "correct": True},
            ]
        },
        "options",
        "at least one wrong option",
    ),
    (
        "multiple_select",
        {"options": [{"text": "a"}, {"text": "b"}, {"text": "c"}]},
        "options",
        "no option is marked correct",
    ),
    (
        "multiple_select",
        {"options": [{"text": str(n)} for n in range(6)] + [{"text": "x", "correct": True}]},
        "options",
        "3-6 options, not 7",
    ),
    ("true_false", {"answer": "yes"}, "answer", "answer: true or answer: false"),
    ("true_false", {"answer": None}, "answer", "answer: true or answer: false (missing)"),
    (
        "true_false",
        {"options": [{"text": "x"}]},
        "options",
        "options is not used by a true_false item",
    ),
    ("short_answer", {"answer": ""}, "answer", "answer is required"),
    ("short_answer", {"answer": 1991}, "answer", "answer must be text"),
    ("short_answer", {"accept": "US"}, "accept", "accept must be a list"),
    ("basic", {"answer": None}, "answer", "answer is required"),
    ("basic", {"items": ["a", "b", "c"]}, "items", "items is not used by a basic item"),
    ("numeric", {"answer": "lots"}, "answer", "answer must be a number"),
    ("numeric", {"tolerance": -1}, "tolerance", "tolerance must be a number >= 0"),
    ("ordering", {"items": ["first", "second"]}, "items", "needs 3-8 items, not 2"),
    ("ordering", {"items": [str(n) for n in range(9)]}, "items", "needs 3-8 items, not 9"),
    ("ordering", {"items": ["one", "two", "One"]}, "items", "duplicate items: 'one' and 'One'"),
    (
        "matching",
        {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]},
        "pairs",
        "at least 3 pairs, not 2",
    ),
    (
        "matching",
        {
            "pairs": [
                {"left": "a", "right": "1"},
                {"left": "a", "right": "2"},
                {"left": "c", "right": "3"},
            ]
        },
        "pairs",
        "duplicate lefts",
    ),
    (
        "matching",
        {
            "pairs": [
                {"left": "a", "right": "1"},
                {"left": "b", "right": "1"},
                {"left": "c", "right": "3"},
            ],
            "distractors": None,
        },
        "pairs",
        "duplicate rights",
    ),
    (
        "matching",
        {"distractors": ["Railway"]},
        "distractors",
        "duplicate rights (distractors included): 'Railway' and 'Railway'",
    ),
    (
        "cloze",
        {"prompt": "In 1896 China let Russia build a railway.", "accept": None},
        "prompt",
        "at least one deletion like {{c1::answer}}",
    ),
    (
        "cloze",
        {"accept": {3: ["x"]}},
        "accept",
        "accept names deletion 3, which the prompt does not have (deletions: 1, 2)",
    ),
    ("cloze", {"answer": "1896"}, "answer", "answer is not used by a cloze item"),
]


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    BAD_ITEMS,
    ids=[f"{k}-{f}-{i}" for i, (k, _, f, _) in enumerate(BAD_ITEMS)],
)
def test_a_broken_rule_names_the_field_and_says_what_is_wrong(kind, changes, field, message):
    problems = validate_item(good_item(kind, **changes), section="history")
    assert [(p.field, message in p.message) for p in problems] == [(field, True)], problems


def test_every_problem_of_an_item_is_reported_at_once():
    item = good_item(
        "single_choice",
        kind="single_choice",
        difficulty=7,
        paragraphs=[5],
        explanation=None,
        options=[{"text": "a"}, {"text": "a"}],
    )
    fields = sorted(p.field for p in validate_item(item, section="history"))
    assert fields == ["difficulty", "explanation", "options", "options", "options", "paragraphs"]


def test_a_non_mapping_item_is_a_problem_not_a_crash():
    [problem] = validate_item(["id", "kind"])  # type: ignore[arg-type]
    assert "must be a mapping" in problem.message


def test_an_item_without_a_section_anywhere_is_reported():
    problems = validate_item(good_item("true_false"))
    assert [p.field for p in problems] == ["section"]


def test_an_item_naming_its_own_section_needs_no_file():
    assert validate_item(good_item("true_false", section="history")) == []


def test_problem_reads_as_file_line_item_field_message():
    item = good_item(
        "single_choice",
        options=[
            {"text": "1896", "correct": True},
            {"text": "1950", "correct": True},
            {"text": "2001"},
        ],
    )
    [problem] = validate_item(item, section="history")
    placed = replace(problem, file="questions/bank/01-history.yaml", line=42)
    assert str(placed) == (
        "questions/bank/01-history.yaml:42: history-1896-railway: options: "
        "two options are marked correct; a single_choice item needs "
        "exactly one"
    )


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("One sentence without a stop", 1),
        ("The U.S. President went to Beijing. He met Xi.", 2),
        ("Trade grew, e.g. in energy. It doubled by 2019.", 2),
        ("It cost 7.5 billion. Then it grew! Did it?", 3),
        ("A. B. C. D.", 1),  # single letters read as initials, not four sentences
        ("First. Second. Third. Fourth.", 4),
        ("It is driven by the US threat. The motive is China's, not Russia's.", 2),
    ],
)
def test_sentences_are_counted_without_tripping_on_initials(text, count):
    assert count_sentences(text) == count
