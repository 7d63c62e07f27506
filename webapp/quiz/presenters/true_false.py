"""true_false: two radio buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question

from .base import FormData, ParseResult, Presenter


class TrueFalsePresenter(Presenter):
    kind = Kind.TRUE_FALSE
    edit_fields = ("answer_bool",)
    field_of = {"answer": "answer_bool"}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        raw = form.get("choice")
        r.values["choice"] = raw
        if raw not in ("true", "false"):
            r.errors["choice"] = "Choose true or false."
        else:
            r.response = raw == "true"
        return r

    def to_mapping(self, form: Any) -> dict[str, Any]:
        return {"answer": {"true": True, "false": False}.get(form.answer_bool.data or "")}

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {"answer_bool": "true" if mapping.get("answer") else "false"}


PRESENTER = TrueFalsePresenter()
