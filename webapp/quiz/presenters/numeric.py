"""numeric: one text box for a number, with the unit shown beside it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Kind, Question
from questions.numbers import NotANumber, read

from ._typed import controls_form_data, controls_mapping
from .base import FormData, ParseResult, Presenter, lines, text_of

MAX_NUMBER_TEXT = 100


class NumericPresenter(Presenter):
    kind = Kind.NUMERIC
    edit_fields = ("answer_number", "tolerance", "unit", "accept", "reject", "exact")
    accept_hint = "One per line: texts that are right whatever number they read as."
    field_of = {"answer": "answer_number"}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        text = (form.get("answer") or "").strip()
        r.values["answer"] = text[:MAX_NUMBER_TEXT]
        if not text:
            r.errors["answer"] = "Type a number."
        elif len(text) > MAX_NUMBER_TEXT:
            r.errors["answer"] = "Type just the number, like 1,000 or 7.5."
        else:
            try:
                read(text, unit=q.unit, context=q.prompt)
            except NotANumber as exc:
                r.errors["answer"] = f"Type a number, like 1,000 or 7.5 (the unit is given): {exc}"
            else:
                r.response = text  # kept as typed: the grader reads it, the review groups it
        return r

    def to_mapping(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "answer": _maybe_number(form.answer_number.data),
            "tolerance": _maybe_number(form.tolerance.data) if text_of(form.tolerance) else 0,
        }
        if text_of(form.unit):
            data["unit"] = text_of(form.unit)
        if lines(form.accept.data):
            data["accept"] = lines(form.accept.data)
        data.update(controls_mapping(form))
        return data

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "answer_number": _number_text(mapping.get("answer")),
            "tolerance": _number_text(mapping.get("tolerance", 0)),
            "unit": mapping.get("unit") or "",
            "accept": "\n".join(mapping.get("accept") or ()),
            **controls_form_data(mapping),
        }


def _maybe_number(text: str | None) -> int | float | str | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text  # the bank's rule names it: "answer must be a number, not 'abc'"
    return int(value) if value.is_integer() else value


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


PRESENTER = NumericPresenter()
