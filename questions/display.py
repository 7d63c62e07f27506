"""How bank data reads as text, in one place: numbers and years, sources, shuffles, cloze.

The quiz, the study cards, the instructor pages and the Anki export all format through
these functions, so a year reads "2010" and a source "History, paragraph 1" everywhere.
Plain text in, plain text out: escaping is the caller's (Jinja, or :func:`html_escape`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from .model import CLOZE_PATTERN, SECTIONS_BY_SLUG

T = TypeVar("T")

_YEAR_UNITS = frozenset({"year", "years", "yr", "ad", "ce"})


def is_year_unit(unit: str | None) -> bool:
    """True when a numeric item's unit says its answer is a calendar year."""
    return unit is not None and unit.strip().casefold().rstrip(".") in _YEAR_UNITS


def format_number(value: Any, *, unit: str | None = None) -> str:
    """A number as a reader expects it: "1,000", "7.5", and a year as "2010", never "2,010".

    The unit is not appended; :func:`format_amount` does that.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value).replace(",", ""))
        except ValueError:
            return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if is_year_unit(unit):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,}"


def format_amount(value: Any, *, unit: str | None = None, tolerance: Any = 0) -> str:
    """A number with its unit and tolerance: "2010", "50 billion USD (± 5)".

    A year's unit is left out: "2010", not "2010 year".
    """
    text = format_number(value, unit=unit)
    if unit and not is_year_unit(unit):
        text += f" {unit}"
    if tolerance:
        text += f" (± {format_number(tolerance)})"
    return text


def source_label(section: str, paragraphs: Iterable[int], *, numbered: bool = False) -> str:
    """'History, paragraph 1' or 'History, paragraphs 1 and 2'.

    ``numbered`` puts the section's number first ("Section 1, History, paragraph 1"), for
    a card read away from the site's section list (Anki).
    """
    found = SECTIONS_BY_SLUG.get(section)
    title = found.title if found else section
    if numbered:
        title = f"Section {found.number}, {title}" if found else f"Section {title}"
    paras = list(paragraphs)
    if not paras:
        return title
    if len(paras) == 1:
        return f"{title}, paragraph {paras[0]}"
    return f"{title}, paragraphs {', '.join(map(str, paras[:-1]))} and {paras[-1]}"


def seeded_shuffle(items: Sequence[T], seed: str, *, avoid_identity: bool = True) -> list[T]:
    """``items`` in an order fixed by ``seed``; never the given order when there are two or more.

    For cards that show a list the same way every time (study cards, Anki) without
    showing it in its answer order.
    """
    out = list(items)
    random.Random(seed).shuffle(out)
    if avoid_identity and out == list(items) and len(out) > 1:
        out = out[1:] + out[:1]
    return out


_system_rng = random.SystemRandom()


def random_order(n: int, *, avoid_identity: bool = False) -> list[int]:
    """A fresh random permutation of ``range(n)`` (one quiz attempt's display order)."""
    order = list(range(n))
    _system_rng.shuffle(order)
    # An ordering question shown already in order would give its answer away.
    tries = 0
    while avoid_identity and n > 1 and order == sorted(order) and tries < 10:
        _system_rng.shuffle(order)
        tries += 1
    if avoid_identity and n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def sorted_texts(texts: Iterable[str]) -> list[str]:
    """Texts in alphabetical order, case-insensitively (a neutral order for choices)."""
    return sorted(texts, key=str.casefold)


# --- cloze ---------------------------------------------------------------------------------


def cloze_filled(prompt: str) -> str:
    """The cloze text with every deletion replaced by its answer."""
    return CLOZE_PATTERN.sub(lambda m: m.group(2), prompt)


def cloze_blanked(prompt: str, *, blank: str = "_____") -> str:
    """The cloze text with each deletion shown as a blank, or as "[hint]" when it has one."""
    return CLOZE_PATTERN.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else blank, prompt)


def cloze_segments(prompt: str) -> list[tuple[str, int | None, str | None]]:
    """The cloze text as (text, gap index, hint) segments; a gap has empty text.

    Gap indices count the deletions in text order from 0, as the grader's gap marks do.
    """
    parts: list[tuple[str, int | None, str | None]] = []
    pos = 0
    for i, m in enumerate(CLOZE_PATTERN.finditer(prompt)):
        if m.start() > pos:
            parts.append((prompt[pos : m.start()], None, None))
        parts.append(("", i, m.group(3)))
        pos = m.end()
    if pos < len(prompt):
        parts.append((prompt[pos:], None, None))
    return parts


# --- HTML for the Anki cards (no template engine there) -------------------------------------

_NEEDS_ESCAPE = re.compile("[&<>\"'\n\x1f]")


def html_escape(text: object) -> str:
    """Plain text to HTML: escaped (question text is user input), line breaks kept.

    U+001F is dropped: it separates fields in Anki's notes table, so one inside a field
    would shift every field after it.
    """
    text = str(text)
    if _NEEDS_ESCAPE.search(text) is None:  # most text: nothing to replace
        return text
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
        .replace("\n", "<br>")
        .replace("\x1f", "")
    )


def html_list(items: Iterable[str], *, ordered: bool = False, letters: bool = False) -> str:
    """An HTML list of escaped texts: bullets, numbers, or letters A, B, C."""
    body = "".join([f"<li>{html_escape(i)}</li>" for i in items])
    if letters:
        return f'<ol type="A">{body}</ol>'
    return f"<ol>{body}</ol>" if ordered else f"<ul>{body}</ul>"


def html_instruction(text: str) -> str:
    """A muted line of instructions under a card's prompt (``text`` is trusted markup)."""
    return f'<div class="instruction">{text}</div>'


def html_accepted(variants: Iterable[str]) -> str:
    """'Also accepted: a, b' as a muted line, or nothing when there is no variant."""
    shown = [v for v in variants if str(v).strip()]
    if not shown:
        return ""
    return (
        '<div class="accepted">Also accepted: '
        + ", ".join(html_escape(v) for v in shown)
        + "</div>"
    )
