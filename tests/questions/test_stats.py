"""bank_stats: counts per section in article order, per kind and per difficulty."""

from questions import Question, bank_stats
from tests.questions.samples import good_item


def test_counts_include_empty_sections_and_kinds_so_gaps_show():
    qs = [
        Question.from_dict(good_item("basic", id="a", difficulty=3), section="security"),
        Question.from_dict(good_item("basic", id="b"), section="history"),
        Question.from_dict(good_item("numeric", id="c"), section="history"),
    ]
    stats = bank_stats(qs)
    assert stats["total"] == 3
    assert stats["sections"]["history"] == 2 and stats["sections"]["security"] == 1
    assert stats["sections"]["coronavirus"] == 0
    assert list(stats["sections"])[0] == "introduction"
    assert stats["kinds"] == {
        "single_choice": 0,
        "multiple_select": 0,
        "true_false": 0,
        "short_answer": 0,
        "numeric": 1,
        "ordering": 0,
        "matching": 0,
        "cloze": 0,
        "basic": 2,
    }
    assert stats["difficulty"] == {"1": 1, "2": 1, "3": 1}


def test_an_empty_bank_counts_zero():
    stats = bank_stats([])
    assert stats["total"] == 0 and set(stats["sections"].values()) == {0}
