"""How a question is shown and read back, for any kind: the kind's presenter does the work.

Pure functions over ``questions.Question`` and the stored ``presentation`` mapping, so
they are tested without an app. Everything kind-specific is in the kind's module
(``questions/kinds/``) and presenter (``webapp/quiz/presenters/``); this module only
dispatches, so a view never switches on a kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Grade, Kind, Question, Status, grade, spec
from questions.display import source_label

from .presenters import ParseResult, presenter
from .presenters.base import FormData

__all__ = [
    "ParseResult",
    "display_prompt",
    "expected_lines",
    "make_presentation",
    "marked_view",
    "parse_form",
    "question_view",
    "remark",
    "response_for_json",
    "response_from_json",
    "response_lines",
    "source",
    "stored_grade",
]


def make_presentation(q: Question) -> dict[str, list[int]]:
    """Random display orders for one attempt, as indices into the question's lists."""
    return spec(q.kind).presentation(q)


def question_view(q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
    """What the answer form shows: texts in display order, never which one is right."""
    return presenter(q.kind).view(q, presentation)


def parse_form(q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
    """Read a submitted answer form into the canonical response of the question's kind."""
    return presenter(q.kind).parse(q, presentation, form)


def marked_view(
    q: Question, presentation: Mapping[str, Any], stored: Any, result: Grade | None
) -> dict[str, Any]:
    """What the kind's ``marked`` macro shows: the question as asked, each part marked.

    ``stored`` is the answer's JSON response (None when unanswered).
    """
    response = None
    if stored is not None:
        try:
            response = response_from_json(q, stored)
        except (IndexError, KeyError, TypeError, ValueError):
            response = None
    try:
        return presenter(q.kind).marked(q, presentation, response, result)
    except (IndexError, KeyError, TypeError, ValueError):
        # A response of an unexpected shape still shows the question and its key.
        return presenter(q.kind).marked(q, presentation, None, None)


def display_prompt(q: Question) -> str:
    """The prompt as a reader sees it outside the answer form (a cloze's gaps blanked)."""
    return spec(q.kind).prompt_text(q)


def source(q: Question) -> str:
    """'History, paragraph 1' or 'History, paragraphs 1 and 2'."""
    return source_label(q.section, q.paragraphs)


def response_for_json(q: Question, response: Any) -> Any:
    """A response in a form the JSON column keeps."""
    return spec(q.kind).response_to_json(q, response)


def response_from_json(q: Question, stored: Any) -> Any:
    """The inverse of :func:`response_for_json`."""
    return spec(q.kind).response_from_json(q, stored)


def expected_lines(q: Question) -> list[str]:
    """The right answer in words, one line per part."""
    return spec(q.kind).expected_lines(q)


def response_lines(q: Question, stored: Any) -> list[str]:
    """The student's stored answer in words."""
    kind = spec(q.kind)
    try:
        return kind.response_lines(q, kind.response_from_json(q, stored))
    except (IndexError, KeyError, TypeError, ValueError):
        return ["(unreadable answer)"]


def stored_grade(q: Question, stored: Mapping[str, Any] | None, response: Any) -> Grade:
    """The grade stored with an answer; an answer from before grades were stored is graded
    again from its response (grading is pure, and the revision is the one answered)."""
    if stored:
        return Grade.from_dict(stored)
    return grade(q, response_from_json(q, response))


def remark(q: Question, result: Grade) -> str:
    """The sentence a partly right or wrong answer gets beyond "your answer / the answer"."""
    if result.correct or result.status is not Status.GRADED:
        return ""
    return spec(q.kind).remark(q, result)


def kind_of(value: str) -> Kind | None:
    """The kind named by a stored value, or None for an unknown one."""
    return Kind(value) if value in Kind._value2member_map_ else None
