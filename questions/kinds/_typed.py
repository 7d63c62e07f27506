"""What the typed kinds share: one canonical answer and accepted variants, matched folded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_accepted, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, graded, matches
from ..model import Question
from ..validation import Collector, check_string_list, check_text, check_typeable
from .base import AnkiCard, CsvRow, KindSpec


class TypedSpec(KindSpec):
    """``answer`` (the canonical form) and ``accept`` (more variants a typed answer may match)."""

    answer_fields = frozenset({"answer", "accept"})
    csv_columns = frozenset({"answer", "accept"})
    lint_typed = True
    lint_word = True

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {"answer": q.answer}
        if q.accept:
            d["accept"] = list(q.accept)
        return d

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        if check_text(c, data, "answer", required=True):
            check_typeable(c, "answer", data["answer"])
        if "accept" in data:
            for variant in check_string_list(c, data["accept"], "accept", what="accepted variant"):
                check_typeable(c, "accept", variant)

    def grade(self, q: Question, response: Any) -> Grade:
        if not isinstance(response, str):
            raise UnreadableAnswer("type the answer as text")
        right = matches(response, [q.answer, *q.accept])
        return graded(
            1.0 if right else 0.0, self.expected(q), [Mark.RIGHT if right else Mark.WRONG]
        )

    def expected(self, q: Question) -> str:
        return str(q.answer if q.answer is not None else "")

    def expected_lines(self, q: Question) -> list[str]:
        return [self.expected(q)]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        return [str(response)]

    def anki_card(self, q: Question) -> AnkiCard:
        return AnkiCard(html_escape(q.prompt), "", html_escape(q.answer) + html_accepted(q.accept))

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        mapping: dict[str, Any] = {"answer": row.get("answer")}
        if row.split("accept"):
            mapping["accept"] = row.split("accept")
        return mapping
