"""Per-option feedback: a bank field of the choice kinds, kept, checked and exported."""

import re

from questions import Question, spec, validate_item
from tests.questions.samples import good_item


def _with_feedback():
    item = good_item("single_choice")
    item["options"][1]["feedback"] = "Close, but <not> this one."
    return item


def test_option_feedback_survives_the_bank_mapping():
    item = _with_feedback()
    assert validate_item(item, section="history") == []
    q = Question.from_dict(item, section="history")
    assert q.options[1].feedback == "Close, but <not> this one."
    assert q.to_dict()["options"][1]["feedback"] == "Close, but <not> this one."
    assert "feedback" not in q.to_dict()["options"][0]


def test_empty_option_feedback_is_a_problem():
    item = good_item("single_choice")
    item["options"][0]["feedback"] = ""
    assert [p.field for p in validate_item(item, section="history")] == ["options"]


def test_the_anki_card_lists_option_feedback_escaped():
    q = Question.from_dict(_with_feedback(), section="history")
    card = spec(q.kind).anki_card(q)
    # The feedback carries the letter its option has on the card (options are shuffled).
    shown = re.findall(r"<li>(.*?)</li>", card.options)
    letter = "ABCDEF"[shown.index(q.options[1].text)]
    assert f"{letter}. Close, but &lt;not&gt; this one." in card.answer
