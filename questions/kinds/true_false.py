"""true_false: is the statement in the prompt true?

Bank field: ``answer``, true or false. Response: a bool (or "true"/"false" from a form).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_escape, html_instruction
from ..grading import Grade, Mark, UnreadableAnswer, graded
from ..model import Question
from ..validation import Collector
from . import Kind
from .base import AnkiCard, CsvRow, GiftBlock, GiftWriter, KindSpec, MoodleQuestion, MoodleXmlWriter

_TRUE_WORDS = {"true", "t", "yes", "y", "1"}
_FALSE_WORDS = {"false", "f", "no", "n", "0"}
_GIFT_WORDS = ("T", "TRUE", "F", "FALSE")


def _truth(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


class TrueFalse(KindSpec):
    kind = Kind.TRUE_FALSE
    label = "True or false"
    noun = "true or false"  # for instructors and authors: what the bank calls it
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-true-false",
        "prompt": "This sample statement is true.",
        "answer": "true",
        "explanation": "A true/false row puts true or false in the answer column.",
    }
    answer_fields = frozenset({"answer"})
    csv_columns = frozenset({"answer"})
    gift_priority = 35
    lint_statement = True
    lint_leaks = False
    moodle_types = ("truefalse",)

    def answer_dict(self, q: Question) -> dict[str, Any]:
        return {"answer": q.answer}

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        value = data.get("answer")
        if not isinstance(value, bool):
            shown = "missing" if value is None else repr(value)
            c.add(
                "answer", f"a {self.kind.value} item needs answer: true or answer: false ({shown})"
            )

    def _read(self, response: Any) -> bool:
        if isinstance(response, bool):
            return response
        if isinstance(response, str) and response.strip().casefold() in ("true", "false"):
            return response.strip().casefold() == "true"
        raise UnreadableAnswer("answer true or false")

    def grade(self, q: Question, response: Any) -> Grade:
        right = self._read(response) is _truth(q.answer)
        return graded(
            1.0 if right else 0.0, self.expected(q), [Mark.RIGHT if right else Mark.WRONG]
        )

    def sample_right(self, q: Question) -> Any:
        return _truth(q.answer)

    def sample_wrong(self, q: Question) -> Any:
        return not _truth(q.answer)

    def expected(self, q: Question) -> bool:
        return _truth(q.answer)

    def expected_lines(self, q: Question) -> list[str]:
        return ["True" if _truth(q.answer) else "False"]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            return ["True" if self._read(response) else "False"]
        except UnreadableAnswer:
            return ["(unreadable answer)"]

    def anki_card(self, q: Question) -> AnkiCard:
        prompt = html_instruction("True or false?") + html_escape(q.prompt)
        return AnkiCard(prompt, "", "True" if _truth(q.answer) else "False")

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        word = row.get("answer").lower()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            return {"answer": word in _TRUE_WORDS}
        row.bad("answer", f"a {self.kind.value} answer is true or false")
        return {}

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        # Moodle: T, TRUE, F or FALSE (capitals only), then #feedback when the answer is
        # wrong and #feedback when it is right; the bank holds no feedback per answer.
        word, *feedback = block.body.split("#", 2)
        if word.strip() not in _GIFT_WORDS:
            return None
        if any(block.text(f) for f in feedback):
            block.note("the true/false feedback per answer was dropped (the bank has none)")
        return {"answer": word.strip().startswith("T")}

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        right = [a for a in mq.answers if a.fraction >= 99.99]
        words = [a.text.strip().lower() for a in right]
        if len(words) != 1 or words[0] not in ("true", "false"):
            mq.fail("a true/false question needs one answer, true or false, at 100")
        if any(a.feedback for a in mq.answers):
            mq.note("the true/false feedback per answer was dropped (the bank has none)")
        return {"answer": words[0] == "true"}

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        truth = _truth(q.answer)
        return "truefalse", [
            out.answer(100 if truth else 0, "true"),
            out.answer(0 if truth else 100, "false"),
        ]

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        return "TRUE" if _truth(q.answer) else "FALSE"


SPEC = TrueFalse()
