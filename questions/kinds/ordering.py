"""ordering: put 3-8 items in order.

Bank field: ``items``, in the correct order. Response: canonical item indices in the
student's order. Score: the share of item pairs in the right relative order (Kendall), so
one slip costs little and a reversed list scores 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_escape, html_instruction, html_list, random_order, seeded_shuffle
from ..grading import Grade, Mark, UnreadableAnswer, graded, index_list
from ..model import Question
from ..validation import Collector, check_string_list, check_unique
from . import Kind
from .base import AnkiCard, CsvRow, KindSpec

ITEM_COUNT = (3, 8)


class Ordering(KindSpec):
    kind = Kind.ORDERING
    label = "Put in order"
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-ordering",
        "difficulty": "2",
        "prompt": "Put the sample steps in order.",
        "items": "First step|Second step|Third step",
        "explanation": "Items are listed in the correct order.",
    }
    answer_fields = frozenset({"items"})
    csv_columns = frozenset({"items"})

    def answer_dict(self, q: Question) -> dict[str, Any]:
        return {"items": list(q.items)}

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        low, high = ITEM_COUNT
        items = data.get("items")
        if not isinstance(items, list) or not items:
            c.add("items", f"items is required: {low}-{high} texts in the correct order")
            return
        texts = check_string_list(c, items, "items", what="item")
        if not low <= len(items) <= high:
            c.add("items", f"an {self.kind.value} item needs {low}-{high} items, not {len(items)}")
        check_unique(c, "items", texts, what="items")

    def _order(self, q: Question, response: Any) -> list[int]:
        n = len(q.items)
        hint = "give the items as a list of item numbers in your order"
        order = index_list(response, n, what="item", hint=hint)
        if sorted(order) != list(range(n)):
            raise UnreadableAnswer(f"put each of the {n} items exactly once")
        return order

    def grade(self, q: Question, response: Any) -> Grade:
        order = self._order(q, response)
        n = len(order)
        pairs = n * (n - 1) // 2
        in_order = sum(1 for a in range(n) for b in range(a + 1, n) if order[a] < order[b])
        marks: list[Mark | None] = [None] * n
        for position, item in enumerate(order):
            marks[item] = Mark.RIGHT if item == position else Mark.WRONG
        score = in_order / pairs if pairs else 1.0
        return graded(score, self.expected(q), marks, in_order=in_order, pairs=pairs)

    def expected(self, q: Question) -> list[int]:
        return list(range(len(q.items)))

    def expected_lines(self, q: Question) -> list[str]:
        return [f"{i}. {item}" for i, item in enumerate(q.items, 1)]

    def expected_text(self, q: Question) -> str:
        return " → ".join(q.items)

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            return [f"{i}. {q.items[j]}" for i, j in enumerate(self._order(q, response), 1)]
        except UnreadableAnswer:
            return ["(unreadable answer)"]

    def remark(self, q: Question, grade: Grade) -> str:
        in_order, pairs = grade.detail.get("in_order"), grade.detail.get("pairs")
        if in_order is None or pairs is None:
            return ""
        return f"{in_order} of {pairs} pairs of items are in the right order."

    def presentation(self, q: Question) -> dict[str, list[int]]:
        return {"items": random_order(len(q.items), avoid_identity=True)}

    def anki_card(self, q: Question) -> AnkiCard:
        prompt = html_escape(q.prompt) + html_instruction("Put these in order, first to last.")
        shown = seeded_shuffle(q.items, f"anki/{q.id}")
        return AnkiCard(prompt, html_list(shown), html_list(q.items, ordered=True))

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        return {"items": row.split("items")}


SPEC = Ordering()
