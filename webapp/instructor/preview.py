"""A question as a student sees it, for the instructor's preview.

It is the quiz's own view of a freshly shuffled presentation (texts in display order,
never which is right), so the preview cannot drift from the quiz.
"""

from __future__ import annotations

from typing import Any

from questions import Question

from ..quiz.presentation import make_presentation, question_view


def student_view(q: Question) -> dict[str, Any]:
    """Display texts of one question in a fresh random order, as a quiz would show them."""
    return question_view(q, make_presentation(q))
