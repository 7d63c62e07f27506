"""What every import format shares: defaults from the import page, parsed items with their
line, decoding an upload, and the last step that fills defaults, makes ids and runs the
bank's own validation on each item."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import SECTIONS_BY_SLUG, Question
from ..quoting import shown
from ..validation import MAX_ITEMS as MAX_ITEMS
from ..validation import MAX_PARTS as MAX_PARTS
from ..validation import Problem, validate_import

# MAX_ITEMS and MAX_PARTS live with the rules (a bank file has them too).
# Longest id a generated slug may give (the words of a prompt can run long).
_MAX_ID_LENGTH = 60


class UploadError(ValueError):
    """An upload that is not text at all (binary, or not UTF-8)."""


@dataclass(frozen=True)
class ImportDefaults:
    """Bank-only data that GIFT and CSV items may lack, as chosen on the import page."""

    section: str | None = None
    paragraphs: tuple[int, ...] = ()
    difficulty: int = 1
    # How a spreadsheet writes numbers: "comma" (1,5 is one and a half), "point" (1,500
    # is fifteen hundred), or "" (not chosen: a number that could be read both ways is
    # a problem at its line, never a guess).
    decimal: str = ""


NO_DEFAULTS = ImportDefaults()


@dataclass(frozen=True)
class ParsedItem:
    """One valid question read from an upload, with the line where it starts."""

    line: int
    question: Question
    # True when the file named the id; False when the importer made one up.
    id_given: bool = True
    # What the import kept but the bank would not write itself (no explanation, two
    # options) or what it had to drop (partial credit, per-answer feedback), at the line.
    warnings: tuple[Problem, ...] = ()


_SAVE_AS = 'in Excel choose "Save as" and "CSV UTF-8 (comma delimited)"'


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file, or ``UploadError`` saying why it is not text.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM (Excel's "Unicode text") read.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UploadError(f"the file starts as UTF-16 text but breaks off; {_SAVE_AS}") from exc
        return _newlines(text.lstrip("\ufeff"))
    head = data[:8192]
    if b"\x00" in head:
        # UTF-16 without its BOM puts a zero byte beside every ASCII letter.
        if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
            raise UploadError(f"this looks like UTF-16 text without its marker; {_SAVE_AS}")
        raise UploadError(f"this is a binary file, not text (a spreadsheet? {_SAVE_AS})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadError(
            f"the file is not UTF-8 text (undecodable byte on line {line}); "
            f"save it as UTF-8 ({_SAVE_AS}) and upload it again"
        ) from exc
    return _newlines(text)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def problem(
    filename: str,
    line: int | None,
    message: str,
    *,
    item: str | None = None,
    field: str | None = None,
) -> Problem:
    """A problem at a place in an uploaded file."""
    return Problem(file=filename, line=line, item=item, field=field, message=message)


def at_line(p: Problem, *, filename: str, line: int) -> Problem:
    """The same problem placed in ``filename`` at ``line`` (unless it already has a line)."""
    return dataclasses.replace(p, file=filename, line=p.line or line)


def slugify(text: str, *, words: int = 8) -> str:
    """Lowercase ASCII words joined by hyphens, the shape of a bank id."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", folded.lower())[:words]
    slug = "-".join(parts)[:_MAX_ID_LENGTH].strip("-")
    return slug or "question"


def finish_items(
    raw: Iterable[tuple[int, dict[str, Any]]],
    *,
    filename: str,
    defaults: ImportDefaults,
    taken_ids: Iterable[str] = (),
    titles: dict[int, str] | None = None,
    notes: dict[int, list[str]] | None = None,
) -> tuple[list[ParsedItem], list[Problem]]:
    """Fill defaults, make missing ids, validate every item with the bank's rules.

    ``raw`` holds (line, mapping) pairs in file order; ``titles`` maps a line to a title the
    format gave (GIFT's ``::title::``), used for a missing id; ``notes`` maps a line to the
    format's own warnings (what it dropped). Ids the importer makes avoid ``taken_ids``; an
    id the file gives twice is a problem. House style (an explanation, the option counts)
    gives warnings, not problems: an import brings questions written elsewhere.
    """
    raw = list(raw)
    if len(raw) > MAX_ITEMS:
        line = raw[MAX_ITEMS][0]
        return [], [
            problem(filename, line, f"more than {MAX_ITEMS} questions in one file: split it")
        ]
    # Ids in use (the database's and this file's) and the next suffix to try per base:
    # a file of many look-alike questions gets its ids in linear time.
    taken = set(taken_ids)
    suffixes: dict[str, int] = {}
    seen: dict[str, int] = {}
    items: list[ParsedItem] = []
    problems: list[Problem] = []
    for line, mapping in raw:
        mapping = dict(mapping)
        if not mapping.get("section"):
            if defaults.section:
                mapping["section"] = defaults.section
            else:
                problems.append(
                    problem(
                        filename,
                        line,
                        "no section given: choose one on the import page",
                        item=mapping.get("id"),
                        field="section",
                    )
                )
                continue
        if not mapping.get("paragraphs") and defaults.paragraphs:
            mapping["paragraphs"] = list(defaults.paragraphs)
        mapping.setdefault("difficulty", defaults.difficulty)
        mapping.setdefault("tags", [])
        id_given = bool(mapping.get("id"))
        if not id_given:
            mapping["id"] = _new_id(
                mapping, title=(titles or {}).get(line), taken=taken, suffixes=suffixes
            )
        qid = str(mapping["id"])
        if qid in seen:
            problems.append(
                problem(
                    filename,
                    line,
                    f"id {shown(qid)} is used twice in this file (first on line {seen[qid]})",
                    item=qid,
                    field="id",
                )
            )
            continue
        seen[qid] = line
        taken.add(qid)
        found, style = validate_import(mapping)
        if found:
            problems.extend(at_line(p, filename=filename, line=line) for p in found)
            continue
        warnings = [problem(filename, line, m, item=qid) for m in (notes or {}).get(line, [])]
        warnings += [at_line(p, filename=filename, line=line) for p in style]
        items.append(ParsedItem(line, Question.from_dict(mapping), id_given, tuple(warnings)))
    return items, problems


def _new_id(
    mapping: dict[str, Any], *, title: str | None, taken: set[str], suffixes: dict[str, int]
) -> str:
    """An id from the title (or the prompt's first words), prefixed with the section."""
    section = str(mapping.get("section") or "")
    slug = slugify(title or str(mapping.get("prompt") or ""))
    has_prefix = any(slug.startswith(s + "-") for s in SECTIONS_BY_SLUG)
    base = slug if has_prefix or section not in SECTIONS_BY_SLUG else f"{section}-{slug}"
    qid, n = base, suffixes.get(base, 2)
    while qid in taken:
        qid, n = f"{base}-{n}", n + 1
    suffixes[base] = n
    return qid


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file order (those without a line first)."""
    return sorted(problems, key=lambda p: p.line or 0)
