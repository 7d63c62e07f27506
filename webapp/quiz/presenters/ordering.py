"""ordering: a position for each shuffled item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question

from .base import FormData, ParseResult, Presenter, int_or_none


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

    def to_mapping(self, form: Any) -> dict[str, Any]:
        return {"items": [i.data.strip() for i in form["items"] if (i.data or "").strip()]}

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {"items": list(mapping.get("items", []))}


PRESENTER = OrderingPresenter()
