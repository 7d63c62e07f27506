"""A Quizlet set's export -> typed flashcards (the bank's basic cards).

Quizlet exports one card a row: term, a separator, definition. Its dialog offers a tab or
a comma between term and definition and a new line or a semicolon between rows; the
separators are told apart from the text itself. Every card takes the import page's
section, paragraph and difficulty; the term is the front, the definition the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..kinds import all_specs
from ..validation import Problem
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, finish_items, problem, sort_problems

# The kind a term and its definition become: the one whose spec says so.
CARD_KIND = next(k.kind.value for k in all_specs() if k.term_cards)


def parse_quizlet(
    text: str,
    *,
    filename: str = "quizlet.txt",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read a Quizlet export: one basic card per row, every problem with its line."""
    problems: list[Problem] = []
    raw: list[tuple[int, dict[str, Any]]] = []
    for line, row in quizlet_rows(text):
        term_sep = "\t" if "\t" in text else ","
        term, sep, definition = row.partition(term_sep)
        if not sep or not term.strip() or not definition.strip():
            problems.append(
                problem(
                    filename,
                    line,
                    "a Quizlet row is a term, a tab (or comma), then its definition",
                )
            )
            continue
        raw.append(
            (line, {"kind": CARD_KIND, "prompt": term.strip(), "answer": definition.strip()})
        )
    if not raw and not problems:
        problems.append(problem(filename, 1, "no cards found"))
    items, more = finish_items(raw, filename=filename, defaults=defaults, taken_ids=taken_ids)
    return items, sort_problems(problems + more)


def quizlet_rows(text: str) -> list[tuple[int, str]]:
    """(line, row) pairs: rows end at new lines, or at semicolons in a one-line export."""
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if len(lines) == 1 and ";" in lines[0][1]:
        n, line = lines[0]
        return [(n, part) for part in line.split(";") if part.strip()]
    return lines


def looks_like_quizlet(text: str) -> bool:
    """Rows of exactly one tab each and no header naming the bank's columns."""
    rows = [row for _, row in quizlet_rows(text)[:50]]
    return bool(rows) and all(row.count("\t") == 1 for row in rows)
