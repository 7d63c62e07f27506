"""CSV -> bank questions, and the sample file the import page offers.

One row per question under a header row naming the columns (any order; an unknown column
is a problem). A list inside a cell is separated by ``|``; write ``\\|`` for a literal bar.
The columns, and which kinds read them, are in each kind's ``csv_columns`` and README.md ("CSV
columns"): id, kind, section, paragraphs, difficulty, tags, prompt, options, correct
(1-based numbers of the right options), answer, accept (cloze: ``N=variant``), tolerance,
unit, items, pairs (``left -> right``), distractors, explanation, note. Empty section,
paragraphs and difficulty cells take the import page's choices; an empty id is made from
the section and the prompt.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..kinds import Kind, all_specs, spec
from ..quoting import shown
from ..validation import Problem
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, finish_items, problem, sort_problems
from .numbers import read_number
from .quizlet import looks_like_quizlet, parse_quizlet

COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "section",
    "paragraphs",
    "difficulty",
    "tags",
    "prompt",
    "options",
    "correct",
    "answer",
    "accept",
    "tolerance",
    "unit",
    "items",
    "pairs",
    "distractors",
    "explanation",
    "note",
    "reject",  # typed kinds, added last so existing files keep their column order
    "exact",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("kind", "prompt")
_COMMON = {
    "id",
    "kind",
    "section",
    "paragraphs",
    "difficulty",
    "tags",
    "prompt",
    "explanation",
    "note",
}
_BAR = re.compile(r"(?<!\\)\|")


def _sample_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for kind in all_specs():  # one row per kind that has a sample, every column present
        if kind.csv_sample is None:
            continue
        row = {"section": "history", "paragraphs": "1", "difficulty": "1"}
        row.update(kind.csv_sample)
        row["kind"] = kind.kind.value
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return out.getvalue()


SAMPLE_CSV = _sample_csv()


def parse_csv(
    text: str,
    *,
    filename: str = "upload.csv",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read CSV text: the valid questions with their line, and every problem.

    The separator (comma, semicolon or tab, as Excel, Excel in a decimal-comma locale and
    Google Sheets' TSV write) is the one that makes the header name the columns; a file
    of term<tab>definition rows and no header is a Quizlet export.
    """
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        if looks_like_quizlet(text):
            return parse_quizlet(text, filename=filename, defaults=defaults, taken_ids=taken_ids)
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    problems: list[Problem] = []
    raw: list[tuple[int, dict[str, Any]]] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        return [], [problem(filename, reader.line_num or 1, f"not readable as CSV: {exc}")]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if not header or missing or unknown:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(repr(c) for c in unknown))
        return [], [
            problem(
                filename,
                1,
                "the first row must name the columns ("
                + "; ".join(parts or ["the file is empty"])
                + f"; read with {_SEPARATOR_NAMES[delimiter]} between cells, as no comma, "
                "semicolon or tab made a header of known columns); "
                "the import page offers a sample file",
            )
        ]
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(problem(filename, previous_end + 1, f"not readable as CSV: {exc}"))
            break
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                problem(
                    filename,
                    line,
                    f"this row has {len(row)} cells but the header names {len(header)} columns",
                )
            )
            continue
        cells = {c: v.strip() for c, v in zip(header, row, strict=True)}
        mapping, found = _row_mapping(cells, filename=filename, line=line, decimal=defaults.decimal)
        problems.extend(found)
        raw.append((line, mapping))
    items, more = finish_items(raw, filename=filename, defaults=defaults, taken_ids=taken_ids)
    # A cell this module could not read already has its message; the bank's rule about
    # the same field would only repeat it in other words.
    reported = {(p.line, p.field) for p in problems}
    more = [p for p in more if (p.line, p.field) not in reported]
    items = [i for i in items if i.line not in {line for line, _ in reported}]
    return items, sort_problems(problems + more)


def split_cell(cell: str) -> list[str]:
    """The ``|``-separated parts of a cell, ``\\|`` kept as a literal bar."""
    if not cell.strip():
        return []
    return [part.replace("\\|", "|").strip() for part in _BAR.split(cell)]


def _row_mapping(
    cells: dict[str, str], *, filename: str, line: int, decimal: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    kind = cells.get("kind", "")
    qid = cells.get("id") or None

    def bad(field: str, message: str) -> None:
        problems.append(problem(filename, line, message, item=qid, field=field))

    mapping: dict[str, Any] = {"kind": kind}
    if qid:
        mapping["id"] = qid
    for key in ("section", "prompt", "explanation", "note"):
        if cells.get(key):
            mapping[key] = cells[key]
    if cells.get("paragraphs"):
        mapping["paragraphs"] = _ints(split_cell(cells["paragraphs"]), "paragraphs", bad)
    if cells.get("difficulty"):
        mapping["difficulty"] = _int(cells["difficulty"], "difficulty", bad)
    mapping["tags"] = split_cell(cells.get("tags", ""))
    if kind not in Kind._value2member_map_:
        return mapping, problems  # the bank's validation names the unknown kind
    kind_spec = spec(kind)
    for column in sorted(set(cells) - _COMMON - kind_spec.csv_columns):
        if cells[column]:
            bad(column, f"column {shown(column)} is not used by kind {kind}; leave it empty")
    mapping.update(kind_spec.from_csv(_Row(cells, bad, decimal=decimal)))
    return mapping, problems


class _Row:
    """A CSV row as the kinds read it (``questions.kinds.base.CsvRow``)."""

    def __init__(
        self, cells: dict[str, str], bad: Callable[[str, str], None], *, decimal: str = ""
    ) -> None:
        self._cells = cells
        self.bad = bad
        self._decimal = decimal

    def get(self, column: str) -> str:
        return self._cells.get(column, "")

    def split(self, column: str) -> list[str]:
        return split_cell(self.get(column))

    def ints(self, column: str) -> list[int]:
        return _ints(self.split(column), column, self.bad)

    def number(self, column: str) -> int | float | None:
        return _number(self.get(column), column, self.bad, decimal=self._decimal)


def _int(text: str, field: str, bad: Any) -> int | None:
    try:
        return int(text)
    except ValueError:
        bad(field, f"{field}: {shown(text)} is not a whole number")
        return None


def _ints(parts: list[str], field: str, bad: Any) -> list[int]:
    return [n for n in (_int(p, field, bad) for p in parts) if n is not None]


def _number(text: str, field: str, bad: Any, *, decimal: str = "") -> int | float | None:
    if not text:
        bad(field, f"{field}: a number is required")
        return None
    try:
        return read_number(text, decimal=decimal)
    except ValueError as exc:
        bad(field, f"{field}: {exc}")
        return None


_SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def sniff_delimiter(text: str) -> str | None:
    """The separator that makes the first row name the most known columns, or None."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    best, best_known = None, 0
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for c in cells if c.strip().lower() in COLUMNS)
        if known > best_known:
            best, best_known = delimiter, known
    return best
