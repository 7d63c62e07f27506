"""The registry of kinds: every kind implements every hook, in one place each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questions import Kind, Mark, Question, Status, grade, spec
from questions.kinds.base import HOOKS, KindSpec
from tests.questions.samples import good_item

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_DIRS = ("questions", "webapp", "templates", "static")


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_implements_every_hook(kind):
    found = spec(kind)
    assert found.kind is kind and found.label
    assert found.answer_fields and found.csv_columns is not None
    for hook in HOOKS:
        assert getattr(type(found), hook) is not getattr(KindSpec, hook), (
            f"{kind.value} does not implement {hook}"
        )


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_grades_its_own_key_and_words_it(kind):
    q = Question.from_dict(good_item(kind.value), section="history")
    kind_spec = spec(kind)
    assert kind_spec.expected_lines(q) and kind_spec.expected_text(q)
    card = kind_spec.anki_card(q)
    assert card.prompt and (card.cloze or card.answer)
    result = grade(q, None)
    assert result.expected == kind_spec.expected(q)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kinds_sample_answers_are_graded_right_and_wrong_by_its_own_grader(kind):
    q = Question.from_dict(good_item(kind.value), section="history")
    assert grade(q, spec(kind).sample_right(q)).correct
    result = grade(q, spec(kind).sample_wrong(q))
    assert result.status is Status.GRADED
    assert not result.correct
    assert Mark.WRONG in result.marks or Mark.MISSED in result.marks


@pytest.mark.parametrize(
    ("changes", "wrong"),
    [
        ({"kind": "numeric", "answer": 1896, "tolerance": 2}, 1899),
        ({"kind": "numeric", "answer": 2.5, "tolerance": 0.25}, 3.75),
        ({"kind": "short_answer", "answer": "Amur", "reject": ["Ussuri"]}, "Ussuri"),
        ({"kind": "true_false", "answer": False}, True),
    ],
)
def test_the_sample_wrong_answer_is_the_near_miss_a_student_makes(changes, wrong):
    item = {**good_item(changes["kind"]), **changes}
    q = Question.from_dict(item, section="history")
    assert spec(q.kind).sample_wrong(q) == wrong
    assert not grade(q, wrong).correct


@pytest.mark.parametrize("kind", list(Kind))
def test_a_kind_is_named_only_in_the_registry_its_module_presenter_and_macros(kind):
    """A change to a kind happens in its own files, not in a switch elsewhere.

    What counts is code that names the kind: ``Kind.NAME`` or the quoted value, as a
    comparison or a mapping key would; prose ("a cloze note", "an ordering question")
    does not.
    """
    pattern = re.compile(rf"Kind\.{kind.name}\b|[\"']{kind.value}[\"']")
    allowed = {
        "questions/kinds/__init__.py",
        f"questions/kinds/{kind.value}.py",
        f"webapp/quiz/presenters/{kind.value}.py",
        f"templates/kinds/{kind.value}.html",
    }
    naming = set()
    for top in PRODUCT_DIRS:
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in (".py", ".html", ".js", ".css") or "bank" in path.parts:
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                naming.add(str(path.relative_to(ROOT)))
    assert naming <= allowed, f"{kind.value} is also named in {sorted(naming - allowed)}"
