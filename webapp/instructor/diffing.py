"""Readable revision diffs: text word by word, lists row by row, with ``difflib``.

A change to one word of a prompt shows as that word struck and its replacement marked,
with the rest of the sentence plain; a list field (options, pairs, items, tags, accepted
variants) shows each row once: kept, removed, added, or changed (and then word by word).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from .editing import FieldChange

SAME, REMOVED, ADDED = "same", "removed", "added"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    """A run of text that is kept, removed or added."""

    op: str
    text: str


@dataclass(frozen=True)
class Row:
    """One row of a list field: its state and its text as pieces."""

    op: str  # same, removed, added, changed
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class FieldDiff:
    """One changed field, as text pieces or as rows."""

    field: str
    pieces: tuple[Piece, ...] = ()
    rows: tuple[Row, ...] = ()


def words(old: str, new: str) -> tuple[Piece, ...]:
    """``old`` to ``new`` word by word: kept runs plain, the rest removed or added."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece(SAME, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(REMOVED, "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(ADDED, "".join(b[j1:j2])))
    return tuple(_merge(pieces))


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for p in pieces:
        if merged and merged[-1].op == p.op:
            merged[-1] = Piece(p.op, merged[-1].text + p.text)
        else:
            merged.append(p)
    return merged


def _row_text(field: str, value: Any) -> str:
    """One list entry as a line of text."""
    if isinstance(value, dict):
        if "left" in value or "right" in value:
            return f"{value.get('left', '')} → {value.get('right', '')}"
        if "text" in value:
            return str(value["text"]) + (" (right answer)" if value.get("correct") else "")
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _as_rows(field: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):  # a cloze's accept: gap number -> variants
        return [
            f"gap {gap}: {variant}"
            for gap, variants in sorted(value.items(), key=lambda kv: str(kv[0]))
            for variant in (variants if isinstance(variants, list) else [variants])
        ]
    if isinstance(value, list):
        return [_row_text(field, v) for v in value]
    return [_row_text(field, value)]


def rows(field: str, old: Any, new: Any) -> tuple[Row, ...]:
    """A list field row by row: kept rows plain, changed ones word by word."""
    a, b = _as_rows(field, old), _as_rows(field, new)
    out: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [Row(SAME, (Piece(SAME, t),)) for t in a[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            out += [Row("changed", words(x, y)) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            out += [Row(REMOVED, (Piece(REMOVED, t),)) for t in a[i1:i2]]
            out += [Row(ADDED, (Piece(ADDED, t),)) for t in b[j1:j2]]
    return tuple(out)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def field_diff(change: FieldChange) -> FieldDiff:
    """One changed field as words (text and single values) or rows (lists)."""
    old, new = change.old, change.new
    if isinstance(old, list | dict) or isinstance(new, list | dict):
        return FieldDiff(change.field, rows=rows(change.field, old, new))
    return FieldDiff(change.field, pieces=words(_scalar(old), _scalar(new)))


def readable(changes: list[FieldChange]) -> list[FieldDiff]:
    """Every changed field of a revision, ready to show."""
    return [field_diff(c) for c in changes]
