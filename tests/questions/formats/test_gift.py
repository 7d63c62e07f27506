from pathlib import Path

import pytest

from questions import Kind
from questions.formats import ImportDefaults, parse_gift

FIXTURES = Path(__file__).parent / "fixtures"
DEFAULTS = ImportDefaults(section="security", paragraphs=(1,), difficulty=2)


def _read(name: str):
    return parse_gift((FIXTURES / name).read_text(), filename=name, defaults=DEFAULTS)


def test_every_supported_kind_is_read_with_its_starting_line():
    items, problems = _read("good.gift")
    assert problems == []
    by_line = {i.line: i.question for i in items}
    assert sorted(by_line) == [4, 11, 18, 20, 22, 24, 26, 34, 36]
    choice = by_line[4]
    assert choice.id == "history-railway-year"  # a title shaped like an id is kept
    assert choice.kind is Kind.SINGLE_CHOICE
    assert [o.text for o in choice.options] == ["1896", "1950", "2001"]
    assert choice.keys == (0,)
    assert choice.explanation == "The concession was granted in 1896."
    assert choice.section == "history"  # from $CATEGORY, not the page default
    assert choice.paragraphs == (1,) and choice.difficulty == 2


def test_weighted_answers_become_multiple_select():
    items, _ = _read("good.gift")
    q = next(i.question for i in items if i.line == 11)
    assert q.kind is Kind.MULTIPLE_SELECT
    assert q.id == "history-members"
    assert [(o.text, o.correct) for o in q.options] == [
        ("Russia", True),
        ("China", True),
        ("Japan", False),
    ]


@pytest.mark.parametrize(
    ("line", "kind", "fields"),
    [
        (18, Kind.TRUE_FALSE, {"answer": True}),
        (20, Kind.SHORT_ANSWER, {"answer": "Moscow", "accept": ("Moskva",)}),
        (22, Kind.NUMERIC, {"answer": 7, "tolerance": 0.5}),
        (24, Kind.NUMERIC, {"answer": 2, "tolerance": 1}),
    ],
)
def test_answer_kinds_map_to_bank_fields(line, kind, fields):
    items, _ = _read("good.gift")
    q = next(i.question for i in items if i.line == line)
    assert q.kind is kind
    for name, value in fields.items():
        assert getattr(q, name) == value


def test_matching_keeps_pairs_and_empty_lefts_as_distractors():
    items, _ = _read("good.gift")
    q = next(i.question for i in items if i.line == 26)
    assert q.kind is Kind.MATCHING
    assert [(p.left, p.right) for p in q.pairs] == [
        ("Alpha", "one"),
        ("Beta", "two"),
        ("Gamma", "three"),
    ]
    assert q.distractors == ("four",)


def test_escapes_are_undone_and_a_missing_word_leaves_a_blank():
    items, _ = _read("good.gift")
    escaped = next(i.question for i in items if i.line == 34)
    assert escaped.prompt == "Escaped marks { } = ~ # : stay in the text."
    assert escaped.options[0].text == "a=b"
    blank = next(i.question for i in items if i.line == 36)
    assert blank.prompt == "The _____ word fills the blank."


def test_page_defaults_fill_the_section_when_no_category_names_one():
    items, problems = parse_gift("Is it? {T ####Yes.}", defaults=DEFAULTS)
    assert problems == []
    assert items[0].question.section == "security"
    assert items[0].question.id == "security-is-it"


def test_generated_ids_avoid_ids_already_taken():
    text = "Is it? {T ####Yes.}\n\nIs it? {F ####No.}\n"
    items, problems = parse_gift(text, defaults=DEFAULTS, taken_ids={"security-is-it"})
    assert problems == []
    assert [i.question.id for i in items] == ["security-is-it-2", "security-is-it-3"]


def test_no_section_anywhere_is_a_problem_at_the_question():
    items, problems = parse_gift("\n\nIs it? {T ####Yes.}", defaults=ImportDefaults())
    assert items == []
    assert [(p.line, p.field) for p in problems] == [(3, "section")]


def test_malformed_file_reports_every_problem_with_its_line():
    items, problems = _read("bad.gift")
    found = {p.line: p.message for p in problems}
    assert sorted(found) == [4, 6, 8, 12, 14, 16]
    assert "no answer block" in found[4]
    assert "never closed" in found[6]
    assert "essay" in found[8]
    assert all(p.file == "bad.gift" for p in problems)
    assert "no right answer" in found[12]
    assert "left -> right" in found[14]
    assert "'seven' is not a number" in found[16]
    # line 10 breaks only the bank's house rule on options: it imports, with a warning
    assert [(i.line, [w.field for w in i.warnings]) for i in items] == [(10, ["options"])]


def test_unclosed_brace_is_reported_on_the_line_that_opens_it():
    text = "A prompt over\ntwo lines {=a\n~b ~c\n"
    _, problems = parse_gift(text, defaults=DEFAULTS)
    assert [(p.line, "never closed" in p.message) for p in problems] == [(2, True)]


def test_comments_between_questions_do_not_shift_lines():
    text = "// one\n// two\nIs it? {T ####Yes.}\n"
    items, _ = parse_gift(text, defaults=DEFAULTS)
    assert items[0].line == 3


def test_titles_need_not_be_unique_because_ids_are_made_distinct():
    text = "::q1::Is it? {T ####Yes.}\n\n::q1::Is it not? {F ####No.}\n"
    items, problems = parse_gift(text, defaults=DEFAULTS)
    assert problems == []
    assert [i.question.id for i in items] == ["security-q1", "security-q1-2"]
