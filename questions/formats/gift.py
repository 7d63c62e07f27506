"""Moodle GIFT -> bank questions.

The subset read (README "GIFT subset"): multiple choice ``{=right ~wrong}``, multiple
answers with weights ``{~%50%a ~%50%b ~%-100%c}`` (-> multiple select), true/false
``{T}`` ``{F}`` ``{TRUE}`` ``{FALSE}``, short answer ``{=a =b}``, numeric ``{#7:0.5}``,
``{#1..3}`` and ``{#=7:0 =8:1}``, matching ``{=left -> right ...}``, ``::title::``,
``// comments``, the escapes ``\\= \\~ \\{ \\} \\# \\: \\\\ \\n``, ``$CATEGORY:`` lines (a
category whose last part is a section slug sets the section), a missing-word question (text
after the braces; the blank shows as ``_____``), and general feedback ``####`` -> the
explanation. Per-answer feedback (``#...``) is read and dropped. Essay ``{}`` and partial
credit on short answers are reported as problems, not guessed at.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from ..kinds import all_specs
from ..kinds.base import GiftAnswer, GiftBlock
from ..model import SECTIONS_BY_SLUG
from ..validation import Problem
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, finish_items, problem, sort_problems

_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_FORMAT_MARKER = re.compile(r"^\s*\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_BLANK = "_____"


class GiftError(ValueError):
    """A question that is not valid GIFT; ``offset`` points into the question's text."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def parse_gift(
    text: str,
    *,
    filename: str = "upload.gift",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read GIFT text: the valid questions with their first line, and every problem."""
    problems: list[Problem] = []
    raw: list[tuple[int, dict[str, Any]]] = []
    titles: dict[int, str] = {}
    category_section: str | None = None
    for block in _blocks(text):
        if block[0][1].strip().startswith("$CATEGORY:"):
            category_section = _section_of_category(block[0][1])
            block = block[1:]
            if not block:
                continue
        start = block[0][0]
        try:
            mapping, title = _parse_question([line for _, line in block])
        except GiftError as exc:
            line = start if exc.offset is None else _line_at(block, exc.offset)
            problems.append(problem(filename, line, str(exc)))
            continue
        if category_section:
            mapping["section"] = category_section
        if title:
            titles[start] = title
        raw.append((start, mapping))
    items, more = finish_items(
        raw, filename=filename, defaults=defaults, taken_ids=taken_ids, titles=titles
    )
    return items, sort_problems(problems + more)


# --- splitting the file ----------------------------------------------------------------
def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Questions as lists of (line number, line); blank lines separate, comments vanish."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _line_at(block: list[tuple[int, str]], offset: int) -> int:
    starts, pos = [], 0
    for _, line in block:
        starts.append(pos)
        pos += len(line) + 1
    return block[bisect.bisect_right(starts, offset) - 1][0]


def _section_of_category(line: str) -> str | None:
    path = line.split(":", 1)[1].strip()
    last = path.rstrip("/").rsplit("/", 1)[-1].strip().lower()
    return last if last in SECTIONS_BY_SLUG else None


# --- one question ----------------------------------------------------------------------
def _find(s: str, sub: str, start: int = 0) -> int:
    """Index of the first unescaped ``sub`` in ``s`` from ``start``, or -1."""
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s.startswith(sub, i):
            return i
        i += 1
    return -1


def _unescape(s: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), s).strip()


def _parse_question(lines: list[str]) -> tuple[dict[str, Any], str | None]:
    text = "\n".join(lines)
    title = None
    body_start = 0
    if text.lstrip().startswith("::"):
        open_at = text.index("::")
        close_at = _find(text, "::", open_at + 2)
        if close_at < 0:
            raise GiftError("the title is not closed: write ::title:: before the question", open_at)
        title = _unescape(text[open_at + 2 : close_at]) or None
        body_start = close_at + 2
    open_brace = _find(text, "{", body_start)
    if open_brace < 0:
        raise GiftError("no answer block: a GIFT question needs its answers in { }")
    close_brace = _find(text, "}", open_brace + 1)
    if close_brace < 0:
        raise GiftError("the answer block opened here is never closed with }", open_brace)
    inner_open = _find(text[:close_brace], "{", open_brace + 1)
    if inner_open >= 0:
        raise GiftError("a { inside an answer block must be escaped as \\{", inner_open)
    after = text[close_brace + 1 :]
    if _find(after, "{") >= 0 or _find(after, "}") >= 0:
        raise GiftError(
            "only one answer block per question (escape a literal brace as \\{ or \\})",
            close_brace + 1 + max(_find(after, "{"), _find(after, "}")),
        )
    before = _FORMAT_MARKER.sub("", text[body_start:open_brace], count=1)
    prompt = _unescape(before)
    if _unescape(after):
        prompt = f"{prompt} {_BLANK} {_unescape(after)}".strip()
    mapping = _answers(text[open_brace + 1 : close_brace], offset=open_brace + 1)
    mapping["prompt"] = prompt
    return mapping, title


def _answers(body: str, *, offset: int) -> dict[str, Any]:
    """The kind and answer fields of an answer block (with ``explanation`` if given).

    The kinds claim the block in their ``gift_priority`` order; the first that reads it
    gives the answer fields.
    """
    explanation = None
    general = _find(body, "####")
    if general >= 0:
        explanation = _unescape(body[general + 4 :])
        body = body[:general]
    if not body.strip():
        raise GiftError(
            "essay questions ({}) are not supported: the bank grades every answer", offset
        )

    def fail(message: str) -> NoReturn:
        raise GiftError(message, offset)

    def number(text: str) -> int | float:
        try:
            return _tidy(float(text.strip()))
        except ValueError:
            raise GiftError(f"{text.strip()!r} is not a number", offset) from None

    block = GiftBlock(
        body=body,
        answers=lambda text: _split_answers(text, offset=offset),
        fail=fail,
        unescape=_unescape,
        number=number,
        find=_find,
    )
    for kind in _GIFT_KINDS:
        fields = kind.from_gift(block)
        if fields is not None:
            mapping: dict[str, Any] = {"kind": kind.kind.value, **fields}
            break
    else:
        raise GiftError("no kind of question reads this answer block", offset)
    if explanation:
        mapping["explanation"] = explanation
    return mapping


_GIFT_KINDS = sorted(
    (k for k in all_specs() if k.gift_priority is not None), key=lambda k: k.gift_priority or 0
)


def _split_answers(body: str, *, offset: int) -> list[GiftAnswer]:
    """The ``=``/``~`` answers of a block, with their weights; per-answer feedback dropped."""
    starts, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] in "=~":
            starts.append(i)
        i += 1
    lead = body[: starts[0]] if starts else body
    if lead.strip():
        raise GiftError("each answer must start with = (right) or ~ (wrong)", offset)
    answers = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(body)
        chunk = body[start + 1 : end]
        feedback = _find(chunk, "#")
        if feedback >= 0:
            chunk = chunk[:feedback]
        weight = None
        m = _WEIGHT.match(chunk.strip())
        if m:
            weight = float(m.group(1))
            chunk = chunk.strip()[m.end() :]
        answers.append(GiftAnswer(body[start], weight, chunk))
    return answers


def _tidy(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
