"""The item controls of typed kinds: ``reject`` and ``exact`` in the bank, CSV and grading."""

from __future__ import annotations

import pytest

from questions import Question, grade, validate_item
from questions.formats import parse_csv

SHORT = {
    "id": "history-river",
    "kind": "short_answer",
    "section": "history",
    "paragraphs": [1],
    "prompt": "Which river?",
    "answer": "Heilongjiang",
    "explanation": "Because.",
}


def test_reject_and_exact_survive_a_round_trip():
    data = {**SHORT, "reject": ["Heilongjang"], "exact": True}
    q = Question.from_dict(data)
    assert (q.reject, q.exact) == (("Heilongjang",), True)
    assert Question.from_dict(q.to_dict()) == q
    assert validate_item(q.to_dict(), section="history") == []


def test_a_rejected_variant_is_wrong_and_said_so():
    q = Question.from_dict({**SHORT, "reject": ["Heilongjang"]})
    assert grade(Question.from_dict(SHORT), "Heilongjang").correct
    result = grade(q, "heilongjang")
    assert not result.correct and result.detail.get("rejected")


def test_exact_forgives_no_slip():
    assert not grade(Question.from_dict({**SHORT, "exact": True}), "Heilongjang").correct


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"exact": "yes"}, "exact must be true or false"),
        ({"reject": "Amur"}, "reject must be a list"),
        ({"reject": [""]}, "rejected variant 1 must be non-empty text"),
    ],
)
def test_bad_controls_are_reported(extra, message):
    problems = validate_item({**SHORT, **extra}, section="history")
    assert any(message in p.message for p in problems), problems


def test_csv_reads_reject_and_exact():
    text = (
        "kind,section,paragraphs,prompt,answer,accept,reject,exact,explanation\n"
        "short_answer,history,1,Which river?,Amur,Heilongjiang,Amour|Amor,true,Because.\n"
        "cloze,history,1,The {{c1::Amur}} flows.,,1=Heilongjiang,1=Amour,,Because.\n"
    )
    items, problems = parse_csv(text)
    assert problems == []
    short, cloze = (i.question for i in items)
    assert (short.reject, short.exact) == (("Amour", "Amor"), True)
    assert (cloze.reject, cloze.exact) == ({1: ("Amour",)}, False)
    assert not grade(cloze, ["Amour"]).correct and grade(cloze, ["Amurr"]).correct is False


def test_numeric_accept_and_reject_texts():
    q = Question.from_dict(
        {
            **SHORT,
            "kind": "numeric",
            "answer": 17,
            "unit": "century",
            "accept": ["the century of Peter the Great"],
            "reject": ["17"],
        }
    )
    assert grade(q, "The century of Peter the Great").correct
    assert not grade(q, "17").correct
    assert grade(q, "seventeenth").correct
