"""Moodle XML import: Moodle's own fixtures, every type the bank has, safe parsing."""

import time
from pathlib import Path

import pytest

from questions import Kind
from questions.formats import ImportDefaults, parse_moodle_xml

MOODLE = Path(__file__).parent / "fixtures" / "moodle"
DEFAULTS = ImportDefaults(section="history", paragraphs=(1,))


def _read(name: str):
    return parse_moodle_xml((MOODLE / name).read_text(), filename=name, defaults=DEFAULTS)


def _quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def _one(question: str):
    items, problems = parse_moodle_xml(_quiz(question), defaults=DEFAULTS)
    assert problems == [], problems
    (item,) = items
    return item.question, [w.message for w in item.warnings if w.field != "explanation"]


# --- Moodle's fixtures ------------------------------------------------------------------
def test_nested_categories_import_their_true_false_questions_and_name_the_essay():
    items, problems = _read("nested_categories_with_questions.xml")
    assert [(i.question.prompt, i.question.answer) for i in items] == [
        ("Testing Iota Question", True),
        ("Testing Kappa Question", True),
        ("Testing Lambda Question", True),
        ("Testing Mu Question", True),
    ]
    assert [i.line for i in items] == [15, 83, 123, 163]
    (refused,) = problems
    assert refused.line == 55 and "essay" in refused.message
    assert "Kappa Essay Question" in refused.message


def test_ordering_fixture_imports_the_items_in_order_with_id_and_feedback():
    items, problems = _read("ordering_testimport.moodle.xml")
    assert problems == []
    (item,) = items
    q = item.question
    assert q.kind is Kind.ORDERING and q.id == "myid"
    assert q.prompt == "Put these words in order."
    assert q.items == ("Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment")
    assert q.explanation == (
        'The correct answer is "Modular Object Oriented Dynamic Learning Environment".'
    )


def test_multianswer_fixture_becomes_a_cloze_with_one_deletion_per_gap():
    items, problems = _read("multianswer.xml")
    assert problems == []
    (item,) = items
    q = item.question
    assert q.kind is Kind.CLOZE
    # Moodle's subquestions: four choices (California, Arizona, California, Arizona) and a
    # short answer (Paris), in text order.
    assert [answer for _, answer, _ in q.cloze_deletions] == [
        "California",
        "Arizona",
        "California",
        "Arizona",
        "Paris",
    ]
    assert q.cloze_deletions[0][2] == "California / Arizona"  # the choices, as a hint
    assert "<img" not in q.prompt and "<p>" not in q.prompt
    messages = " ".join(w.message for w in item.warnings)
    assert "image" in messages and "partial credit" in messages


# --- every type the bank has --------------------------------------------------------------
MULTICHOICE = """
  <question type="multichoice">
    <name><text>Greeting</text></name>
    <questiontext format="html"><text><![CDATA[<p>What language is being spoken?</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <single>{single}</single>
    <answer fraction="{f1}" format="html"><text><![CDATA[<p>French</p>]]></text>
      <feedback format="html"><text><![CDATA[<p>Right, c'est fran&ccedil;ais.</p>]]></text></feedback></answer>
    <answer fraction="{f2}" format="html"><text>Spanish</text>
      <feedback format="html"><text>Sorry, listen again.</text></feedback></answer>
    <answer fraction="0" format="html"><text>German</text></answer>
  </question>"""  # noqa: E501


def test_multichoice_single_keeps_its_key_and_option_feedback():
    q, warnings = _one(MULTICHOICE.format(single="true", f1="100", f2="50"))
    assert q.kind is Kind.SINGLE_CHOICE
    assert [(o.text, o.correct, o.feedback) for o in q.options] == [
        ("French", True, "Right, c'est français."),
        ("Spanish", False, "Sorry, listen again."),
        ("German", False, None),
    ]
    assert any("partial credit dropped" in w for w in warnings)


def test_multichoice_multiple_answers_become_multiple_select():
    q, _ = _one(MULTICHOICE.format(single="false", f1="50", f2="50"))
    assert q.kind is Kind.MULTIPLE_SELECT
    assert [o.correct for o in q.options] == [True, True, False]


PAIRS = [("C#", "Microsoft"), ("Go", "Google"), ("Swift", "Apple"), ("", "IBM")]


def test_truefalse_numerical_shortanswer_matching_with_tags_and_idnumber():
    tf, _ = _one(
        '<question type="truefalse"><name><text>TF</text></name>'
        '<questiontext format="moodle_auto_format"><text>The sun rises in the east.</text>'
        '</questiontext><answer fraction="0"><text>true</text></answer>'
        '<answer fraction="100"><text>false</text></answer>'
        "<tags><tag><text>sky</text></tag><tag><text>sun</text></tag></tags></question>"
    )
    assert (tf.kind, tf.answer, tf.tags) == (Kind.TRUE_FALSE, False, ("sky", "sun"))
    num, warnings = _one(
        '<question type="numerical"><name><text>N</text></name><idnumber>pi-2</idnumber>'
        "<questiontext><text>Pi?</text></questiontext>"
        '<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>'
        '<answer fraction="0"><text>*</text><feedback><text>No.</text></feedback></answer>'
        "<units><unit><multiplier>1</multiplier><unit_name>rad</unit_name></unit></units>"
        "</question>"
    )
    assert (num.kind, num.id, num.answer, num.tolerance, num.unit) == (
        Kind.NUMERIC,
        "pi-2",
        3.14,
        0.01,
        "rad",
    )
    assert warnings == ["the feedback for other answers (*) was dropped"]
    sa, _ = _one(
        '<question type="shortanswer"><name><text>S</text></name>'
        "<questiontext><text>Capital of France?</text></questiontext><usecase>0</usecase>"
        '<answer fraction="100"><text>Paris</text></answer>'
        '<answer fraction="100"><text>Paname</text></answer></question>'
    )
    assert (sa.kind, sa.answer, sa.accept) == (Kind.SHORT_ANSWER, "Paris", ("Paname",))
    match, _ = _one(
        '<question type="matching"><name><text>M</text></name>'
        "<questiontext><text>Match.</text></questiontext>"
        + "".join(
            f'<subquestion format="html"><text>{left}</text><answer><text>{right}</text>'
            "</answer></subquestion>"
            for left, right in [
                ("C#", "Microsoft"),
                ("Go", "Google"),
                ("Swift", "Apple"),
                ("", "IBM"),
            ]
        )
        + "</question>"
    )
    assert [(p.left, p.right) for p in match.pairs][0] == ("C#", "Microsoft")
    assert match.distractors == ("IBM",)


@pytest.mark.parametrize(
    "qtype", ["essay", "description", "calculated", "calculatedmulti", "ddwtos", "gapselect"]
)
def test_a_type_the_bank_lacks_is_refused_by_name(qtype):
    xml = _quiz(
        f'<question type="{qtype}"><name><text>Q</text></name>'
        "<questiontext><text>Text</text></questiontext></question>"
    )
    items, problems = parse_moodle_xml(xml, defaults=DEFAULTS)
    assert items == [] and f"Moodle's {qtype} type" in problems[0].message


def test_a_category_naming_a_section_sets_it():
    items, _ = parse_moodle_xml(
        _quiz(
            '<question type="category"><category><text>$course$/top/Security</text>'
            "</category></question>",
            '<question type="truefalse"><name><text>T</text></name><questiontext><text>X'
            '</text></questiontext><answer fraction="100"><text>true</text></answer></question>',
        ),
        defaults=DEFAULTS,
    )
    assert items[0].question.section == "security"


# --- safe parsing ---------------------------------------------------------------------------
def test_a_billion_laughs_is_refused_at_once():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
        + ']><quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>'
    ).replace("&lol0;", "&lol;")
    start = time.monotonic()
    items, problems = parse_moodle_xml(bomb, defaults=DEFAULTS)
    assert items == [] and "DTD" in problems[0].message
    assert time.monotonic() - start < 1


def test_an_external_entity_is_refused():
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<quiz>&x;</quiz>"
    )
    items, problems = parse_moodle_xml(xxe, defaults=DEFAULTS)
    assert items == [] and problems


def test_broken_xml_is_a_problem_with_its_line():
    items, problems = parse_moodle_xml("<quiz>\n<question>\n</quiz>", defaults=DEFAULTS)
    assert items == [] and problems[0].line == 3


# --- more of Moodle's fixtures ------------------------------------------------------------
def test_questions_in_category_gift():
    from questions.formats import parse_gift

    text = (MOODLE / "questions_in_category.gift.txt").read_text()
    items, problems = parse_gift(text, defaults=DEFAULTS)
    assert problems == []
    match, greeting, user, acronym = (i.question for i in items)
    assert match.kind is Kind.MATCHING and len(match.pairs) == 4
    assert match.distractors == ("Chat",)
    assert greeting.prompt == "Listen to this greeting:\nWhat language is being spoken?"
    assert [(o.text, o.correct) for o in greeting.options][1] == ("French", True)
    assert greeting.options[1].feedback == "Yes, well done!"
    greeting_item = items[1]
    assert any("link" in w.message and "bonjour.mp3" in w.message for w in greeting_item.warnings)
    assert (user.kind, user.answer) == (Kind.SHORT_ANSWER, "Moodler")
    assert user.prompt == "Anyone who uses Moodle is a ..."
    assert (acronym.kind, acronym.answer) == (Kind.TRUE_FALSE, True)
    assert acronym.prompt == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    )


def test_html_chars_in_idnumbers_become_a_bank_id_with_a_warning():
    items, problems = _read("html_chars_in_idnumbers.xml")
    assert problems == []
    (item,) = items
    assert item.question.prompt == "Testing Alpha Question"
    assert item.question.id == "t-f"  # Moodle keeps "T & F"; a bank id is a slug
    assert any("'T & F' became 't-f'" in w.message for w in item.warnings)


def test_every_broken_cloze_question_is_refused_with_its_line():
    items, problems = _read("broken_cloze_questions.xml")
    assert items == []
    assert [p.line for p in problems] == [4, 20, 36, 52, 68]
    messages = [p.message for p in problems]
    assert "without any" in messages[0] and "without any" in messages[1]
    assert "one choice" in messages[2]
    assert "no answer worth 100%" in messages[3]
    assert "'zero' is not a number" in messages[4]


def test_old_ordering_question_with_absolute_grading_is_reported():
    items, problems = _read("ordering_testoldquestion.moodle.xml")
    assert problems == []
    (item,) = items
    q = item.question
    assert (q.id, q.items[0], q.items[-1]) == ("dd1", "Modular", "Environment")
    messages = " ".join(w.message for w in item.warnings)
    assert "ABSOLUTE_POSITION" in messages
    assert "of the 6 items" not in messages  # selecttype ALL: every item is shown
