"""short_answer: type a word or a name.

Bank fields: ``answer`` (the canonical form) and ``accept`` (other variants). Response: the
typed text, right when it folds (case, accents, punctuation, a leading "the") to a variant.
"""

from __future__ import annotations

from typing import Any

from . import Kind
from ._typed import TypedSpec
from .base import GiftBlock


class ShortAnswer(TypedSpec):
    kind = Kind.SHORT_ANSWER
    label = "Short answer"
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-short",
        "prompt": "Which short word answers this sample?",
        "answer": "Moscow",
        "accept": "Moskva",
        "explanation": "Extra accepted spellings go in the accept column.",
    }
    gift_priority = 40

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        answers = block.answers(block.body)
        if not all(a.marker == "=" for a in answers):
            return None
        if any(a.weight is not None and a.weight < 100 for a in answers):
            block.fail(
                "partial credit on a short answer (=%50%...) is not supported: "
                "list only fully right answers"
            )
        texts = [block.unescape(a.text) for a in answers]
        mapping: dict[str, Any] = {"answer": texts[0]}
        if texts[1:]:
            mapping["accept"] = texts[1:]
        return mapping


SPEC = ShortAnswer()
