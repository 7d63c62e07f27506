"""Bank questions -> bank YAML files (questions/FORMAT.md), and a bank file as an upload.

The writer is the inverse of the loader: keys in ``Question.to_dict`` order, block style
for mappings, short lists of plain values in flow style (``paragraphs: [1]``), multi-line
text as literal blocks, a blank line between questions. Long text stays on one line, so a
changed word changes one line of a git diff instead of reflowing a paragraph. Output
depends only on the questions: dumping twice gives the same bytes, and load -> dump ->
load gives the same questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from ..loader import parse_bank_text
from ..model import SECTIONS, SECTIONS_BY_SLUG, Question
from ..quoting import shown
from ..validation import Problem
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, sort_problems

# A flow list ([a, b]) only while it stays this short; longer ones go one item a line.
_FLOW_LIMIT = 60
# PyYAML folds plain text at ``width``; this keeps every value on its own line.
_NO_WRAP = 1_000_000
_ITEM_START = re.compile(r"\n(  - id: )")
# Possessive runs of blanks: "[ \t]*-?[ \t]*" split a long line of spaces every way
# before failing (quadratic); "[ \t]*+(?:-[ \t]*+)?" reads it once.
_ID_LINE = re.compile(r"^[ \t]*+(?:-[ \t]*+)?id:[ \t]*+['\"]?([^'\"#\s]++)", re.MULTILINE)


class _BankDumper(yaml.SafeDumper):
    """Indents lists under their key, as the hand-written bank files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    # 5.0 and 5 load back to the same number; write it as people do.
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return yaml.SafeDumper.represent_float(dumper, value)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    plain = all(isinstance(v, (str, int, float, bool)) and "\n" not in str(v) for v in value)
    flow = plain and len(", ".join(str(v) for v in value)) <= _FLOW_LIMIT
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_BankDumper.add_representer(str, _represent_str)
_BankDumper.add_representer(float, _represent_float)
_BankDumper.add_representer(list, _represent_list)


def section_filename(section_slug: str) -> str:
    """The bank file of a section: ``NN-slug.yaml`` in article order."""
    return f"{SECTIONS_BY_SLUG[section_slug].number:02d}-{section_slug}.yaml"


def dump_section_file(section_slug: str, questions: Iterable[Question]) -> str:
    """The text of one bank file holding ``questions`` (in the given order)."""
    items = []
    for q in questions:
        if q.section != section_slug:
            raise ValueError(
                f"question {shown(q.id)} belongs to section {shown(q.section)}, "
                f"not {shown(section_slug)}"
            )
        d = q.to_dict()
        del d["section"]  # the file names it once at the top
        items.append(d)
    document = {"section": section_slug, "questions": items}
    text = yaml.dump(
        document,
        Dumper=_BankDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_WRAP,
        indent=2,
    )
    # A blank line between questions, as the hand-written files have. Only an item starts
    # a line with two spaces then "- id:" (nested text is indented deeper).
    head, _, body = text.partition("\n  - id: ")
    return head + "\n  - id: " + _ITEM_START.sub(r"\n\n\1", body) if body else text


def dump_question(question: Question) -> str:
    """One question as it would stand in its bank file (without the file's header)."""
    return yaml.dump(
        question.to_dict(),
        Dumper=_BankDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_WRAP,
        indent=2,
    )


def dump_bank(questions: Iterable[Question]) -> dict[str, str]:
    """File name -> text for every section that has questions, in article order."""
    by_section: dict[str, list[Question]] = {}
    for q in questions:
        by_section.setdefault(q.section, []).append(q)
    return {
        section_filename(s.slug): dump_section_file(s.slug, by_section[s.slug])
        for s in SECTIONS
        if s.slug in by_section
    }


def parse_bank_yaml(
    text: str,
    *,
    filename: str = "upload.yaml",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read one bank file as an upload: its questions (with the line of their id), or
    every problem the bank's own loader finds. ``defaults`` and ``taken_ids`` do not apply:
    a bank file names its section and ids itself."""
    del defaults, taken_ids
    questions, problems = parse_bank_text(text, filename)
    if problems:
        return [], sort_problems(problems)
    lines = {m.group(1): text.count("\n", 0, m.start()) + 1 for m in _ID_LINE.finditer(text)}
    return [ParsedItem(lines.get(q.id, 1), q) for q in questions], []
