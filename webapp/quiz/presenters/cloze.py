"""cloze: a text box in each gap of the text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from questions import Grade, Kind, Question
from questions.display import cloze_segments

from .base import FormData, ParseResult, Presenter, lines, mark_at

MAX_GAP = 200
_VARIANT = re.compile(r"^\s*(\d+)\s*=\s*(.*)$")


class ClozePresenter(Presenter):
    kind = Kind.CLOZE
    edit_fields = ("accept", "reject", "exact")
    accept_hint = (
        "One accepted answer per line, starting with its blank's number: 1=USA for "
        "blank c1. A line holds one answer (no | between answers)."
    )
    reject_hint = "One per line as N=variant: wrong however close they come."
    prompt_hint = "Write each blank as {{c1::answer}} or {{c1::answer::hint}}."

    def view(self, q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
        return {"gaps": cloze_segments(q.prompt)}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        r = ParseResult()
        n = len(q.cloze_deletions)
        blanks = [(form.get(f"blank-{i}") or "").strip() for i in range(n)]
        r.values["blanks"] = [b[:MAX_GAP] for b in blanks]
        if not any(blanks):
            r.errors["blanks"] = "Fill in the blanks (leave one empty only if you must)."
        elif any(len(b) > MAX_GAP for b in blanks):
            r.errors["blanks"] = f"Keep each blank under {MAX_GAP} characters."
        else:
            r.response = blanks
        return r

    def marked(
        self, q: Question, presentation: Mapping[str, Any], response: Any, grade: Grade | None
    ) -> dict[str, Any]:
        """The text with each gap holding what was typed, its mark and, if wrong, the key."""
        given = list(response) if isinstance(response, list) else []
        keys = [answer for _, answer, _ in q.cloze_deletions]
        gaps = [
            {
                "given": (given[i] or "").strip() if i < len(given) else "",
                "mark": mark_at(grade, i) or "missed",
                "key": key,
            }
            for i, key in enumerate(keys)
        ]
        return {"segments": cloze_segments(q.prompt), "gaps": gaps}

    def to_mapping(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ("accept", "reject"):
            variants: dict[int, list[str]] = {}
            for line in lines(getattr(form, name).data):
                found = _VARIANT.match(line)
                if found and found.group(2).strip():
                    variants.setdefault(int(found.group(1)), []).append(found.group(2).strip())
            if variants:
                data[name] = variants
        if form.exact.data:
            data["exact"] = True
        return data

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {
            name: "\n".join(
                f"{n}={v}" for n, vs in dict(mapping.get(name) or {}).items() for v in vs
            )
            for name in ("accept", "reject")
        } | {"exact": bool(mapping.get("exact"))}

    def validate_form(self, form: Any) -> dict[str, str]:
        problems = {}
        for name in ("accept", "reject"):
            for line in lines(getattr(form, name).data):
                message = _variant_problem(line)
                if message:
                    problems[name] = message
                    break
        return problems


def _variant_problem(line: str) -> str | None:
    """What is wrong with one line of variants, in words; None if it is one variant.

    ``2=US|2=USA`` is the CSV import's syntax; here it would have been saved as the one
    variant "US|2=USA" and a student typing "US" marked wrong, so it is refused.
    """
    found = _VARIANT.match(line)
    if not found:
        return f"Start the line {line!r} with the blank's number and =, as in 1=USA."
    variant = found.group(2).strip()
    if not variant:
        return f"The line {line!r} gives no answer after the =."
    if "|" in variant or _VARIANT.match(variant) or re.search(r"\b\d+\s*=", variant):
        parts = [p for p in re.split(r"\|", line) if p.strip()]
        return (
            f"Put one accepted answer on each line: {line!r} holds {len(parts)}. "
            "A | does not separate answers here; write, e.g., "
            + " and ".join(repr(p.strip()) for p in parts[:3])
            + " on lines of their own."
        )
    return None


PRESENTER = ClozePresenter()
