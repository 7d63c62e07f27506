"""CSV -> bank questions, and the sample file the import page offers.

One row per question under a header row naming the columns (any order; an unknown column
is a problem). A list inside a cell is separated by ``|``; write ``\\|`` for a literal bar.
The columns, and which kinds read them, are in ``KIND_COLUMNS`` and README.md ("CSV
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
from collections.abc import Iterable
from typing import Any

from ..validation import Problem
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, finish_items, problem, sort_problems

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
# The columns each kind reads beyond the common ones.
KIND_COLUMNS: dict[str, set[str]] = {
    "single_choice": {"options", "correct"},
    "multiple_select": {"options", "correct"},
    "true_false": {"answer"},
    "short_answer": {"answer", "accept"},
    "basic": {"answer", "accept"},
    "numeric": {"answer", "tolerance", "unit"},
    "ordering": {"items"},
    "matching": {"pairs", "distractors"},
    "cloze": {"accept"},
}
_BAR = re.compile(r"(?<!\\)\|")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}

# One row per kind, every column present: the file the import page offers to download.
_SAMPLE_ROWS: list[dict[str, str]] = [
    {
        "id": "history-sample-choice",
        "kind": "single_choice",
        "tags": "treaties",
        "prompt": "Which year does this sample ask about?",
        "options": "1896|1950|2001",
        "correct": "1",
        "explanation": "The first option is the key; the others are distractors.",
    },
    {
        "id": "history-sample-select",
        "kind": "multiple_select",
        "difficulty": "2",
        "prompt": "Which two of these are marked right in this sample?",
        "options": "First|Second|Third|Fourth",
        "correct": "1|3",
        "explanation": "Options one and three are the keys.",
    },
    {
        "id": "history-sample-true-false",
        "kind": "true_false",
        "prompt": "This sample statement is true.",
        "answer": "true",
        "explanation": "A true/false row puts true or false in the answer column.",
    },
    {
        "id": "history-sample-short",
        "kind": "short_answer",
        "prompt": "Which short word answers this sample?",
        "answer": "Moscow",
        "accept": "Moskva",
        "explanation": "Extra accepted spellings go in the accept column.",
    },
    {
        "id": "history-sample-numeric",
        "kind": "numeric",
        "difficulty": "2",
        "prompt": "How many units does this sample expect?",
        "answer": "100",
        "tolerance": "5",
        "unit": "billion USD",
        "explanation": "Answers within the tolerance score full marks.",
    },
    {
        "id": "history-sample-ordering",
        "kind": "ordering",
        "difficulty": "2",
        "prompt": "Put the sample steps in order.",
        "items": "First step|Second step|Third step",
        "explanation": "Items are listed in the correct order.",
    },
    {
        "id": "history-sample-matching",
        "kind": "matching",
        "difficulty": "2",
        "prompt": "Match each sample left with its right.",
        "pairs": "A -> 1|B -> 2|C -> 3",
        "distractors": "4",
        "explanation": "Pairs are written left -> right.",
    },
    {
        "id": "history-sample-cloze",
        "kind": "cloze",
        "prompt": "The sample's answer is {{c1::Beijing}}.",
        "accept": "1=Peking",
        "explanation": "Cloze variants name their deletion: 1=variant.",
    },
]


def _sample_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in _SAMPLE_ROWS:
        writer.writerow({"section": "history", "paragraphs": "1", "difficulty": "1", **row})
    return out.getvalue()


SAMPLE_CSV = _sample_csv()


def parse_csv(
    text: str,
    *,
    filename: str = "upload.csv",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read CSV text: the valid questions with their line, and every problem."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
                + "); the import page offers a sample file",
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
        mapping, found = _row_mapping(cells, filename=filename, line=line)
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
    cells: dict[str, str], *, filename: str, line: int
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
    used = KIND_COLUMNS.get(kind)
    if used is None:
        return mapping, problems  # the bank's validation names the unknown kind
    for column in sorted(set(cells) - _COMMON - used):
        if cells[column]:
            bad(column, f"column {column!r} is not used by kind {kind}; leave it empty")
    if kind in ("single_choice", "multiple_select"):
        texts = split_cell(cells.get("options", ""))
        keys = set(_ints(split_cell(cells.get("correct", "")), "correct", bad))
        for k in sorted(keys):
            if not 1 <= k <= len(texts):
                bad("correct", f"correct names option {k}, but there are {len(texts)} options")
        mapping["options"] = [
            {"text": t, "correct": True} if i in keys else {"text": t}
            for i, t in enumerate(texts, start=1)
        ]
    elif kind == "true_false":
        word = cells.get("answer", "").lower()
        if word in _TRUE or word in _FALSE:
            mapping["answer"] = word in _TRUE
        else:
            bad("answer", "a true_false answer is true or false")
    elif kind in ("short_answer", "basic"):
        mapping["answer"] = cells.get("answer", "")
        if split_cell(cells.get("accept", "")):
            mapping["accept"] = split_cell(cells["accept"])
    elif kind == "numeric":
        mapping["answer"] = _number(cells.get("answer", ""), "answer", bad)
        mapping["tolerance"] = (
            _number(cells["tolerance"], "tolerance", bad) if cells.get("tolerance") else 0
        )
        if cells.get("unit"):
            mapping["unit"] = cells["unit"]
    elif kind == "ordering":
        mapping["items"] = split_cell(cells.get("items", ""))
    elif kind == "matching":
        pairs = []
        for part in split_cell(cells.get("pairs", "")):
            left, arrow, right = part.partition("->")
            if not arrow:
                bad("pairs", f"pair {part!r} needs the form left -> right")
            pairs.append({"left": left.strip(), "right": right.strip()})
        mapping["pairs"] = pairs
        if split_cell(cells.get("distractors", "")):
            mapping["distractors"] = split_cell(cells["distractors"])
    elif kind == "cloze":
        accept: dict[int, list[str]] = {}
        for part in split_cell(cells.get("accept", "")):
            number, eq, variant = part.partition("=")
            if not eq or not number.strip().isdigit():
                bad("accept", f"cloze variant {part!r} needs the form N=variant")
                continue
            accept.setdefault(int(number), []).append(variant.strip())
        if accept:
            mapping["accept"] = accept
    return mapping, problems


def _int(text: str, field: str, bad: Any) -> int | None:
    try:
        return int(text)
    except ValueError:
        bad(field, f"{field}: {text!r} is not a whole number")
        return None


def _ints(parts: list[str], field: str, bad: Any) -> list[int]:
    return [n for n in (_int(p, field, bad) for p in parts) if n is not None]


def _number(text: str, field: str, bad: Any) -> int | float | None:
    if not text:
        bad(field, f"{field}: a number is required")
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        bad(field, f"{field}: {text!r} is not a number")
        return None
    return int(value) if value.is_integer() else value
