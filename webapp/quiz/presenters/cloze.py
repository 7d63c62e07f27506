"""cloze: a text box in each gap of the text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questions import Grade, Kind, Question
from questions.display import cloze_segments
from questions.model import CLOZE_PATTERN

from .base import FormData, ParseResult, Presenter, int_or_none, mark_at

MAX_GAP = 200


class ClozePresenter(Presenter):
    kind = Kind.CLOZE
    edit_fields = ("gaps", "exact")
    field_of = {"accept": "gaps", "reject": "gaps"}
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

    def rework_rows(self, form: Any) -> bool:
        """Line the blanks up with the prompt's deletions, keeping every row typed.

        A blank the prompt no longer has keeps its rows (the bank's rules then say so at
        the blanks) rather than losing them silently; each blank gets empty spare rows,
        one more for each "Add a row" pressed.
        """
        asked = bool(form.update_gaps.data)
        typed: dict[int, dict[str, list[str]]] = {}
        extra: dict[tuple[int, str], int] = {}
        for entry in form.gaps:
            number = int_or_none(entry.form.number.data)
            if number is None:
                continue
            rows = typed.setdefault(number, {"accept": [], "reject": []})
            for name in _ROWS:
                rows[name] += [
                    r.data or "" for r in getattr(entry.form, name) if (r.data or "").strip()
                ]
                if getattr(entry.form, f"add_{name}").data:
                    extra[number, name] = extra.get((number, name), 0) + 1
                    asked = True
        blanks: dict[int, tuple[str | None, str | None]] = {}
        for found in CLOZE_PATTERN.finditer(form.prompt.data or ""):
            blanks.setdefault(int(found.group(1)), (found.group(2), found.group(3)))
        for number, rows in typed.items():
            if number not in blanks and any(rows.values()):
                blanks[number] = (None, None)  # no longer in the prompt
        form.gaps.entries = []
        form.gaps.last_index = -1
        for number, (answer, hint) in list(blanks.items())[: form.gaps.max_entries]:
            rows = typed.get(number, {})
            data: dict[str, Any] = {"number": str(number)}
            for name in _ROWS:
                given = rows.get(name, [])
                empty = max(1, SPARE_ROWS[name] - len(given)) + extra.get((number, name), 0)
                data[name] = (given + [""] * empty)[:MAX_ROWS]
            entry = form.gaps.append_entry(data)
            entry.answer, entry.hint = answer, hint
        return asked

    def to_mapping(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in _ROWS:
            variants: dict[int, list[str]] = {}
            for entry in form.gaps:
                number = int_or_none(entry.form.number.data)
                texts = [
                    (r.data or "").strip()
                    for r in getattr(entry.form, name)
                    if (r.data or "").strip()
                ]
                if number is not None and texts:
                    variants.setdefault(number, []).extend(texts)
            if variants:
                data[name] = variants
        if form.exact.data:
            data["exact"] = True
        return data

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        rows = {name: dict(mapping.get(name) or {}) for name in _ROWS}
        numbers = dict.fromkeys(
            int(found.group(1)) for found in CLOZE_PATTERN.finditer(mapping.get("prompt") or "")
        )
        for name in _ROWS:
            numbers.update(dict.fromkeys(int(n) for n in rows[name]))
        gaps = [
            {
                "number": str(n),
                **{name: list(rows[name].get(n) or rows[name].get(str(n)) or []) for name in _ROWS},
            }
            for n in numbers
        ]
        return {"gaps": gaps, "exact": bool(mapping.get("exact"))}


_ROWS = ("accept", "reject")
# Rows a blank shows at least, one of them always empty (more with "Add a row"): two for
# answers also right, as most blanks have a variant or two; one for answers marked wrong.
SPARE_ROWS = {"accept": 2, "reject": 1}
MAX_ROWS = 50


PRESENTER = ClozePresenter()
