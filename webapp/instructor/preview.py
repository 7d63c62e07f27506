"""A question as a student sees it, for the instructor's preview.

It builds the same view the quiz page gives ``quiz/_answer_form.html`` (texts in a
shuffled display order, never which is right), so the preview cannot drift from the quiz.
"""

from __future__ import annotations

from typing import Any

from questions import Question

from ..quiz.presentation import cloze_parts, make_presentation


def student_view(q: Question) -> dict[str, Any]:
    """Display texts of one question in a fresh random order, as a quiz would show them."""
    presentation = make_presentation(q)
    view: dict[str, Any] = {}
    if "options" in presentation:
        view["options"] = [q.options[i].text for i in presentation["options"]]
    if "items" in presentation:
        view["items"] = [q.items[i] for i in presentation["items"]]
    if "lefts" in presentation:
        view["lefts"] = [q.pairs[i].left for i in presentation["lefts"]]
        rights = q.right_texts
        view["rights"] = [rights[i] for i in presentation["rights"]]
    if q.kind.value == "cloze":
        view["cloze"] = cloze_parts(q.prompt)
    return view
