"""matching: match each left with its right.

Bank fields: ``pairs`` (at least 3 ``{left, right}``) and ``distractors`` (extra rights
that match nothing). Response: {left index: right index}, where right indices count the
pairs' rights first, then the distractors (``Question.right_texts``). Score: the share of
lefts matched right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_escape, html_instruction, html_list, random_order, sorted_texts
from ..grading import Grade, Mark, UnreadableAnswer, graded, index
from ..model import Question
from ..quoting import shown
from ..validation import (
    Collector,
    check_string_list,
    check_unique,
    is_scalar_text,
    norm,
    type_name,
)
from . import Kind
from .base import AnkiCard, CsvRow, GiftBlock, GiftWriter, KindSpec, MoodleQuestion, MoodleXmlWriter

MIN_PAIRS = 3


class Matching(KindSpec):
    kind = Kind.MATCHING
    label = "Match the pairs"
    noun = "matching"  # for instructors and authors: what the bank calls it
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-matching",
        "difficulty": "2",
        "prompt": "Match each sample left with its right.",
        "pairs": "A -> 1|B -> 2|C -> 3",
        "distractors": "4",
        "explanation": "Pairs are written left -> right.",
    }
    answer_fields = frozenset({"pairs", "distractors"})
    csv_columns = frozenset({"pairs", "distractors"})
    gift_priority = 30
    lint_pairs = True
    lint_leaks = False
    moodle_types = ("matching",)

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {"pairs": [{"left": p.left, "right": p.right} for p in q.pairs]}
        if q.distractors:
            d["distractors"] = list(q.distractors)
        return d

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        pairs = data.get("pairs")
        if not isinstance(pairs, list) or not pairs:
            c.add("pairs", f"pairs is required: at least {MIN_PAIRS} mappings with left and right")
            return
        lefts: list[str] = []
        rights: list[str] = []
        for n, pair in enumerate(pairs, 1):
            if not isinstance(pair, Mapping):
                c.add(
                    "pairs",
                    f"pair {n} must be a mapping like {{left: ..., right: ...}}, "
                    f"not {type_name(pair)}",
                )
                continue
            for key in pair:
                if key not in ("left", "right"):
                    c.add(
                        "pairs",
                        f"pair {n} has an unknown key {shown(key)} (a pair has left and right)",
                    )
            for side, bucket in (("left", lefts), ("right", rights)):
                value = pair.get(side)
                if not is_scalar_text(value):
                    c.add("pairs", f"pair {n} needs a non-empty {side}")
                else:
                    bucket.append(str(value))
        if len(pairs) < 2:
            c.add("pairs", f"a {self.kind.value} item needs at least two pairs, not {len(pairs)}")
        elif len(pairs) < MIN_PAIRS:
            c.style(
                "pairs",
                f"a {self.kind.value} item needs at least {MIN_PAIRS} pairs, not {len(pairs)}",
            )
        check_unique(c, "pairs", lefts, what="lefts")
        if "distractors" in data:
            extra = check_string_list(c, data["distractors"], "distractors", what="distractor")
            field = "distractors" if set(map(norm, extra)) & set(map(norm, rights)) else "pairs"
            check_unique(c, field, rights + extra, what="rights (distractors included)")
        else:
            check_unique(c, "pairs", rights, what="rights")

    def _chosen(self, q: Question, response: Any) -> dict[int, int | None]:
        if not isinstance(response, Mapping):
            raise UnreadableAnswer("match each left to a right")
        n_left, n_right = len(q.pairs), len(q.right_texts)
        chosen: dict[int, int | None] = {}
        for left, right in response.items():
            chosen[index(left, n_left, what="left")] = (
                None if right is None or right == "" else index(right, n_right, what="right")
            )
        return chosen

    def grade(self, q: Question, response: Any) -> Grade:
        chosen = self._chosen(q, response)
        # The right text of pair i sits at index i of right_texts (pairs, then distractors).
        marks = [
            Mark.MISSED if chosen.get(i) is None else Mark.RIGHT if chosen[i] == i else Mark.WRONG
            for i in range(len(q.pairs))
        ]
        return graded(marks.count(Mark.RIGHT) / len(q.pairs), self.expected(q), marks)

    def sample_right(self, q: Question) -> Any:
        return {i: i for i in range(len(q.pairs))}

    def sample_wrong(self, q: Question) -> Any:
        # The first two rights swapped, the other pairs matched right.
        chosen = {i: i for i in range(len(q.pairs))}
        if len(q.pairs) > 1:
            chosen[0], chosen[1] = 1, 0
        elif len(q.right_texts) > 1:
            chosen[0] = 1  # one pair: a distractor
        return chosen

    def expected(self, q: Question) -> list[int]:
        return list(range(len(q.pairs)))

    def expected_lines(self, q: Question) -> list[str]:
        return [f"{p.left} → {p.right}" for p in q.pairs]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            chosen = self._chosen(q, self.response_from_json(q, response))
        except UnreadableAnswer:
            return ["(unreadable answer)"]
        rights = q.right_texts
        return [
            f"{q.pairs[a].left} → {rights[b] if b is not None else '(none)'}"
            for a, b in sorted(chosen.items())
        ]

    def remark(self, q: Question, grade: Grade) -> str:
        return f"{grade.marks.count(Mark.RIGHT)} of {len(grade.marks)} matches are right."

    def response_to_json(self, q: Question, response: Any) -> Any:
        # JSON keeps only string keys: store the mapping as [[left, right], ...].
        if isinstance(response, Mapping):
            return sorted([int(a), int(b)] for a, b in response.items())
        return response

    def response_from_json(self, q: Question, stored: Any) -> Any:
        if isinstance(stored, list):
            return {int(a): int(b) for a, b in stored}
        return stored

    def presentation(self, q: Question) -> dict[str, list[int]]:
        return {"lefts": random_order(len(q.pairs)), "rights": random_order(len(q.right_texts))}

    def anki_card(self, q: Question) -> AnkiCard:
        prompt = html_escape(q.prompt) + html_instruction(
            "Match each item on the left with one on the right."
        )
        lefts = html_list((p.left for p in q.pairs), ordered=True)
        rights = html_list(sorted_texts(q.right_texts), letters=True)
        options = f'<div class="columns"><div>{lefts}</div><div>{rights}</div></div>'
        pairs = "".join(
            f"<li>{html_escape(p.left)} &rarr; {html_escape(p.right)}</li>" for p in q.pairs
        )
        return AnkiCard(prompt, options, f"<ol>{pairs}</ol>")

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        pairs = []
        for part in row.split("pairs"):
            left, arrow, right = part.partition("->")
            if not arrow:
                row.bad("pairs", f"pair {shown(part)} needs the form left -> right")
            pairs.append({"left": left.strip(), "right": right.strip()})
        mapping: dict[str, Any] = {"pairs": pairs}
        if row.split("distractors"):
            mapping["distractors"] = row.split("distractors")
        return mapping

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        # Moodle: no ~, and both = and ->; the answers split at =, each at its first ->.
        # A pair has no feedback, so a # is part of its text ("C# -> language").
        if "~" in block.body or "=" not in block.body or "->" not in block.body:
            return None
        chunks = block.body.split("=")
        if chunks[0].strip():
            block.fail("every answer of a matching question is =left -> right")
        pairs, distractors = [], []
        for chunk in chunks[1:]:
            left, arrow, right = chunk.partition("->")
            if not arrow:
                block.fail("every answer of a matching question is =left -> right")
            left_text, right_text = block.text(left), block.plain(right)
            if left_text:
                pairs.append({"left": left_text, "right": right_text})
            else:
                distractors.append(right_text)
        mapping: dict[str, Any] = {"pairs": pairs}
        if distractors:
            mapping["distractors"] = distractors
        return mapping

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        # Moodle: <subquestion> (the left) with its <answer> (the right); an empty left is
        # a distractor.
        pairs, distractors = [], []
        for left, right in mq.subquestions:
            if left:
                pairs.append({"left": left, "right": right})
            elif right:
                distractors.append(right)
        mapping: dict[str, Any] = {"pairs": pairs}
        if distractors:
            mapping["distractors"] = distractors
        return mapping

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        children = [out.element("shuffleanswers", "true")]
        rows = [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]
        for left, right in rows:
            sub = out.text("subquestion", left)
            answer = out.element("answer")
            answer.append(out.element("text", right))
            sub.append(answer)
            children.append(sub)
        return "matching", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        rows = [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]
        if any("->" in left or "->" in right for left, right in rows):
            out.note("a pair holds '->', which GIFT cannot escape")
            return None
        lines = [f"\t={out.escape(left)} -> {out.escape(right)}\n" for left, right in rows]
        return "\n" + "".join(lines)


SPEC = Matching()
