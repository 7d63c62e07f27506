"""Every import format holds a question to the question form's limits, and a report to a
bounded length: the same text that the form refuses is refused from a file."""

import pytest

from questions.formats import ImportDefaults, parse_upload
from questions.loader import MAX_YAML_VALUES
from questions.validation import MAX_PROBLEMS, TEXT_LIMITS

DEFAULTS = ImportDefaults(section="history", paragraphs=(1,))
LONG_PROMPT = "Which year " + "x" * TEXT_LIMITS["prompt"] + "?"
LONG_OPTION = "y" * (TEXT_LIMITS["options"] + 1)

PROMPT_TOO_LONG = {
    "csv": f"kind,prompt,answer\ntrue_false,{LONG_PROMPT},true\n",
    "gift": f"{LONG_PROMPT} {{T}}\n",
    "quizlet": f"{LONG_PROMPT}\tan answer\n",
    "moodle_xml": (
        '<quiz><question type="truefalse"><questiontext><text>'
        f"{LONG_PROMPT}</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer></question></quiz>'
    ),
    "bank": (
        "section: history\nquestions:\n  - id: history-long\n    kind: true_false\n"
        f"    paragraphs: [1]\n    difficulty: 1\n    tags: []\n    prompt: {LONG_PROMPT}\n"
        "    answer: true\n    explanation: Because.\n"
    ),
}

OPTION_TOO_LONG = {
    "csv": f"kind,prompt,options,correct\nsingle_choice,Which?,a|{LONG_OPTION}|c,1\n",
    "gift": f"Which? {{=a ~{LONG_OPTION} ~c}}\n",
    "moodle_xml": (
        '<quiz><question type="multichoice"><questiontext><text>Which?</text></questiontext>'
        '<single>true</single><answer fraction="100"><text>a</text></answer>'
        f'<answer fraction="0"><text>{LONG_OPTION}</text></answer>'
        '<answer fraction="0"><text>c</text></answer></question></quiz>'
    ),
}


@pytest.mark.parametrize("fmt", sorted(PROMPT_TOO_LONG))
def test_a_prompt_longer_than_the_form_allows_is_refused_in_every_format(fmt):
    items, problems = parse_upload(
        fmt, PROMPT_TOO_LONG[fmt].encode(), filename="f", defaults=DEFAULTS
    )
    assert items == []
    limit = f"at most {TEXT_LIMITS['prompt']:,}"
    assert [p.field for p in problems if limit in p.message] == ["prompt"]
    assert all(p.line for p in problems)


@pytest.mark.parametrize("fmt", sorted(OPTION_TOO_LONG))
def test_an_option_longer_than_the_form_allows_is_refused(fmt):
    items, problems = parse_upload(
        fmt, OPTION_TOO_LONG[fmt].encode(), filename="f", defaults=DEFAULTS
    )
    assert items == []
    assert any(f"at most {TEXT_LIMITS['options']}" in p.message for p in problems)


def test_an_id_longer_than_the_database_column_is_refused_with_a_message():
    long_id = "a" * (TEXT_LIMITS["id"] + 1)
    data = f"id,kind,prompt,answer\n{long_id},true_false,Is it?,true\n".encode()
    items, problems = parse_upload("csv", data, filename="f.csv", defaults=DEFAULTS)
    assert items == []
    assert [(p.field, p.line) for p in problems] == [("id", 2)]
    assert "121 characters; at most 120" in problems[0].message


def test_a_yaml_alias_bomb_is_refused_at_once():
    levels = ["  - id: a\n    kind: basic\n    prompt: &l0 [x, x, x, x, x, x, x, x, x]\n"]
    for n in range(1, 9):
        refs = ", ".join([f"*l{n - 1}"] * 9)
        levels.append(f"    k{n}: &l{n} [{refs}]\n")
    data = ("section: history\nquestions:\n" + "".join(levels)).encode()
    assert len(data) < 1000
    items, problems = parse_upload("bank", data, filename="bomb.yaml")
    assert items == [] and len(problems) == 1
    assert "aliases (*name) are not allowed" in problems[0].message
    assert problems[0].line == 6  # the first alias, on k1


def test_a_file_with_a_problem_on_every_line_lists_the_first_ones_and_counts_the_rest():
    data = "Q {T}\n\n" * 3000  # no section chosen: one problem per question
    items, problems = parse_upload("gift", data.encode(), filename="f.gift")
    assert items == []
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith(f"... and {3000 - MAX_PROBLEMS:,} more problems")
    assert "(3,000 in all)" in problems[-1].message


def test_a_bank_file_of_too_many_questions_is_one_problem():
    """Refused before the slow loader builds 5,001 items only to report each."""
    data = ("section: history\nquestions:\n" + "  - {}\n" * 5001).encode()
    items, problems = parse_upload("bank", data, filename="f.yaml")
    assert items == []
    assert [p.message for p in problems] == ["more than 5000 questions in one file: split it"]


def test_a_bank_file_of_too_many_values_is_refused_before_it_is_built():
    item = "  - {id: q, kind: true_false, prompt: P, answer: true}\n"  # ten values each
    data = ("section: history\nquestions:\n" + item * (MAX_YAML_VALUES // 10 + 1)).encode()
    items, problems = parse_upload("bank", data, filename="f.yaml")
    assert items == [] and len(problems) == 1
    assert f"more than {MAX_YAML_VALUES:,} values in one file" in problems[0].message
