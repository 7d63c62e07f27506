"""What the typed kinds' presenters share: one text box, and accepted variants to edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Question

from .base import FormData, ParseResult, Presenter, lines, text_of

MAX_ANSWER = 500


class TypedPresenter(Presenter):
    edit_fields = ("answer_text", "accept", "reject", "exact")
    field_of = {"answer": "answer_text"}
    accept_hint = "One per line; case, accents and a leading 'the' need not be repeated."

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        text = (form.get("answer") or "").strip()
        r.values["answer"] = text[:MAX_ANSWER]
        if not text:
            r.errors["answer"] = "Type an answer."
        elif len(text) > MAX_ANSWER:
            r.errors["answer"] = f"Keep the answer under {MAX_ANSWER} characters."
        else:
            r.response = text
        return r

    def to_mapping(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"answer": text_of(form.answer_text)}
        if lines(form.accept.data):
            data["accept"] = lines(form.accept.data)
        data.update(controls_mapping(form))
        return data

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "answer_text": mapping.get("answer") or "",
            "accept": "\n".join(mapping.get("accept") or ()),
            **controls_form_data(mapping),
        }


def controls_mapping(form: Any) -> dict[str, Any]:
    """``reject`` (one per line) and ``exact`` from the instructor form, when set."""
    data: dict[str, Any] = {}
    if lines(form.reject.data):
        data["reject"] = lines(form.reject.data)
    if form.exact.data:
        data["exact"] = True
    return data


def controls_form_data(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reject": "\n".join(mapping.get("reject") or ()),
        "exact": bool(mapping.get("exact")),
    }
