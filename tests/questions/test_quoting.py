"""A problem message quotes a value in a few dozen characters, whatever the value."""

from questions.formats import ImportDefaults, parse_upload
from questions.quoting import SHOWN_CHARS, shown
from questions.validation import validate_item


def test_a_short_text_is_quoted_whole():
    assert shown("history") == "'history'"


def test_a_long_text_is_cut_and_says_how_long_it_was():
    text = shown("x" * 100_000)
    assert len(text) < SHOWN_CHARS + 40 and "100,000 characters" in text


def test_lists_and_mappings_are_named_not_printed():
    assert shown([["x" * 1000] * 1000] * 1000) == "a list of 1000 entries"
    assert shown({"a": 1}) == "a mapping of 1 key"


def test_an_integer_too_long_to_print_is_named():
    assert shown(10**5000) == "a number too long to show"


def test_a_problem_about_a_huge_value_stays_short():
    item = {"id": "x" * 50_000 + "!", "kind": "x" * 50_000, "tags": ["t"], "difficulty": "9" * 5000}
    problems = validate_item(item)
    assert problems and all(len(p.message) < 300 for p in problems)


def test_an_import_problem_never_prints_the_whole_cell():
    data = ("kind,prompt,answer\nnumeric,P," + "1x" * 200_000 + "\n").encode()
    _, problems = parse_upload(
        "csv", data, filename="x.csv", defaults=ImportDefaults(section="history", paragraphs=(1,))
    )
    assert problems and all(len(str(p)) < 500 for p in problems)
