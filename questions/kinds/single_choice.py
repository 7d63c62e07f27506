"""single_choice: pick the one right option of 3-5.

Bank fields: ``options``, a list of ``{text, correct}`` with exactly one ``correct: true``.
Response: the canonical index of the picked option. Score 1 for the key, else 0.
"""

from __future__ import annotations

from typing import Any

from ..grading import index
from ..model import Question
from . import Kind
from ._choice import ChoiceSpec


class SingleChoice(ChoiceSpec):
    kind = Kind.SINGLE_CHOICE
    label = "Choose one"
    noun = "single choice"  # for instructors and authors: what the bank calls it
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-choice",
        "tags": "treaties",
        "prompt": "Which year does this sample ask about?",
        "options": "1896|1950|2001",
        "correct": "1",
        "explanation": "The first option is the key; the others are distractors.",
    }
    option_count = (3, 5)
    single = True
    gift_priority = 20

    def picks(self, q: Question, response: Any) -> set[int]:
        return {index(response, len(q.options), what="option")}


SPEC = SingleChoice()
