"""Domain objects of the question bank: sections of the article and questions of every kind.

These are plain dataclasses with enums for closed sets. They cross boundaries (YAML files,
the database's JSON column, exports) through ``to_dict`` / ``from_dict``, which use the same
keys as the bank files, so a question survives files -> database -> files unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .kinds import Kind, spec


@dataclass(frozen=True)
class Section:
    """One part of the article: its position, slug, heading and number of paragraphs."""

    number: int
    slug: str
    title: str
    paragraphs: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "slug": self.slug,
            "title": self.title,
            "paragraphs": self.paragraphs,
        }


# The article's eight parts, in article order (map: ../shared/article/README.md).
SECTIONS: tuple[Section, ...] = (
    Section(0, "introduction", "Introduction", 4),
    Section(1, "history", "Brief Historical overview of Sino-Russia Relations", 3),
    Section(2, "multipolar-world", "Towards a Multipolar world", 2),
    Section(3, "international-organizations", "Engagements in International Organizations", 3),
    Section(4, "security", "Dilemmas of Security Cooperation", 2),
    Section(5, "economy-energy", "Economic and Energy Partnership", 3),
    Section(6, "coronavirus", "Coronavirus and Sino-Russian relations", 2),
    Section(7, "conclusion", "Conclusion", 2),
)
SECTIONS_BY_SLUG: dict[str, Section] = {s.slug: s for s in SECTIONS}

ARTICLE_TITLE = "Changing Dynamics of the Russia-China relations post-1991"

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Anki's cloze syntax: {{c1::answer}} or {{c1::answer::hint}}. The answer stops at the
# first "::" or "}}" and the hint at the first "}}", as a lazy ".*?" would, but neither
# crosses a "{{" and both are possessive: an unclosed "{{c1::" followed by a megabyte of
# "::" is scanned once, not once per "::" (a lazy pattern there is quadratic).
CLOZE_PATTERN = re.compile(
    r"\{\{c(\d{1,9})::"
    r"((?:[^:{}]|:(?!:)|\{(?!\{)|\}(?!\}))*+)"  # the answer
    r"(?:::((?:[^{}]|\{(?!\{)|\}(?!\}))*+))?"  # the hint
    r"\}\}"
)


@dataclass(frozen=True)
class Option:
    """One option of a choice question; ``correct`` marks a key.

    ``feedback`` is shown to a student who picked the option, after answering (Moodle's
    per-answer feedback; optional).
    """

    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True)
class Pair:
    """One pair of a matching question: a prompt on the left, its match on the right."""

    left: str
    right: str


@dataclass(frozen=True)
class Question:
    """One item of the bank, of any kind.

    Only the answer fields of its kind are set; the rest keep their empty defaults. Which
    fields a kind uses, and what they mean, is documented in its module under
    ``questions/kinds/`` (and in questions/FORMAT.md).
    """

    id: str
    kind: Kind
    section: str
    paragraphs: tuple[int, ...]
    prompt: str
    explanation: str
    difficulty: int = 1
    tags: tuple[str, ...] = ()
    note: str | None = None
    options: tuple[Option, ...] = ()
    answer: Any = None
    accept: Any = ()
    reject: Any = ()  # typed kinds: variants that are wrong however close they come
    exact: bool = False  # typed kinds: no tolerance (no slips, spellings, plurals...)
    tolerance: float = 0.0
    unit: str | None = None
    items: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # ids of items that answer or overlap this one
    lint_waive: tuple[tuple[str, str], ...] = ()  # (lint rule, reason) pairs

    # --- derived views ---------------------------------------------------------------
    @property
    def keys(self) -> tuple[int, ...]:
        """Indices of the correct options of a choice question."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)

    @property
    def cloze_deletions(self) -> list[tuple[int, str, str | None]]:
        """(number, answer, hint) for each deletion of a cloze, in text order."""
        return [
            (int(m.group(1)), m.group(2), m.group(3)) for m in CLOZE_PATTERN.finditer(self.prompt)
        ]

    @property
    def right_texts(self) -> tuple[str, ...]:
        """All right-hand texts of a matching question: the pairs' rights, then distractors."""
        return tuple(p.right for p in self.pairs) + tuple(self.distractors)

    # --- (de)serialisation -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The question as a bank-file mapping: only the keys its kind uses, in file order."""
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "section": self.section,
            "paragraphs": list(self.paragraphs),
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "prompt": self.prompt,
        }
        d.update(spec(self.kind).answer_dict(self))
        d["explanation"] = self.explanation
        if self.note:
            d["note"] = self.note
        if self.related:
            d["related"] = list(self.related)
        if self.lint_waive:
            d["lint_waive"] = dict(self.lint_waive)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, section: str | None = None) -> Question:
        """Build a question from a bank-file mapping.

        Raises ``ValueError`` or ``TypeError`` on a shape it cannot read (an unknown kind,
        a list where a mapping belongs); *content* rules are checked by
        ``questions.validation``, which reports every problem with its place.
        """
        kind = Kind(data["kind"])
        accept = spec(kind).read_accept(data.get("accept"))
        reject = spec(kind).read_accept(data.get("reject"))
        answer = data.get("answer")
        return cls(
            id=str(data["id"]),
            kind=kind,
            section=str(data.get("section") or section or ""),
            paragraphs=tuple(int(p) for p in _as_list(data.get("paragraphs"))),
            prompt=str(data.get("prompt") or ""),
            explanation=str(data.get("explanation") or ""),
            difficulty=int(data.get("difficulty", 1)),
            tags=tuple(str(t) for t in _as_list(data.get("tags"))),
            note=(str(data["note"]) if data.get("note") else None),
            options=tuple(_option(o) for o in _as_list(data.get("options"))),
            answer=answer,
            accept=accept,
            reject=reject,
            exact=bool(data.get("exact", False)),
            tolerance=float(data.get("tolerance") or 0.0),
            unit=(str(data["unit"]) if data.get("unit") else None),
            items=tuple(str(i) for i in _as_list(data.get("items"))),
            pairs=tuple(Pair(str(p["left"]), str(p["right"])) for p in _as_list(data.get("pairs"))),
            distractors=tuple(str(x) for x in _as_list(data.get("distractors"))),
            related=tuple(str(x) for x in _as_list(data.get("related"))),
            lint_waive=tuple(
                (str(k), str(v)) for k, v in dict(data.get("lint_waive") or {}).items()
            ),
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _option(raw: Any) -> Option:
    if isinstance(raw, dict):
        feedback = raw.get("feedback")
        return Option(
            str(raw.get("text", "")),
            bool(raw.get("correct", False)),
            str(feedback) if feedback else None,
        )
    return Option(str(raw))
