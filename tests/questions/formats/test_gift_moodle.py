"""GIFT read as Moodle reads it: Moodle's own inputs, with what Moodle's tests expect.

Fixtures are copies from moodle/moodle (fixtures/moodle/README.md). Each expectation is
Moodle's (giftformat_test.php, or format.php's reading of examples.txt) for the parts the
bank holds; what it cannot hold is asserted as a warning, never silently changed.
"""

from pathlib import Path

import pytest

from questions import Kind, Question
from questions.formats import ImportDefaults, dump_gift, parse_gift
from questions.formats.gift import _tags_and_id
from questions.model import ID_PATTERN

MOODLE = Path(__file__).parent / "fixtures" / "moodle"
DEFAULTS = ImportDefaults(section="history", paragraphs=(1,))


def _read(name: str):
    return parse_gift((MOODLE / name).read_text(), filename=name, defaults=DEFAULTS)


def _one(text: str):
    items, problems = parse_gift(text, defaults=DEFAULTS)
    assert problems == [], problems
    (item,) = items
    return item.question, [w.message for w in item.warnings if w.field != "explanation"]


def _options(q):
    return [(o.text, o.correct, o.feedback) for o in q.options]


# --- giftformat_test.php ----------------------------------------------------------------
def test_import_match_strips_every_format_marker_and_keeps_the_distractor():
    items, _ = _read("questions.gift.txt")
    q = next(i.question for i in items if i.line == 5)
    assert q.kind is Kind.MATCHING
    # Moodle: questiontext 'Match the <b>activity</b> ...' in HTML; the bank holds its text.
    assert q.prompt == "Match the activity to the description."
    assert [(p.left, p.right) for p in q.pairs] == [
        ("An activity supporting asynchronous discussions.", "Forum"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
        ("A bank of record entries which participants can add to.", "Database"),
        ("A collection of web pages that anyone can add to or edit.", "Wiki"),
    ]
    assert q.distractors == ("Chat",)


def test_import_multichoice_keeps_feedback_per_option_without_markers():
    items, _ = _read("questions.gift.txt")
    q = next(i.question for i in items if i.line == 14)
    assert q.kind is Kind.SINGLE_CHOICE  # Moodle: 'single' => 1
    assert q.prompt == "What's between orange and green in the spectrum?"
    assert _options(q) == [
        ("yellow", True, "right; good!"),
        ("red", False, "wrong, it's yellow"),
        ("blue", False, "wrong, it's yellow"),
    ]


def test_import_multichoice_multi():
    items, _ = _read("questions.gift.txt")
    q = next(i.question for i in items if i.line == 22)
    assert q.kind is Kind.MULTIPLE_SELECT  # Moodle: 'single' => 0, fractions .5 -1 .5 -1
    assert _options(q) == [
        ("yellow", True, "right; good!"),
        ("red", False, "wrong"),
        ("off-beige", True, "right; good!"),
        ("blue", False, "wrong"),
    ]


def test_import_multichoice_multi_tricky():
    q, _ = _one(
        "::colours:: What's between orange and green in the spectrum?\n{\n"
        "    ~%100%yellow # right; good!\n    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}"
    )
    assert q.kind is Kind.MULTIPLE_SELECT  # Moodle: single 0, fractions 1, -0.5, -0.5
    assert _options(q) == [
        ("yellow", True, "right; good!"),
        ("red", False, "wrong"),
        ("blue", False, "wrong"),
    ]


def test_import_numerical_with_feedback_for_other_answers():
    q, warnings = _one("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert q.kind is Kind.NUMERIC
    assert q.prompt == "What is a number from 1 to 5?"
    assert (q.answer, q.tolerance) == (3, 2)  # Moodle: answer 3, tolerance 2
    assert warnings == ["the feedback for other answers (~#...) was dropped"]


def test_import_shortanswer_keeps_the_full_credit_answer_and_reports_the_rest():
    items, _ = _read("questions.gift.txt")
    item = next(i for i in items if i.line == 34)
    q = item.question
    assert q.kind is Kind.SHORT_ANSWER  # Moodle: answers Frog 1, Cat 0.5, * 0
    assert (q.answer, q.accept) == ("Frog", ())
    messages = " ".join(w.message for w in item.warnings)
    assert "'Cat' (50%) was dropped" in messages and "catch-all answer *" in messages


def test_import_shortanswer_with_general_feedback():
    q, _ = _one(
        "::Shortanswer::Which is the best animal?{\n    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n    =%0%*#Completely wrong\n"
        "    ####[html]Here is some general feedback!\n}"
    )
    assert q.answer == "Frog"
    assert q.explanation == "Here is some general feedback!"  # marker stripped, as Moodle


def test_import_truefalse():
    q, warnings = _one(
        "::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}"
    )
    assert q.kind is Kind.TRUE_FALSE and q.answer is False  # Moodle: correctanswer 0
    assert q.prompt == "42 is the Absolute Answer to everything."
    assert warnings == ["the true/false feedback per answer was dropped (the bank has none)"]


@pytest.mark.parametrize("word", ["T", "TRUE"])
def test_import_truefalse_true_answer(word):
    q, _ = _one("// name 0-11\n::2-08 TSL::TSL is blablabla.{" + word + "}")
    assert q.kind is Kind.TRUE_FALSE and q.answer is True  # Moodle: correctanswer 1
    assert q.prompt == "TSL is blablabla."


def test_import_backslash():
    # Moodle (MDL-34171): "A \\ B \\\\ C" reads "A \ B \\ C".
    q, _ = _one("::double backslash:: A \\\\ B \\\\\\\\ C{T}")
    assert q.prompt == "A \\ B \\\\ C"


def test_import_pre_content_keeps_escaped_braces_and_the_pre_text():
    q, _ = _one(
        "::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
        "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{=nothing}"
    )
    assert q.prompt.startswith("What would running the test method print?")
    assert "public void test() {" in q.prompt and "}" in q.prompt
    assert "<p>" not in q.prompt and "<pre>" not in q.prompt


def test_import_question_with_tags_and_idnumber():
    q, _ = _one(
        "// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n::Question name:: How are you? {=fine}"
    )
    assert q.tags == ("tag", "other-tag")  # Moodle: tags ['tag', 'other-tag']
    assert q.id == "myid"  # Moodle: idnumber 'myid'


@pytest.mark.parametrize(
    ("gift", "moodle_type"),
    [
        ("::Q8:: How are you? {}", "essay"),
        ("Just some text without answers.", "description"),
    ],
)
def test_a_type_the_bank_lacks_is_refused_by_name(gift, moodle_type):
    items, problems = parse_gift(gift, defaults=DEFAULTS)
    assert items == []
    assert moodle_type in problems[0].message


# --- examples.txt, as format.php reads it -------------------------------------------------
def test_every_example_of_the_importer_imports():
    items, problems = _read("examples.txt")
    assert problems == []
    assert len(items) == 43


PI = "What is the value of pi (to 3 decimal places)? _____."
GRANT_TWO = "What two people are entombed in Grant's tomb?"
KANJI = "Japanese characters originally\ncame from what country?"
CONTROL = "Which of the following is NOT a control character for the GIFT import format?"


@pytest.mark.parametrize(
    ("line", "kind", "prompt", "key"),
    [
        (8, Kind.SINGLE_CHOICE, "Who's buried in Grant's tomb?", ["no one"]),
        (10, Kind.SINGLE_CHOICE, "Grant is _____ in Grant's tomb.", ["entombed"]),
        (12, Kind.TRUE_FALSE, "Grant is buried in Grant's tomb.", False),
        (14, Kind.SHORT_ANSWER, "Who's buried in Grant's tomb?", ("no one", ("nobody",))),
        (16, Kind.NUMERIC, "When was Ulysses S. Grant born?", (1822, 1)),
        (45, Kind.SHORT_ANSWER, "Two plus two equals _____.", ("four", ("4",))),
        (51, Kind.TRUE_FALSE, "The sun rises in the east.", True),
        (72, Kind.NUMERIC, PI, (3.1415, 0.0005)),
        (74, Kind.NUMERIC, PI, (3.1415, 0.0005)),
        (76, Kind.NUMERIC, "When was Ulysses S. Grant born?", (1822, 0)),
        (90, Kind.SHORT_ANSWER, KANJI, ("China", ())),
        (108, Kind.SHORT_ANSWER, "Who's buried in Grant's tomb?", ("no one", ("nobody",))),
        (115, Kind.SINGLE_CHOICE, "Difficult question.", ["full credit answer"]),
        (117, Kind.SINGLE_CHOICE, "Jesus Christ was from _____.", ["Nazareth"]),
        (123, Kind.SHORT_ANSWER, "Jesus Christ was from", ("Nazareth", ())),
        (130, Kind.MULTIPLE_SELECT, GRANT_TWO, ["Grant", "Grant's wife"]),
        (136, Kind.MULTIPLE_SELECT, GRANT_TWO, ["Grant", "Grant's wife"]),
        (143, Kind.SINGLE_CHOICE, "Which answer equals 5?", ["= 2 + 3"]),
        (148, Kind.SINGLE_CHOICE, CONTROL, ["\\"]),
        (175, Kind.NUMERIC, "When was Ulysses S. Grant born?", (1822, 5)),
        (184, Kind.SINGLE_CHOICE, "Grant is _____ in Grant's tomb.", ["entombed"]),
        (195, Kind.SHORT_ANSWER, "Jesus Christ was from _____.", ("Nazareth", ())),
        (202, Kind.NUMERIC, "When was Ulysses S. Grant born?", (1822, 0)),
    ],
)  # fmt: skip
def test_examples_read_with_moodles_kind_text_and_key(line, kind, prompt, key):
    items, _ = _read("examples.txt")
    q = next(i.question for i in items if i.line == line)
    assert (q.kind, q.prompt) == (kind, prompt)
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_SELECT):
        assert [o.text for o in q.options if o.correct] == key
    elif kind is Kind.SHORT_ANSWER:
        assert (q.answer, q.accept) == key
    elif kind is Kind.NUMERIC:
        assert (q.answer, q.tolerance) == key
    else:
        assert q.answer is key


def test_partial_credit_on_single_choice_stays_single_and_is_reported():
    items, _ = _read("examples.txt")
    item = next(i for i in items if i.line == 115)
    assert item.question.kind is Kind.SINGLE_CHOICE
    assert any("partial credit dropped" in w.message for w in item.warnings)


def test_markdown_prompt_reads_as_text():
    items, _ = _read("examples.txt")
    q = next(i.question for i in items if i.line == 108)
    assert q.prompt == "Who's buried in Grant's tomb?"  # [markdown] and ** gone


def test_matching_examples():
    items, _ = _read("examples.txt")
    q = next(i.question for i in items if i.line == 61)
    assert [(p.left, p.right) for p in q.pairs][-1] == ("India", "New Delhi")
    q = next(i.question for i in items if i.line == 177)
    assert [(p.left, p.right) for p in q.pairs] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
    ]


# --- qtype_ordering's fixture -------------------------------------------------------------
def test_ordering_gift_imports_the_items_in_order_with_its_id():
    items, problems = _read("ordering_testexport.gift.txt")
    assert problems == []
    (item,) = items
    q = item.question
    assert q.kind is Kind.ORDERING and q.id == "myid"
    assert q.prompt == "Put these words in order."
    assert q.items == ("Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment")
    assert any("2 of the 6 items" in w.message for w in item.warnings)


# --- what the issue found parsed wrong ----------------------------------------------------
def test_format_markers_are_stripped_from_every_part():
    q, _ = _one("Which? {~[html]incorrect. =[html]correct. ~[plain]other ####[html]<b>Why</b>}")
    assert [(o.text, o.correct) for o in q.options] == [
        ("incorrect.", False),
        ("correct.", True),
        ("other", False),
    ]
    assert q.explanation == "Why"


def test_tilde_equals_is_a_right_answer_as_in_moodle():
    q, _ = _one("Quantity? {~=some ~a few ~many}")
    assert [(o.text, o.correct) for o in q.options] == [
        ("some", True),
        ("a few", False),
        ("many", False),
    ]


def test_options_with_arrows_stay_a_choice():
    q, _ = _one("Save a copy? {=File -> Save As ~File -> Open ~File -> Close}")
    assert q.kind is Kind.SINGLE_CHOICE
    assert q.options[0].text == "File -> Save As"


def test_a_hash_inside_a_matching_pair_is_text():
    q, _ = _one("Match. {=C# -> Microsoft =Go -> Google =Swift -> Apple}")
    assert q.pairs[0].left == "C#"


def test_ordering_syntax_with_settings():
    q, _ = _one("Order them. {>4 CONTIGUOUS\nHydrogen\nHelium\nLithium\nBeryllium\n}")
    assert q.kind is Kind.ORDERING
    assert q.items == ("Hydrogen", "Helium", "Lithium", "Beryllium")


def test_html_shows_as_text_and_an_image_is_reported():
    q, warnings = _one('[html]<p>Which &amp; why <img src="x.png" alt="map"></p>{T}')
    assert q.prompt == "Which & why map"
    assert any("image" in w for w in warnings)


def test_two_fully_right_answers_in_a_choice_are_refused_not_guessed():
    items, problems = parse_gift("Q {=a =b ~c}", defaults=DEFAULTS)
    assert items == [] and "single choice has one key" in problems[0].message


# --- giftformat_test.php: extract_idnumber_and_tags_from_comment ---------------------------
MIXED_UP = "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion."


@pytest.mark.parametrize(
    ("idnumber", "tags", "comment"),
    [
        ("", [], ""),
        ("", [], "// A basic comment."),
        ("frog", [], "// A comment with [id:frog] <-- an idnumber."),
        ("", ["frog", "toad"], "// Look tags: [tag:frog] [tag:toad]."),
        ("four", ["add", "basic"], "// [tag:add] [tag:basic] [id:four]"),
        ("four", ["basic", "add"], MIXED_UP),
        ("", [], "// Ceci n'est pas une [tag:\n\\ frog]."),
        ("i]d", [], "// [id:i\\]d]."),
        ("", ["t]ag"], "// [tag:t\\]ag]."),
    ],
)  # fmt: skip
def test_extract_idnumber_and_tags_from_comment(idnumber, tags, comment):
    mapping, notes = {}, []
    _tags_and_id(comment.split("\n"), mapping, notes)
    assert mapping.get("tags", []) == tags
    if not idnumber:
        assert "id" not in mapping
    elif ID_PATTERN.match(idnumber):
        assert mapping["id"] == idnumber
    else:  # Moodle keeps "i]d"; the bank's id is a slug of it, and the import says so
        assert any(repr(idnumber) in n for n in notes)


def test_export_question_with_tags_and_idnumber():
    q = Question.from_dict(
        {
            "id": "myid",
            "kind": "true_false",
            "section": "history",
            "paragraphs": [1],
            "tags": ["tag1", "tag2"],
            "prompt": "The answer is true.",
            "answer": True,
            "explanation": "You should have selected true.",
        }
    )
    text, notes = dump_gift([q])
    # Moodle: "// [id:myid] [tag:tag1] [tag:tag2]" then "::name::...{TRUE...####general}"
    assert "// [id:myid] [tag:tag1] [tag:tag2]\n" in text
    assert "::myid::The answer is true.{TRUE####You should have selected true.}" in text
    assert notes == []
