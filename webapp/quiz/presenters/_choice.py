"""What the two choice kinds' presenters share: options shown in a shuffled order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Grade, Question, spec

from .base import Presenter, mark_at, text_of


class ChoicePresenter(Presenter):
    edit_fields = ("options",)

    def order(self, q: Question, presentation: Mapping[str, Any]) -> list[int]:
        """Displayed position -> canonical option index."""
        return list(presentation.get("options", range(len(q.options))))

    def view(self, q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
        return {"options": [q.options[i].text for i in self.order(q, presentation)]}

    def marked(
        self, q: Question, presentation: Mapping[str, Any], response: Any, grade: Grade | None
    ) -> dict[str, Any]:
        picks = set(spec(q.kind).option_picks(q, response)) if response is not None else set()
        return {
            "options": [
                {
                    "text": q.options[i].text,
                    "picked": i in picks,
                    "key": q.options[i].correct,
                    # An unanswered question still shows which options were the keys.
                    "mark": mark_at(grade, i) or ("missed" if q.options[i].correct else None),
                }
                for i in self.order(q, presentation)
            ]
        }

    def to_mapping(self, form: Any) -> dict[str, Any]:
        return {"options": option_rows(form, [bool(row.correct.data) for row in form.options])}

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "options": [
                {
                    "text": o["text"],
                    "correct": bool(o.get("correct")),
                    "feedback": o.get("feedback") or "",
                }
                for o in mapping.get("options", [])
            ]
        }


def option_rows(form: Any, correct: list[bool]) -> list[dict[str, Any]]:
    """The bank's options from the form's rows, ``correct`` saying which rows are keys.

    A row with no text that is not a key is dropped; an option's feedback (imported from
    Moodle, or written here) is kept.
    """
    options = []
    for row, key in zip(form.options, correct, strict=True):
        text = text_of(row.text)
        if not (text or key):
            continue
        option: dict[str, Any] = {"text": text}
        if key:
            option["correct"] = True
        feedback = text_of(row.feedback)
        if feedback:
            option["feedback"] = feedback
        options.append(option)
    return options
