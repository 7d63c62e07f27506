"""Moodle GIFT -> bank questions, read as Moodle's own importer reads them.

Moodle's rules (question/format/gift/format.php): questions are separated by blank lines;
``//`` lines are comments, whose ``[tag:x]`` and ``[id:y]`` give tags and the id; escapes
``\\: \\# \\= \\{ \\} \\~ \\n \\\\`` are set aside before anything else; ``::title::``;
the answer block is the first ``{`` to the first ``}``, and text after it makes a
missing-word question (``_____``); ``####`` starts the general feedback (the explanation);
a ``[html]``, ``[moodle]``, ``[plain]`` or ``[markdown]`` marker may open any text part and
sets how it is read (HTML and Markdown become plain text; what the bank cannot hold is
reported). The kinds claim the answer block in ``gift_priority`` order, each with
Moodle's test: ``#`` numeric, ``>`` ordering, ``~`` choice (single when any ``=``),
``=`` with ``->`` matching, ``T``/``F`` true/false, the rest short answer. What a kind
drops (partial credit, feedback it cannot hold) becomes a warning on the question.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from ..kinds import all_specs
from ..kinds.base import GiftAnswer, GiftBlock
from ..model import ID_PATTERN, SECTIONS_BY_SLUG
from ..quoting import shown
from ..validation import Problem
from .common import (
    MAX_ITEMS,
    MAX_PARTS,
    NO_DEFAULTS,
    ImportDefaults,
    ParsedItem,
    finish_items,
    problem,
    slugify,
    sort_problems,
)
from .markup import split_format, to_text

# An escaped character is set aside as two private-use characters (the same length, so
# offsets and line numbers hold) and put back when a text part is read.
_MARK = "\ue000"
_ESCAPABLE = ":#={}~n\\"
_ESCAPE = re.compile(r"\\([:#={}~n\\])")
_SET_ASIDE = re.compile(_MARK + r"([\ue001-\ue008])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TAG = re.compile(r"\[tag:((?:\\.|[^\[\]\\\n])+)\]")  # stops at the next [: linear
_ID = re.compile(r"\[id:((?:\\.|[^\[\]\\\n])+)\]")
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
    notes: dict[int, list[str]] = {}
    category_section: str | None = None
    for comments, block in _blocks(text):
        if block and block[0][1].strip().startswith("$CATEGORY:"):
            category_section = _section_of_category(block[0][1])
            block = block[1:]
        if not block:
            continue
        if len(raw) + len(problems) >= MAX_ITEMS:
            problems.append(problem(filename, block[0][0], f"more than {MAX_ITEMS} questions"))
            break
        start = block[0][0]
        found: list[str] = []
        try:
            mapping, title = _parse_question([line for _, line in block], notes=found)
        except GiftError as exc:
            line = start if exc.offset is None else _line_at(block, exc.offset)
            problems.append(problem(filename, line, str(exc)))
            continue
        _tags_and_id(comments, mapping, found)
        if category_section and "section" not in mapping:
            mapping["section"] = category_section
        if title:
            titles[start] = title
        if found:
            notes[start] = list(dict.fromkeys(found))
        raw.append((start, mapping))
    items, more = finish_items(
        raw, filename=filename, defaults=defaults, taken_ids=taken_ids, titles=titles, notes=notes
    )
    return items, sort_problems(problems + more)


# --- splitting the file ----------------------------------------------------------------
_FEEDBACK_PLACE = "move it inside the braces, just before the }"


def _blocks(text: str) -> list[tuple[list[str], list[tuple[int, str]]]]:
    """Questions as (comment lines, [(line number, line)]); blank lines separate them."""
    blocks: list[tuple[list[str], list[tuple[int, str]]]] = []
    comments: list[str] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            comments.append(line)
            continue
        if not line.strip():
            if current or comments:
                blocks.append((comments, current))
                comments, current = [], []
            continue
        current.append((number, line))
    if current or comments:
        blocks.append((comments, current))
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


def _tags_and_id(comments: list[str], mapping: dict[str, Any], notes: list[str]) -> None:
    """Moodle's ``[tag:x]`` and ``[id:y]`` in the comments above a question."""
    text = "\n".join(comments)
    tags = [t.replace("\\]", "]").strip() for t in _TAG.findall(text)]
    if tags:
        mapping["tags"] = list(dict.fromkeys(t for t in tags if t))
    ids = _ID.findall(text)
    if ids:
        given = ids[-1].replace("\\]", "]").strip()
        qid = given if ID_PATTERN.match(given) else slugify(given)
        if qid != given:
            notes.append(
                f"id {shown(given)} became {shown(qid)} (the bank's ids are lowercase-with-hyphens)"
            )
        mapping["id"] = qid


# --- escapes ---------------------------------------------------------------------------
def _set_aside(text: str) -> str:
    """Escaped characters as placeholders of the same length (so GIFT's own stand out)."""
    return _ESCAPE.sub(lambda m: _MARK + chr(0xE001 + _ESCAPABLE.index(m.group(1))), text)


def _put_back(text: str) -> str:
    def back(m: re.Match[str]) -> str:
        char = _ESCAPABLE[ord(m.group(1)) - 0xE001]
        return "\n" if char == "n" else char

    return _SET_ASIDE.sub(back, text)


# --- one question ----------------------------------------------------------------------
def _parse_question(lines: list[str], *, notes: list[str]) -> tuple[dict[str, Any], str | None]:
    text = _set_aside("\n".join(lines))
    title = None
    body_start = len(text) - len(text.lstrip())
    if text.startswith("::", body_start):
        close_at = text.find("::", body_start + 2)
        if close_at < 0:
            raise GiftError(
                "the title is not closed: write ::title:: before the question", body_start
            )
        title = _put_back(text[body_start + 2 : close_at]).strip() or None
        body_start = close_at + 2
    open_brace = text.find("{", body_start)
    close_brace = text.find("}", body_start)
    if open_brace < 0 and close_brace < 0 and text.lstrip().startswith("####"):
        # a blank line between a question and its feedback makes the feedback a block
        raise GiftError(
            f"general feedback (####) on its own: {_FEEDBACK_PLACE} of the question "
            "above, with no blank line between them",
            body_start,
        )
    if open_brace < 0 and close_brace < 0:
        raise GiftError(
            "no answer block: Moodle's description type (text without { }) is not a "
            "question the bank can hold"
        )
    if close_brace < 0:
        raise GiftError("the answer block opened here is never closed with }", open_brace)
    if open_brace < 0 or close_brace < open_brace:
        raise GiftError("a } without its {: escape a literal brace as \\}", close_brace)
    inner_open = text.find("{", open_brace + 1, close_brace)
    if inner_open >= 0:
        raise GiftError("a { inside an answer block must be escaped as \\{", inner_open)
    after = text[close_brace + 1 :]
    more = [i for i in (after.find("{"), after.find("}")) if i >= 0]
    if more:
        raise GiftError(
            "only one answer block per question (escape a literal brace as \\{ or \\})",
            close_brace + 1 + min(more),
        )
    misplaced = after.find("####")
    if misplaced >= 0:
        raise GiftError(
            f"the general feedback (####) sits after the closing }}: {_FEEDBACK_PLACE}, "
            "as in {=right ~wrong ####Why it is right.}",
            close_brace + 1 + misplaced,
        )
    fmt, before = split_format(text[body_start:open_brace])
    prompt = _read(before, fmt, notes)
    if after.strip():
        # Moodle puts the blank where the block was, keeping the spaces around it.
        gap_before = " " if before[-1:].isspace() else ""
        gap_after = " " if after[:1].isspace() else ""
        prompt = f"{prompt}{gap_before}{_BLANK}{gap_after}{_read(after, fmt, notes)}".strip()
    answer_text = text[open_brace + 1 : close_brace].strip()
    mapping = _answers(answer_text, fmt=fmt, notes=notes, offset=open_brace + 1)
    mapping["prompt"] = prompt
    return mapping, title


def _read(raw: str, fmt: str, notes: list[str]) -> str:
    """A text part: its own format marker, escapes put back, markup to plain text."""
    fmt, rest = split_format(raw, fmt)
    text, dropped = to_text(_put_back(rest), fmt)
    notes.extend(dropped)
    return text


def _answers(body: str, *, fmt: str, notes: list[str], offset: int) -> dict[str, Any]:
    """The kind and answer fields of an answer block (with ``explanation`` if given).

    The kinds claim the block in their ``gift_priority`` order; the first that reads it
    gives the answer fields.
    """
    explanation = None
    general = body.rfind("####")
    if general >= 0:
        explanation = _read(body[general + 4 :], fmt, notes)
        body = body[:general].strip()
    if not body:
        raise GiftError(
            "Moodle's essay type ({}) is not supported: the bank grades every answer", offset
        )

    def fail(message: str) -> NoReturn:
        raise GiftError(message, offset)

    def number(text: str) -> int | float:
        try:
            return _tidy(float(_put_back(text).strip()))
        except ValueError:
            raise GiftError(f"{shown(_put_back(text).strip())} is not a number", offset) from None

    if len(re.findall(r"[=~\n]", body)) > 3 * MAX_PARTS:
        raise GiftError(f"more than {MAX_PARTS} answers in one answer block", offset)
    block = GiftBlock(
        body=body,
        answers=_split_answers,
        text=lambda raw: _read(raw, fmt, notes),
        plain=lambda raw: _put_back(raw).strip(),
        note=notes.append,
        fail=fail,
        number=number,
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


def _split_answers(body: str) -> list[GiftAnswer]:
    """The answers of a block as Moodle splits them: at each ``=`` and ``~``.

    Text before the first marker is an answer too (marker ""), as in Moodle's short
    answers (``{four}``); an answer with no text (``~=right`` leaves one) is dropped, as
    Moodle drops it when saving. The weight ``%50%`` and the feedback after the first
    ``#`` are taken off the text.
    """
    chunks: list[tuple[str, str]] = []
    start, marker = 0, ""
    for i, char in enumerate(body):
        if char in "=~":
            chunks.append((marker, body[start:i]))
            start, marker = i + 1, char
    chunks.append((marker, body[start:]))
    answers = []
    for marker, chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        weight = None
        found = _WEIGHT.match(chunk)
        if found:
            weight = float(found.group(1))
            chunk = chunk[found.end() :]
        text, hash_, feedback = chunk.partition("#")
        answers.append(GiftAnswer(marker, weight, text, feedback if hash_ else None))
    return answers


def _tidy(x: float) -> int | float:
    x = float(f"{x:.12g}")  # 3.1415, not 3.1414999999999997 (PHP prints 14 digits)
    return int(x) if x.is_integer() else x


# --- export ------------------------------------------------------------------------------
def gift_escape(text: str) -> str:
    """Text with GIFT's special characters escaped, as Moodle's exporter writes it."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


class _GiftWriter:
    """Escaping and notes for the kinds' ``to_gift`` (``GiftWriter``)."""

    def __init__(self, qid: str, notes: list[str]) -> None:
        self._qid = qid
        self._notes = notes

    def escape(self, text: str) -> str:
        return gift_escape(text)

    def note(self, message: str) -> None:
        self._notes.append(f"{self._qid}: {message}")


def dump_gift(questions: Iterable[Any]) -> tuple[str, list[str]]:
    """Questions as a GIFT file (one category per section), and what GIFT could not hold.

    Texts are written ``[plain]`` when they hold ``<`` or ``&``, so Moodle (and this
    importer) never read them as HTML; ids and tags go in Moodle's ``[id:]`` and
    ``[tag:]`` comments, the explanation in ``####``.
    """
    notes: list[str] = []
    blocks: list[str] = []
    section = None
    for q in questions:
        out = _GiftWriter(q.id, notes)
        block = q.kind.spec.to_gift(q, out)
        if block is None:
            notes.append(f"{q.id}: a {q.kind.spec.noun} question has no GIFT form")
            continue
        if q.note:
            out.note("the note has no place in GIFT and is left out")
        if q.section != section:
            section = q.section
            blocks.append(f"$CATEGORY: $course$/top/{section}\n")
        # Moodle's own line: "// [id:myid] [tag:tag1] [tag:tag2]", "]" escaped.
        marks = [f"[id:{q.id}]"] + ["[tag:" + t.replace("]", "\\]") + "]" for t in q.tags]
        lines = ["// " + " ".join(marks)]
        marker = "[plain]" if re.search(r"[<&]", q.prompt + block) else ""
        general = f"####{gift_escape(q.explanation)}" if q.explanation else ""
        title = f"::{gift_escape(q.id)}::"
        lines.append(f"{title}{marker}{gift_escape(q.prompt)}{{{block}{general}}}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks), notes
