"""single_choice: radio buttons over the shuffled options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question

from ._choice import ChoicePresenter
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


PRESENTER = SingleChoicePresenter()
