"""parse_bank_text / load_file / load_bank: problems placed at file, line and field."""

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions import BANK_DIR, BankError, Kind, load_bank, load_file, parse_bank_text
from tests.questions.samples import bank_text, good_item

GOOD_FILE = textwrap.dedent("""\
    section: history
    questions:
      - id: history-1896-railway
        kind: single_choice
        paragraphs: [1]
        difficulty: 1
        tags: [treaties]
        prompt: In which year was the railway deal?
        options:
          - text: "1896"
            correct: true
          - text: "1950"
          - text: "2001"
        explanation: Russia got a railway concession in 1896.
    """)


def _item(*parts: str, section: str = "history") -> str:
    """A one-item bank file: `- id: history-x` on line 3, then the keys in ``parts``."""
    body = "".join(textwrap.dedent(part) for part in parts)
    return f"section: {section}\nquestions:\n  - id: history-x\n" + textwrap.indent(body, "    ")


BASE = "paragraphs: [1]\ndifficulty: 1\ntags: []\nprompt: Is it so?\n"

# (file text, expected line, field, words the message must hold)
BAD_FILES = [
    ("section: history\nquestions:\n  - id: x\n    kind: [unclosed\n", 5, None, "not valid YAML"),
    ("section: history\nquestions:\n  - id: a\n   kind: basic\n", 4, None, "not valid YAML"),
    (
        _item("kind: essay\n", BASE, "explanation: Because.\n"),
        4,
        "kind",
        "unknown kind 'essay'; allowed kinds: single_choice, multiple_select, true_false",
    ),
    (_item("kind: true_false\nanswer: true\n" + BASE), 3, "explanation", "explanation is required"),
    (
        _item(
            "kind: true_false\nanswer: true\n"
            + BASE
            + "explanation: Because.\nexplantion: Because.\n"
        ),
        11,
        "explantion",
        "did you mean 'explanation'?",
    ),
    (
        _item(
            "kind: single_choice\n",
            BASE,
            """\
           options:
             - text: "1896"
             - text: "1950"
             - text: "2001"
           explanation: Because.
           """,
        ),
        9,
        "options",
        "no option is marked correct",
    ),
    (
        _item(
            "kind: single_choice\n",
            BASE,
            """\
           options:
             - {text: "1896", correct: true}
             - {text: "1950", correct: true}
             - {text: "2001"}
           explanation: Because.
           """,
        ),
        9,
        "options",
        "two options are marked correct; a single_choice item needs exactly one",
    ),
    (
        _item(
            "kind: single_choice\n",
            BASE,
            """\
           options:
             - {text: "Moscow", correct: true}
             - {text: "MOSCOW"}
             - {text: "Kiev"}
           explanation: Because.
           """,
        ),
        9,
        "options",
        "duplicate option texts",
    ),
    (
        _item("kind: cloze\n" + BASE + "explanation: Because.\n"),
        8,
        "prompt",
        "at least one deletion",
    ),
    (
        _item("kind: ordering\n" + BASE + "items: [first, second]\nexplanation: Because.\n"),
        9,
        "items",
        "needs 3-8 items, not 2",
    ),
    (
        _item(
            "kind: true_false\nanswer: true\n" + BASE + "explanation: Because.\n", section="economy"
        ),
        1,
        "section",
        "unknown section 'economy'; known sections: introduction, history",
    ),
    (
        _item(
            "kind: true_false\nanswer: true\nsection: security\n" + BASE + "explanation: Because.\n"
        ),
        6,
        "section",
        "section 'security' differs from the file's section 'history'",
    ),
    (
        _item(
            "kind: true_false\nanswer: true\n"
            + BASE.replace("[1]", "[9]")
            + "explanation: Because.\n"
        ),
        6,
        "paragraphs",
        "paragraph 9 does not exist: section 'history' has 3 paragraphs",
    ),
    (
        _item("kind: true_false\nanswer: true\nanswer: false\n" + BASE + "explanation: Because.\n"),
        6,
        "answer",
        "key 'answer' appears twice",
    ),
    ("section: history\n", 1, "questions", "the file needs questions:"),
    (GOOD_FILE.replace("section: history\n", ""), 1, "section", "the file needs section:"),
    ("- just\n- a list\n", 1, None, "must be a mapping with section: and questions:"),
    ("", 1, None, "the file is empty"),
    (GOOD_FILE + "extra: 1\n", 15, "extra", "unknown key 'extra'"),
    ("section: history\nquestions: []\n", 2, "questions", "questions: is empty"),
    ("section: history\nquestions:\n  - just text\n", 3, None, "must be a mapping"),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    BAD_FILES,
    ids=[f"{i}-{m[:30]}" for i, (_, _, _, m) in enumerate(BAD_FILES)],
)
def test_a_bad_file_names_file_line_and_field(text, line, field, message):
    questions, problems = parse_bank_text(text, "bank/01-history.yaml")
    if field != "extra":  # a stray top-level key spoils no item
        assert questions == []
    assert len(problems) == 1, problems
    [p] = problems
    assert (p.file, p.line, p.field) == ("bank/01-history.yaml", line, field)
    assert message in p.message
    assert str(p).startswith(f"bank/01-history.yaml:{line}: ")


def test_a_good_file_gives_its_questions_and_no_problem():
    questions, problems = parse_bank_text(GOOD_FILE, "01-history.yaml")
    assert problems == []
    [q] = questions
    assert (q.id, q.kind, q.section, q.keys) == (
        "history-1896-railway",
        Kind.SINGLE_CHOICE,
        "history",
        (0,),
    )


def test_a_file_with_three_bad_items_reports_them_all_and_keeps_the_good_one():
    items = [
        good_item("true_false", id="a-1", answer="maybe"),
        good_item("ordering", id="a-2", items=["x", "y"]),
        good_item("basic"),
        good_item("cloze", id="a-3", prompt="No deletion here.", accept=None),
    ]
    questions, problems = parse_bank_text(bank_text(items), "f.yaml")
    assert [q.id for q in questions] == ["history-card"]
    assert [(p.item, p.field) for p in problems] == [
        ("a-1", "answer"),
        ("a-2", "items"),
        ("a-3", "prompt"),
    ]
    assert all(p.line is not None for p in problems)
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_duplicate_id_in_one_file_names_both_lines():
    text = bank_text([good_item("basic"), good_item("basic")])
    questions, problems = parse_bank_text(text, "f.yaml")
    assert len(questions) == 1
    [p] = problems
    first_line = text.splitlines().index("- id: history-card") + 1
    second_line = text.splitlines().index("- id: history-card", first_line) + 1
    assert (p.line, p.item, p.field) == (second_line, "history-card", "id")
    assert f"also used at line {first_line}" in p.message


def test_an_item_without_id_is_named_by_its_position():
    text = bank_text([good_item("basic"), good_item("true_false", id=None)])
    _, [p] = parse_bank_text(text, "f.yaml")
    assert (p.item, p.field) == ("#2", "id")


@pytest.mark.parametrize(
    "garbage",
    [
        "{{{{",
        "\t- x",
        ": : :",
        "a: !!python/object:os.system x",
        "- &a [*a]",
        "x: 2021-02-30",
        "\x00",
        "[" * 5000,
    ],
)
def test_garbage_text_is_a_problem_never_an_exception(garbage):
    questions, problems = parse_bank_text(garbage, "upload.yaml")
    assert questions == []
    assert problems and all(p.file == "upload.yaml" for p in problems)


def test_load_file_reports_an_unreadable_file(tmp_path):
    bad = tmp_path / "01-history.yaml"
    bad.write_bytes(b"section: hist\xffory\n")
    questions, [p] = load_file(bad)
    assert questions == [] and "not UTF-8" in p.message and p.file.endswith("01-history.yaml")


def _write_bank(directory, files):
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_load_bank_orders_questions_by_section_then_file(tmp_path):
    _write_bank(
        tmp_path,
        {
            "07-conclusion.yaml": bank_text(
                [good_item("true_false", id="c-1", paragraphs=[1])], section="conclusion"
            ),
            "00-introduction.yaml": bank_text(
                [good_item("basic", id="i-2"), good_item("basic", id="i-1")], section="introduction"
            ),
            "01-history.yaml": bank_text([good_item("cloze")]),
        },
    )
    bank = load_bank(tmp_path)
    assert bank.problems == []
    assert [q.id for q in bank.questions] == ["i-2", "i-1", "history-cloze", "c-1"]
    assert [q.section for q in bank.questions] == [
        "introduction",
        "introduction",
        "history",
        "conclusion",
    ]


def test_duplicate_id_across_files_names_both_places(tmp_path):
    _write_bank(
        tmp_path,
        {
            "01-history.yaml": bank_text([good_item("basic", id="same-id")]),
            "02-multipolar-world.yaml": bank_text(
                [good_item("basic", id="same-id")], section="multipolar-world"
            ),
        },
    )
    bank = load_bank(tmp_path)
    [p] = bank.problems
    assert p.file.endswith("02-multipolar-world.yaml") and p.line == 3 and p.field == "id"
    assert "duplicate id: also used at" in p.message and "01-history.yaml:3" in p.message
    assert [q.section for q in bank.questions] == ["history"]


def test_a_file_must_be_named_after_its_section(tmp_path):
    _write_bank(tmp_path, {"01-history.yaml": bank_text([good_item("basic")], section="security")})
    problems = load_bank(tmp_path).problems
    assert any("should be named 04-security.yaml" in p.message for p in problems)


def test_strict_load_raises_bank_error_listing_every_problem(tmp_path):
    _write_bank(
        tmp_path,
        {
            "01-history.yaml": bank_text(
                [
                    good_item("basic", id="a-1", answer=""),
                    good_item("basic", id="a-2", difficulty=5),
                ]
            )
        },
    )
    with pytest.raises(BankError) as excinfo:
        load_bank(tmp_path, strict=True)
    assert isinstance(excinfo.value, ValueError)
    assert len(excinfo.value.problems) == 2
    assert "a-1: answer:" in str(excinfo.value) and "a-2: difficulty:" in str(excinfo.value)


def test_an_empty_or_missing_directory_is_a_problem(tmp_path):
    assert "no bank files" in load_bank(tmp_path).problems[0].message
    assert "no such directory" in load_bank(tmp_path / "nope").problems[0].message


def test_bank_dir_is_the_package_bank_folder():
    assert BANK_DIR.name == "bank" and BANK_DIR.parent.name == "questions"


@settings(deadline=None, max_examples=150)
@given(st.data())
def test_any_edit_of_a_good_file_gives_problems_or_questions_never_an_exception(data):
    text = GOOD_FILE
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        insert = data.draw(
            st.sampled_from(
                [
                    "",
                    ":",
                    "- ",
                    "  ",
                    "\n",
                    "[",
                    "{",
                    "&a ",
                    "*a",
                    "true",
                    "7",
                    "'",
                    '"',
                    "\t",
                    "!!str ",
                    "~",
                ]
            )
        )
        text = text[:at] + insert + text[at + cut :]
    questions, problems = parse_bank_text(text, "upload.yaml")
    assert questions or problems
    assert all(p.file == "upload.yaml" and (p.line is None or p.line >= 1) for p in problems)
    assert all(str(p).startswith("upload.yaml") for p in problems)
