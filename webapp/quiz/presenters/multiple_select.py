"""multiple_select: check boxes over the shuffled options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question

from ._choice import ChoicePresenter
from .base import FormData, ParseResult, int_or_none


class MultipleSelectPresenter(ChoicePresenter):
    kind = Kind.MULTIPLE_SELECT

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        order = self.order(q, presentation)
        shown = [int_or_none(v) for v in form.getlist("choice")[: len(order) + 1]]
        picked = sorted({s for s in shown if s is not None and 0 <= s < len(order)})
        r.values["choice"] = picked
        if not picked or len(picked) != len(shown):
            r.errors["choice"] = "Tick at least one option (tick every one that applies)."
        else:
            r.response = sorted(order[s] for s in picked)
        return r


PRESENTER = MultipleSelectPresenter()
