"""ordering: a position for each shuffled item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Grade, Kind, Question

from .base import FormData, ParseResult, Presenter, int_or_none, mark_at


class OrderingPresenter(Presenter):
    kind = Kind.ORDERING
    edit_fields = ("items",)

    def order(self, q: Question, presentation: Mapping[str, Any]) -> list[int]:
        return list(presentation.get("items", range(len(q.items))))

    def view(self, q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
        return {"items": [q.items[i] for i in self.order(q, presentation)]}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        order = self.order(q, presentation)
        n = len(order)
        chosen = {s: int_or_none(form.get(f"pos-{s}")) for s in range(n)}
        r.values["pos"] = chosen
        if sorted(v for v in chosen.values() if v is not None) != list(range(1, n + 1)):
            r.errors["pos"] = (
                f"Give each item a different position from 1 to {n} (each number once)."
            )
        else:
            by_position = sorted(range(n), key=lambda s: chosen[s] or 0)
            r.response = [order[s] for s in by_position]
        return r

    def marked(
        self, q: Question, presentation: Mapping[str, Any], response: Any, grade: Grade | None
    ) -> dict[str, Any]:
        """The items in the student's order, each marked, with its right place."""
        n = len(q.items)
        given = (
            list(response)
            if isinstance(response, list) and sorted(response) == list(range(n))
            else None
        )
        return {
            "answered": given is not None,
            "items": [
                {
                    "text": q.items[i],
                    "mark": mark_at(grade, i) if given is not None else "missed",
                    "place": i + 1,
                }
                for i in (given if given is not None else range(n))
            ],
        }

    def to_mapping(self, form: Any) -> dict[str, Any]:
        return {"items": [i.data.strip() for i in form["items"] if (i.data or "").strip()]}

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {"items": list(mapping.get("items", []))}


PRESENTER = OrderingPresenter()
