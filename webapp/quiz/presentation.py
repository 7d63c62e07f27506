"""How a question is shown and read back: shuffled orders, form parsing, answer views.

Pure functions over ``questions.Question`` and the stored ``presentation`` mapping, so
they are tested without an app. Form values name *displayed* positions, never canonical
indices, so the page source says nothing about which option is the key.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from questions import CHOICE_KINDS, SECTIONS_BY_SLUG, Kind, Question, grade
from questions.model import CLOZE_PATTERN

_rng = random.SystemRandom()


def _shuffled(n: int, *, avoid_identity: bool = False) -> list[int]:
    order = list(range(n))
    _rng.shuffle(order)
    # An ordering question shown already in order would give its answer away.
    tries = 0
    while avoid_identity and n > 1 and order == sorted(order) and tries < 10:
        _rng.shuffle(order)
        tries += 1
    return order


def make_presentation(q: Question) -> dict[str, list[int]]:
    """Random display orders for one attempt, as indices into the question's lists."""
    if q.kind in CHOICE_KINDS:
        return {"options": _shuffled(len(q.options))}
    if q.kind is Kind.ORDERING:
        return {"items": _shuffled(len(q.items), avoid_identity=True)}
    if q.kind is Kind.MATCHING:
        return {"lefts": _shuffled(len(q.pairs)), "rights": _shuffled(len(q.right_texts))}
    return {}


@dataclass
class ClozePart:
    text: str = ""
    blank: int | None = None  # index of the deletion, in text order
    hint: str | None = None


def cloze_parts(prompt: str) -> list[ClozePart]:
    """The cloze text split into plain text and blanks (answers left out)."""
    parts: list[ClozePart] = []
    pos = 0
    for i, m in enumerate(CLOZE_PATTERN.finditer(prompt)):
        if m.start() > pos:
            parts.append(ClozePart(text=prompt[pos : m.start()]))
        parts.append(ClozePart(blank=i, hint=m.group(3)))
        pos = m.end()
    if pos < len(prompt):
        parts.append(ClozePart(text=prompt[pos:]))
    return parts


def question_view(q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
    """What the answer form shows: texts in display order, never which one is right."""
    view: dict[str, Any] = {}
    if "options" in presentation:
        view["options"] = [q.options[i].text for i in presentation["options"]]
    if "items" in presentation:
        view["items"] = [q.items[i] for i in presentation["items"]]
    if "lefts" in presentation:
        rights = q.right_texts
        view["lefts"] = [q.pairs[i].left for i in presentation["lefts"]]
        view["rights"] = [rights[i] for i in presentation["rights"]]
    if q.kind is Kind.CLOZE:
        view["cloze"] = cloze_parts(q.prompt)
    return view


def cloze_filled(prompt: str) -> str:
    """The cloze text with every deletion replaced by its answer."""
    return CLOZE_PATTERN.sub(lambda m: m.group(2), prompt)


def cloze_blanked(prompt: str) -> str:
    """The cloze text with each deletion shown as a blank (with its hint, if any)."""
    return CLOZE_PATTERN.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "_____", prompt)


def display_prompt(q: Question) -> str:
    """The prompt as a reader sees it: cloze deletions blanked out."""
    return cloze_blanked(q.prompt) if q.kind is Kind.CLOZE else q.prompt


def source_label(q: Question) -> str:
    """'History, paragraph 1' or 'History, paragraphs 1 and 2'."""
    section = SECTIONS_BY_SLUG.get(q.section)
    title = section.title if section else q.section
    paras = list(q.paragraphs)
    if not paras:
        return title
    if len(paras) == 1:
        return f"{title}, paragraph {paras[0]}"
    return f"{title}, paragraphs {', '.join(map(str, paras[:-1]))} and {paras[-1]}"


@dataclass
class ParseResult:
    """A canonical response for ``questions.grade``, or errors by field name."""

    response: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # what to refill the form with

    @property
    def ok(self) -> bool:
        return not self.errors


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(raw: str) -> float | None:
    """'1,000', '7.5', '-3' -> float; anything else -> None."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


_CURRENCY = "$€£¥₽"
_UNREADABLE = "This answer could not be read:"


def parse_amount(raw: str, unit: str | None) -> float | None:
    """Like :func:`parse_number`, also reading a currency sign or the question's unit."""
    number = parse_number(raw)
    if number is not None:
        return number
    text = raw.strip().lstrip(_CURRENCY).strip()
    if unit and text.lower().endswith(unit.lower()):
        text = text[: -len(unit)]
    return parse_number(text.strip().rstrip(_CURRENCY).strip())


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None and raw != "" else None
    except ValueError:
        return None


def parse_form(q: Question, presentation: Mapping[str, Any], form: Any) -> ParseResult:
    """Read a submitted answer form into the canonical response of the question's kind.

    ``form`` is a werkzeug ``MultiDict`` (``get`` and ``getlist``).
    """
    r = ParseResult()
    k = q.kind
    if k is Kind.SINGLE_CHOICE:
        order = presentation.get("options", list(range(len(q.options))))
        shown = _int_or_none(form.get("choice"))
        r.values["choice"] = shown
        if shown is None or not 0 <= shown < len(order):
            r.errors["choice"] = "Choose one answer."
        else:
            r.response = order[shown]
    elif k is Kind.MULTIPLE_SELECT:
        order = presentation.get("options", list(range(len(q.options))))
        shown = [_int_or_none(v) for v in form.getlist("choice")]
        picked = sorted({s for s in shown if s is not None and 0 <= s < len(order)})
        r.values["choice"] = picked
        if not picked or len(picked) != len(shown):
            r.errors["choice"] = "Tick at least one option (tick every one that applies)."
        else:
            r.response = sorted(order[s] for s in picked)
    elif k is Kind.TRUE_FALSE:
        raw = form.get("choice")
        r.values["choice"] = raw
        if raw not in ("true", "false"):
            r.errors["choice"] = "Choose true or false."
        else:
            r.response = raw == "true"
    elif k in (Kind.SHORT_ANSWER, Kind.BASIC):
        text = (form.get("answer") or "").strip()
        r.values["answer"] = text
        if not text:
            r.errors["answer"] = "Type an answer."
        elif len(text) > 500:
            r.errors["answer"] = "Keep the answer under 500 characters."
        else:
            r.response = text
    elif k is Kind.NUMERIC:
        text = (form.get("answer") or "").strip()
        r.values["answer"] = text
        number = parse_amount(text, q.unit)
        if not text:
            r.errors["answer"] = "Type a number."
        elif len(text) > 100:
            r.errors["answer"] = "Type just the number, like 1,000 or 7.5."
        elif number is not None:
            r.response = int(number) if number.is_integer() else number
        else:
            # The grader reads more ("in 2010", "about 100"): let it decide what is a number.
            feedback = grade(q, text).feedback
            if feedback.startswith(_UNREADABLE):
                r.errors["answer"] = (
                    "Type a number, like 1,000 or 7.5 (the unit is given): "
                    + feedback[len(_UNREADABLE) :].strip()
                )
            else:
                r.response = text
    elif k is Kind.ORDERING:
        order = presentation.get("items", list(range(len(q.items))))
        n = len(order)
        chosen = {s: _int_or_none(form.get(f"pos-{s}")) for s in range(n)}
        r.values["pos"] = chosen
        if sorted(v for v in chosen.values() if v is not None) != list(range(1, n + 1)):
            r.errors["pos"] = (
                f"Give each item a different position from 1 to {n} (each number once)."
            )
        else:
            by_position = sorted(range(n), key=lambda s: chosen[s])
            r.response = [order[s] for s in by_position]
    elif k is Kind.MATCHING:
        lefts = presentation.get("lefts", list(range(len(q.pairs))))
        rights = presentation.get("rights", list(range(len(q.right_texts))))
        chosen = {s: _int_or_none(form.get(f"match-{s}")) for s in range(len(lefts))}
        r.values["match"] = chosen
        if any(v is None or not 0 <= v < len(rights) for v in chosen.values()):
            r.errors["match"] = "Choose a match for every item."
        else:
            r.response = {lefts[s]: rights[v] for s, v in chosen.items()}
    elif k is Kind.CLOZE:
        n = len(q.cloze_deletions)
        blanks = [(form.get(f"blank-{i}") or "").strip() for i in range(n)]
        r.values["blanks"] = blanks
        if not any(blanks):
            r.errors["blanks"] = "Fill in the blanks (leave one empty only if you must)."
        elif any(len(b) > 200 for b in blanks):
            r.errors["blanks"] = "Keep each blank under 200 characters."
        else:
            r.response = blanks
    return r


def response_for_json(q: Question, response: Any) -> Any:
    """JSON keeps only string keys: store a matching response as [[left, right], ...]."""
    if q.kind is Kind.MATCHING and isinstance(response, Mapping):
        return sorted([int(a), int(b)] for a, b in response.items())
    return response


def response_from_json(q: Question, stored: Any) -> Any:
    """The inverse of :func:`response_for_json`."""
    if q.kind is Kind.MATCHING and isinstance(stored, list):
        return {int(a): int(b) for a, b in stored}
    return stored


_EXPECTED_TAILS = (" The answer:", " The full text:")
_EMPTY_REMARKS = {"", "Not quite.", "Correct."}


def feedback_remark(feedback: str) -> str:
    """The grader's remark without the right answer, which the page shows on its own."""
    text = feedback or ""
    for tail in _EXPECTED_TAILS:
        if tail in text:
            text = text[: text.index(tail)]
    text = text.strip()
    return "" if text in _EMPTY_REMARKS else text


def _fmt_number(x: Any) -> str:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    return f"{int(f):,}" if f.is_integer() else f"{f:,}"


def expected_lines(q: Question) -> list[str]:
    """The right answer in words, one line per part."""
    k = q.kind
    if k in CHOICE_KINDS:
        return [o.text for o in q.options if o.correct]
    if k is Kind.TRUE_FALSE:
        return ["True" if q.answer is True or str(q.answer).lower() == "true" else "False"]
    if k in (Kind.SHORT_ANSWER, Kind.BASIC):
        return [str(q.answer)]
    if k is Kind.NUMERIC:
        unit = f" {q.unit}" if q.unit else ""
        tol = f" (± {_fmt_number(q.tolerance)})" if q.tolerance else ""
        return [f"{_fmt_number(q.answer)}{unit}{tol}"]
    if k is Kind.ORDERING:
        return [f"{i}. {item}" for i, item in enumerate(q.items, 1)]
    if k is Kind.MATCHING:
        return [f"{p.left} → {p.right}" for p in q.pairs]
    if k is Kind.CLOZE:
        return [cloze_filled(q.prompt)]
    return []


def response_lines(q: Question, response: Any) -> list[str]:
    """The student's answer in words."""
    k = q.kind
    try:
        if k is Kind.SINGLE_CHOICE:
            return [q.options[int(response)].text]
        if k is Kind.MULTIPLE_SELECT:
            return [q.options[int(i)].text for i in response]
        if k is Kind.TRUE_FALSE:
            return ["True" if response is True else "False"]
        if k in (Kind.SHORT_ANSWER, Kind.BASIC):
            return [str(response)]
        if k is Kind.NUMERIC:
            unit = f" {q.unit}" if q.unit else ""
            return [f"{_fmt_number(response)}{unit}"]
        if k is Kind.ORDERING:
            return [f"{i}. {q.items[int(j)]}" for i, j in enumerate(response, 1)]
        if k is Kind.MATCHING:
            rights = q.right_texts
            mapping = response_from_json(q, response)
            return [f"{q.pairs[a].left} → {rights[b]}" for a, b in sorted(mapping.items())]
        if k is Kind.CLOZE:
            return [" · ".join(b or "(blank)" for b in response)]
    except (IndexError, KeyError, TypeError, ValueError):
        pass
    return ["(unreadable answer)"]
