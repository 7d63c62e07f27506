"""multiple_select: tick every right option of 3-6.

Bank fields: ``options``, a list of ``{text, correct}`` with at least one key and one
wrong option. Response: a list of canonical option indices. Score: (right picks - wrong
picks) / keys, at least 0, so ticking everything earns nothing.
"""

from __future__ import annotations

from typing import Any

from ..grading import Grade, Mark, index_list
from ..model import Question
from . import Kind
from ._choice import ChoiceSpec


class MultipleSelect(ChoiceSpec):
    kind = Kind.MULTIPLE_SELECT
    label = "Choose all that apply"
    noun = "multiple select"  # for instructors and authors: what the bank calls it
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-select",
        "difficulty": "2",
        "prompt": "Which two of these are marked right in this sample?",
        "options": "First|Second|Third|Fourth",
        "correct": "1|3",
        "explanation": "Options one and three are the keys.",
    }
    option_count = (3, 6)
    single = False
    gift_priority = 25
    lint_leaks = False

    def picks(self, q: Question, response: Any) -> set[int]:
        hint = "pick options as a list of option numbers"
        return set(index_list(response, len(q.options), what="option", hint=hint))

    def remark(self, q: Question, grade: Grade) -> str:
        right = grade.marks.count(Mark.RIGHT)
        wrong = grade.marks.count(Mark.WRONG)
        missed = grade.marks.count(Mark.MISSED)
        keys = right + missed
        text = f"You picked {right} of {keys} right option(s)"
        if wrong:
            text += f" and {wrong} wrong one(s)"
        return text + (f"; {missed} right option(s) missed." if missed else ".")


SPEC = MultipleSelect()
