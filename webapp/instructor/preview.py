"""A question as a student sees it, for the instructor's preview, and what it answers.

The student's view is the quiz's own view of a freshly shuffled presentation (texts in
display order, never which is right), so the preview cannot drift from the quiz. Below
it the instructor sees what the student does not: the key, the explanation, and the
feedback a right and a wrong answer get. Both answers are made by the kind
(``sample_right``, ``sample_wrong``), graded by its own grader and drawn with the same
feedback macros a student sees after answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from questions import Question, Status, expected_answer, grade, spec
from questions.grading import forgiven_text

from ..quiz.presentation import (
    make_presentation,
    marked_view,
    question_view,
    remark,
    response_for_json,
    response_lines,
    source,
)


@dataclass(frozen=True)
class SampleAnswer:
    """One made-up answer as the feedback macro takes it: its score and what it shows."""

    given: str  # the answer in words
    score: float
    correct: bool
    fb: dict[str, Any]


@dataclass(frozen=True)
class PreviewFacts:
    """What the preview adds to the student's view."""

    key: str
    explanation: str
    shuffled: bool  # whether the quiz shuffles anything of this question
    view: dict[str, Any]  # the student's view, in the presentation the answers use
    right: SampleAnswer | None
    wrong: SampleAnswer | None


def preview_facts(q: Question) -> PreviewFacts:
    """The key, the explanation, and a right and a wrong answer with their feedback."""
    kind = spec(q.kind)
    presentation = make_presentation(q)
    return PreviewFacts(
        key=expected_answer(q),
        explanation=q.explanation,
        shuffled=bool(presentation),
        view=question_view(q, presentation),
        right=_answered(q, presentation, kind.sample_right(q), want_right=True),
        wrong=_answered(q, presentation, kind.sample_wrong(q), want_right=False),
    )


def _answered(
    q: Question, presentation: dict[str, Any], response: Any, *, want_right: bool
) -> SampleAnswer | None:
    """The feedback ``response`` gets, as the quiz builds it; None if it is not what was
    wanted (a question whose every answer is right, or one the grader cannot read)."""
    if response is None:
        return None
    result = grade(q, response)
    if result.status is not Status.GRADED or result.correct is not want_right:
        return None
    stored = response_for_json(q, response)
    picks = q.kind.spec.option_picks(q, response)
    fb = {
        "source": source(q),
        # what the cited paragraphs say is in the form's picker; twice more is noise
        "digests": [],
        "remark": remark(q, result),
        "grade": result,
        "forgiven": forgiven_text(result),
        "regraded_at": None,
        "picked": [
            (q.options[i].text, q.options[i].feedback)
            for i in picks
            if i < len(q.options) and q.options[i].feedback
        ],
        "marked": marked_view(q, presentation, stored, result),
    }
    given = "; ".join(response_lines(q, stored))
    return SampleAnswer(given=given, score=result.score, correct=result.correct, fb=fb)
