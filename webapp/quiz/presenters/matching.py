"""matching: a choice of right for each left, both shuffled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Grade, Kind, Question

from .base import FormData, ParseResult, Presenter, int_or_none, lines, mark_at, text_of


class MatchingPresenter(Presenter):
    kind = Kind.MATCHING
    edit_fields = ("pairs", "distractors")

    def orders(self, q: Question, presentation: Mapping[str, Any]) -> tuple[list[int], list[int]]:
        lefts = list(presentation.get("lefts", range(len(q.pairs))))
        rights = list(presentation.get("rights", range(len(q.right_texts))))
        return lefts, rights

    def view(self, q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
        lefts, rights = self.orders(q, presentation)
        texts = q.right_texts
        return {"lefts": [q.pairs[i].left for i in lefts], "rights": [texts[i] for i in rights]}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        lefts, rights = self.orders(q, presentation)
        chosen = {s: int_or_none(form.get(f"match-{s}")) for s in range(len(lefts))}
        r.values["match"] = chosen
        picks = {s: v for s, v in chosen.items() if v is not None and 0 <= v < len(rights)}
        if len(picks) != len(lefts):
            r.errors["match"] = "Choose a match for every item."
        else:
            r.response = {lefts[s]: rights[v] for s, v in picks.items()}
        return r

    def marked(
        self, q: Question, presentation: Mapping[str, Any], response: Any, grade: Grade | None
    ) -> dict[str, Any]:
        """Each left (in the order asked) with the match given, its mark and the key."""
        lefts, _ = self.orders(q, presentation)
        chosen: dict[int, int] = {}
        if isinstance(response, dict):
            chosen = {int(k): int(v) for k, v in response.items() if v is not None}
        texts = q.right_texts
        rows = []
        for i in lefts:
            pick = chosen.get(i)
            rows.append(
                {
                    "left": q.pairs[i].left,
                    "given": texts[pick] if pick is not None and 0 <= pick < len(texts) else None,
                    "mark": mark_at(grade, i) or "missed",
                    "key": q.pairs[i].right,
                }
            )
        return {"pairs": rows}

    def to_mapping(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "pairs": [
                {"left": text_of(p.left), "right": text_of(p.right)}
                for p in form.pairs
                if text_of(p.left) or text_of(p.right)
            ]
        }
        if lines(form.distractors.data):
            data["distractors"] = lines(form.distractors.data)
        return data

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "pairs": [dict(p) for p in mapping.get("pairs", [])],
            "distractors": "\n".join(mapping.get("distractors", [])),
        }


PRESENTER = MatchingPresenter()
