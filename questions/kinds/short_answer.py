"""short_answer: type a word or a name.

Bank fields: ``answer`` (the canonical form) and ``accept`` (other variants). Response: the
typed text, right when it folds (case, accents, punctuation, a leading "the") to a variant.
"""

from __future__ import annotations

from typing import Any

from ..quoting import shown
from . import Kind
from ._typed import TypedSpec
from .base import GiftBlock, MoodleQuestion


class ShortAnswer(TypedSpec):
    kind = Kind.SHORT_ANSWER
    label = "Short answer"
    noun = "short answer"  # for instructors and authors: what the bank calls it
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-short",
        "prompt": "Which short word answers this sample?",
        "answer": "Moscow",
        "accept": "Moskva",
        "explanation": "Extra accepted spellings go in the accept column.",
    }
    gift_priority = 40
    moodle_types = ("shortanswer",)

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        # Moodle: whatever no other kind claims; answers split at =, a %weight% each (none
        # is 100%). Fully right answers are the answer and its variants; the bank has no
        # partial credit, catch-all * or feedback per answer, so those are dropped.
        texts = []
        for a in block.answers(block.body):
            text = block.plain(a.text)
            if a.weight is None or a.weight == 100:
                if text == "*":
                    block.fail("a fully right * (any answer) cannot be graded")
                texts.append(text)
            elif text == "*":
                block.note("the catch-all answer * was dropped (other answers score 0)")
            else:
                block.note(
                    f"the answer {shown(text)} ({a.weight:g}%) was dropped: "
                    "the bank has no partial credit"
                )
            if a.feedback and block.text(a.feedback):
                block.note("the feedback per answer was dropped (the bank has none)")
        if not texts:
            block.fail("no fully right answer: give one with = and no weight below 100%")
        mapping: dict[str, Any] = {"answer": texts[0]}
        if texts[1:]:
            mapping["accept"] = texts[1:]
        return mapping

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        # Moodle: answers with fractions; * matches anything; usecase 1 is case-sensitive.
        texts = []
        for a in mq.answers:
            if a.fraction >= 99.99 and a.text != "*":
                texts.append(a.text)
            elif a.text == "*":
                mq.note("the catch-all answer * was dropped (other answers score 0)")
            elif a.fraction > 0:
                mq.note(
                    f"the answer {shown(a.text)} ({a.fraction:g}%) was dropped: "
                    "the bank has no partial credit"
                )
            if a.feedback:
                mq.note("the feedback per answer was dropped (the bank has none)")
        if mq.get("usecase") == "1":
            mq.note("Moodle matched case; the bank ignores case")
        if not texts:
            mq.fail("no answer has a fraction of 100")
        mapping: dict[str, Any] = {"answer": texts[0]}
        if texts[1:]:
            mapping["accept"] = texts[1:]
        return mapping


SPEC = ShortAnswer()
