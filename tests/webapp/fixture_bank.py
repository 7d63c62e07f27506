"""A small bank with every kind, for tests: never the real bank's content.

``ITEMS`` are bank-file mappings; ``questions()`` turns them into domain objects and
``write_bank(directory)`` writes them as NN-slug.yaml files for ``flask bank load``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from questions import SECTIONS_BY_SLUG, Question

ITEMS: list[dict[str, Any]] = [
    {
        "id": "history-single",
        "kind": "single_choice",
        "section": "history",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "Which river marks much of the old border?",
        "options": [{"text": "Amur", "correct": True}, {"text": "Volga"}, {"text": "Danube"}],
        "explanation": "The Amur runs along much of the border.",
    },
    {
        "id": "history-multi",
        "kind": "multiple_select",
        "section": "history",
        "paragraphs": [2],
        "difficulty": 2,
        "tags": [],
        "prompt": "Which of these are rivers of the border region?",
        "options": [
            {"text": "Amur", "correct": True},
            {"text": "Ussuri", "correct": True},
            {"text": "Thames"},
            {"text": "Seine"},
        ],
        "explanation": "Both the Amur and the Ussuri form parts of the border.",
    },
    {
        "id": "history-tf",
        "kind": "true_false",
        "section": "history",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "The two states share a long land border.",
        "answer": True,
        "explanation": "Their land border runs for thousands of kilometres.",
    },
    {
        "id": "history-short",
        "kind": "short_answer",
        "section": "history",
        "paragraphs": [3],
        "difficulty": 1,
        "tags": [],
        "prompt": "Name the border river that starts with A.",
        "answer": "Amur",
        "accept": ["Heilongjiang"],
        "explanation": "The Amur is called Heilongjiang in China.",
    },
    {
        "id": "history-order",
        "kind": "ordering",
        "section": "history",
        "paragraphs": [1],
        "difficulty": 2,
        "tags": [],
        "prompt": "Put these years in order, earliest first.",
        "items": ["1689", "1858", "1960", "2001"],
        "explanation": "Treaties and events follow the calendar.",
    },
    {
        "id": "economy-numeric",
        "kind": "numeric",
        "section": "economy-energy",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "How many litres in a cubic metre?",
        "answer": 1000,
        "tolerance": 0,
        "unit": "litres",
        "explanation": "A cubic metre holds a thousand litres.",
    },
    {
        "id": "economy-match",
        "kind": "matching",
        "section": "economy-energy",
        "paragraphs": [2],
        "difficulty": 2,
        "tags": [],
        "prompt": "Match each fuel to its form.",
        "pairs": [
            {"left": "Gas", "right": "Pipeline"},
            {"left": "Oil", "right": "Tanker"},
            {"left": "Coal", "right": "Railway wagon"},
        ],
        "distractors": ["Balloon"],
        "explanation": "Each fuel travels the way that suits it.",
    },
    {
        "id": "economy-cloze",
        "kind": "cloze",
        "section": "economy-energy",
        "paragraphs": [3],
        "difficulty": 1,
        "tags": [],
        "prompt": "Gas flows through the {{c1::pipeline}} to the {{c2::east::direction}}.",
        "explanation": "The pipeline carries gas eastwards.",
    },
    {
        "id": "economy-basic",
        "kind": "basic",
        "section": "economy-energy",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "Capital of Russia?",
        "answer": "Moscow",
        "explanation": "Moscow is the capital.",
    },
]


def item(uid: str) -> dict[str, Any]:
    """A deep copy of one fixture item, to edit freely."""
    return copy.deepcopy(next(i for i in ITEMS if i["id"] == uid))


def questions(items: list[dict[str, Any]] | None = None) -> list[Question]:
    """The fixture items as domain objects."""
    return [Question.from_dict(i) for i in (ITEMS if items is None else items)]


def generated(n: int, *, section: str = "history") -> list[Question]:
    """``n`` distinct single-choice questions, for size-scaling tests."""
    return [
        Question.from_dict(
            {
                "id": f"{section}-gen-{i}",
                "kind": "single_choice",
                "section": section,
                "paragraphs": [1],
                "difficulty": 1,
                "tags": [],
                "prompt": f"Generated question number {i}?",
                "options": [
                    {"text": f"Right {i}", "correct": True},
                    {"text": f"Wrong {i}"},
                    {"text": f"Other {i}"},
                ],
                "explanation": "Generated for a test.",
            }
        )
        for i in range(n)
    ]


def write_bank(directory: Path, items: list[dict[str, Any]] | None = None) -> Path:
    """Write ``items`` as one NN-slug.yaml file per section under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    by_section: dict[str, list[dict[str, Any]]] = {}
    for raw in ITEMS if items is None else items:
        body = {k: v for k, v in raw.items() if k != "section"}
        by_section.setdefault(raw["section"], []).append(body)
    for slug, entries in by_section.items():
        number = SECTIONS_BY_SLUG[slug].number
        path = directory / f"{number:02d}-{slug}.yaml"
        path.write_text(
            yaml.safe_dump(
                {"section": slug, "questions": entries}, sort_keys=False, allow_unicode=True
            ),
            encoding="utf-8",
        )
    return directory
