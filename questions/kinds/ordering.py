"""ordering: put 3-8 items in order.

Bank field: ``items``, in the correct order. Response: canonical item indices in the
student's order. Score: the share of item pairs in the right relative order (Kendall), so
one slip costs little and a reversed list scores 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..display import html_escape, html_instruction, html_list, random_order, seeded_shuffle
from ..grading import Grade, Mark, UnreadableAnswer, graded, index_list
from ..model import Question
from ..validation import Collector, check_string_list, check_unique, whole_number
from . import Kind
from .base import AnkiCard, CsvRow, GiftBlock, GiftWriter, KindSpec, MoodleQuestion, MoodleXmlWriter

ITEM_COUNT = (3, 8)
# qtype_ordering's GIFT block: >count, then optional words (select, layout, grading, show
# grading, numbering), then one item per line. A word must stand alone, so an item that
# starts with "H" is not taken for the layout.
_GIFT_ORDERING = re.compile(
    r"^>\s*(\d*)"
    r"(?:\s+(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)(?=\s))?"
    r"(?:\s+(?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)(?=\s))?"
    r"(?:\s+(?:ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST"
    r"|RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT"
    r"|RELATIVE_TO_CORRECT|RELATIVE|REL|LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)(?=\s))?"
    r"(?:\s+(?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)(?=\s))?"
    r"(?:\s+(?:none|123|abc|ABCD|iii|IIII)(?=\s))?"
    r"\s*(.*)$",
    re.DOTALL,
)


class Ordering(KindSpec):
    kind = Kind.ORDERING
    label = "Put in order"
    noun = "ordering"  # for instructors and authors: what the bank calls it
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
    lint_ordered = True
    lint_leaks = False
    gift_priority = 15
    moodle_types = ("ordering",)

    def answer_dict(self, q: Question) -> dict[str, Any]:
        return {"items": list(q.items)}

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        low, high = ITEM_COUNT
        items = data.get("items")
        if not isinstance(items, list) or not items:
            c.add("items", f"items is required: {low}-{high} texts in the correct order")
            return
        texts = check_string_list(c, items, "items", what="item")
        if len(items) < 2:
            c.add("items", f"an {self.kind.value} item needs at least two items, not {len(items)}")
        elif not low <= len(items) <= high:
            c.style(
                "items", f"an {self.kind.value} item needs {low}-{high} items, not {len(items)}"
            )
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

    def sample_right(self, q: Question) -> Any:
        return list(range(len(q.items)))

    def sample_wrong(self, q: Question) -> Any:
        return list(reversed(range(len(q.items))))  # first to last the wrong way round

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

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        # Moodle 4.4's ordering type: {>N ... then the items in order, one a line}.
        if not block.body.startswith(">"):
            return None
        found = _GIFT_ORDERING.match(block.body)
        if not found:
            block.fail("an ordering block is >N, optional settings, then one item a line")
        count, select, lines = found.group(1), found.group(2), found.group(3)
        items = [t for t in (block.text(line) for line in lines.splitlines()) if t]
        if count and select != "ALL" and 2 <= int(count) < len(items):
            block.note(
                f"Moodle shows {count} of the {len(items)} items at a time; "
                "the bank asks for all of them in order"
            )
        return {"items": items}

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        # qtype_ordering writes the items in their correct order.
        items = [a.text for a in mq.answers if a.text]
        count = mq.get("selectcount") or mq.get("studentsee")
        select = mq.get("selecttype") or mq.get("logical")
        shows = whole_number(count)
        if shows is not None and select not in ("ALL", "0") and 2 <= shows < len(items):
            mq.note(
                f"Moodle shows {count} of the {len(items)} items at a time; "
                "the bank asks for all of them in order"
            )
        if any(a.feedback for a in mq.answers):
            mq.note("the feedback per item was dropped (the bank has none)")
        grading = mq.get("gradingtype")
        if grading in ("ALL_OR_NOTHING", "ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
            mq.note(
                f"Moodle graded it {grading}; the bank gives credit for each pair of items "
                "in the right order"
            )
        return {"items": items}

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        children = [
            out.element("layouttype", "VERTICAL"),
            out.element("selecttype", "ALL"),
            out.element("selectcount", str(len(q.items))),
            out.element("gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT"),
            out.element("showgrading", "SHOW"),
            out.element("numberingstyle", "none"),
        ]
        children += [out.answer(n, item) for n, item in enumerate(q.items, 1)]
        return "ordering", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        if any("\n" in item for item in q.items):
            out.note("an item spans lines, and GIFT's ordering puts one item a line")
            return None
        lines = "".join(f"{out.escape(item)}\n" for item in q.items)
        # Every setting written, so no item can be taken for one ("1" for a layout).
        return f">{len(q.items)} ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT SHOW none\n{lines}"


SPEC = Ordering()
