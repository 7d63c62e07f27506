"""single_choice: radio buttons over the shuffled options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question

from ._choice import ChoicePresenter, option_rows
from .base import FormData, ParseResult, int_or_none


class SingleChoicePresenter(ChoicePresenter):
    kind = Kind.SINGLE_CHOICE

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        order = self.order(q, presentation)
        shown = int_or_none(form.get("choice"))
        r.values["choice"] = shown
        if shown is None or not 0 <= shown < len(order):
            r.errors["choice"] = "Choose one answer."
        else:
            r.response = order[shown]
        return r

    def to_mapping(self, form: Any) -> dict[str, Any]:
        # One right option is a radio button (the form's ``key``: a row number), so two
        # ticked "Right" boxes can no longer happen; rows left empty are dropped after.
        key = int_or_none(form.key.data)
        return {"options": option_rows(form, [i == key for i in range(len(form.options))])}

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        options = list(mapping.get("options", []))
        right = [i for i, o in enumerate(options) if o.get("correct")]
        return super().form_data(mapping) | {"key": str(right[0]) if right else ""}


PRESENTER = SingleChoicePresenter()
