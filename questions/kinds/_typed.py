"""What the typed kinds share: one canonical answer and accepted variants, matched folded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_accepted, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, graded, matches
from ..model import Question
from ..validation import Collector, check_string_list, check_text, check_typeable
from .base import AnkiCard, CsvRow, GiftWriter, KindSpec, MoodleXmlWriter


class TypedSpec(KindSpec):
    """``answer`` (the canonical form) and ``accept`` (more variants a typed answer may match)."""

    answer_fields = frozenset({"answer", "accept"})
    csv_columns = frozenset({"answer", "accept"})

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

    def _as_short_answer(self, out: GiftWriter | MoodleXmlWriter) -> None:
        if not self.moodle_types:
            out.note(f"Moodle has no {self.label.lower()} type: written as a short answer")

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        self._as_short_answer(out)
        children = [out.element("usecase", "0")]
        children += [out.answer(100, str(text)) for text in [q.answer, *q.accept]]
        return "shortanswer", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        self._as_short_answer(out)
        texts = [str(t) for t in [q.answer, *q.accept]]
        if any("->" in t for t in texts):
            out.note("an answer holds '->', which GIFT would read as a matching pair")
            return None
        return "".join(f"={out.escape(t)} " for t in texts).rstrip()
