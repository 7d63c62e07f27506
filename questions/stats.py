"""Counts over the bank: totals per section (article order), per kind and per difficulty."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from .kinds import Kind
from .model import SECTIONS, SECTIONS_BY_SLUG, Question

DIFFICULTIES = (1, 2, 3)


def bank_stats(questions: Iterable[Question]) -> dict[str, Any]:
    """Totals as a JSON-ready mapping: total, sections, kinds and difficulty.

    Every section, kind and difficulty is listed, with 0 where there is none, so a gap
    shows; sections come in article order and kinds in ``Kind`` order.
    """
    qs = list(questions)
    sections = Counter(q.section for q in qs)
    kinds = Counter(q.kind for q in qs)
    levels = Counter(q.difficulty for q in qs)
    return {
        "total": len(qs),
        "sections": {s.slug: sections.get(s.slug, 0) for s in SECTIONS},
        "kinds": {k.value: kinds.get(k, 0) for k in Kind},
        "difficulty": {str(d): levels.get(d, 0) for d in DIFFICULTIES},
    }


def format_stats(stats: dict[str, Any]) -> str:
    """The figures of ``bank_stats`` as a plain-text table."""
    rows: list[tuple[str, str]] = [("Section", "")]
    for slug, n in stats["sections"].items():
        number = SECTIONS_BY_SLUG[slug].number if slug in SECTIONS_BY_SLUG else "?"
        rows.append((f"  {number} {slug}", str(n)))
    rows.append(("Kind", ""))
    for kind, n in stats["kinds"].items():
        rows.append((f"  {Kind(kind).label if kind in Kind._value2member_map_ else kind}", str(n)))
    rows.append(("Difficulty", ""))
    for level, n in stats["difficulty"].items():
        rows.append((f"  {level}", str(n)))
    rows.append(("Total", str(stats["total"])))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {n:>4}".rstrip() for label, n in rows)
