"""A question as a student sees it, for the instructor's preview, and what it answers.

The student's view is the quiz's own view of a freshly shuffled presentation (texts in
display order, never which is right), so the preview cannot drift from the quiz. Below
it the instructor sees what the student does not: the key, the explanation, and the
feedback a right and a wrong answer get.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from questions import Question, expected_answer, spec

from ..quiz.presentation import make_presentation, question_view


def student_view(q: Question) -> dict[str, Any]:
    """Display texts of one question in a fresh random order, as a quiz would show them."""
    return question_view(q, make_presentation(q))


@dataclass(frozen=True)
class PreviewFacts:
    """What the preview adds to the student's view."""

    key: str
    explanation: str
    shuffled: bool  # whether the quiz shuffles anything of this question
    right_feedback: str
    wrong_feedback: str


def preview_facts(q: Question) -> PreviewFacts:
    """The key, the explanation and the feedback of a right and of a wrong answer."""
    key = expected_answer(q)
    return PreviewFacts(
        key=key,
        explanation=q.explanation,
        shuffled=bool(spec(q.kind).presentation(q)),
        right_feedback="Correct.",
        # a wrong answer also gets a remark on what was wrong (which options, which gaps)
        wrong_feedback=f"Not quite. The answer: {key}",
    )
