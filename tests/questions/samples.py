"""Valid raw bank items, one per kind, shared by the question tests.

Tests copy one and break a single field, so each test shows only what it changes.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from questions import Kind, Question

EXPLANATION = "Russia got a railway concession across Manchuria in 1896."

GOOD_ITEMS: dict[str, dict[str, Any]] = {
    "single_choice": {
        "id": "history-1896-railway",
        "kind": "single_choice",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": ["treaties"],
        "prompt": "In which year was the railway deal?",
        "options": [{"text": "1896", "correct": True}, {"text": "1950"}, {"text": "2001"}],
        "explanation": EXPLANATION,
    },
    "multiple_select": {
        "id": "history-ms",
        "kind": "multiple_select",
        "paragraphs": [1, 2],
        "difficulty": 2,
        "tags": [],
        "prompt": "Which were treaties between the two?",
        "options": [
            {"text": "Nerchinsk", "correct": True},
            {"text": "Aigun", "correct": True},
            {"text": "Versailles"},
            {"text": "Utrecht"},
        ],
        "explanation": EXPLANATION,
    },
    "true_false": {
        "id": "history-tf",
        "kind": "true_false",
        "paragraphs": [2],
        "difficulty": 1,
        "tags": [],
        "prompt": "The 1950 treaty was one of friendship.",
        "answer": True,
        "explanation": EXPLANATION,
    },
    "short_answer": {
        "id": "history-short",
        "kind": "short_answer",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "Which country became a superpower after 1991?",
        "answer": "The United States",
        "accept": ["U.S.", "USA", "America"],
        "explanation": EXPLANATION,
    },
    "numeric": {
        "id": "history-num",
        "kind": "numeric",
        "paragraphs": [3],
        "difficulty": 2,
        "tags": [],
        "prompt": "How long is the border, in km?",
        "answer": 4200,
        "tolerance": 100,
        "unit": "km",
        "explanation": EXPLANATION,
    },
    "ordering": {
        "id": "history-order",
        "kind": "ordering",
        "paragraphs": [1, 2, 3],
        "difficulty": 2,
        "tags": [],
        "prompt": "Put these in time order.",
        "items": ["Nerchinsk treaty", "Railway deal", "Friendship treaty", "Border deal"],
        "explanation": EXPLANATION,
    },
    "matching": {
        "id": "history-match",
        "kind": "matching",
        "paragraphs": [1],
        "difficulty": 2,
        "tags": [],
        "prompt": "Match each year to its event.",
        "pairs": [
            {"left": "1689", "right": "Nerchinsk"},
            {"left": "1896", "right": "Railway"},
            {"left": "1950", "right": "Friendship treaty"},
        ],
        "distractors": ["Warsaw Pact"],
        "explanation": EXPLANATION,
    },
    "cloze": {
        "id": "history-cloze",
        "kind": "cloze",
        "paragraphs": [1],
        "difficulty": 1,
        "tags": [],
        "prompt": "In {{c1::1896}} China let Russia build a {{c2::railway::what}}.",
        "accept": {2: ["rail line"]},
        "explanation": EXPLANATION,
    },
    "basic": {
        "id": "history-card",
        "kind": "basic",
        "paragraphs": [2],
        "difficulty": 1,
        "tags": [],
        "prompt": "Capital of China",
        "answer": "Beijing",
        "accept": ["Peking"],
        "explanation": EXPLANATION,
    },
}


def good_item(kind: str, /, **changes: Any) -> dict[str, Any]:
    """A fresh valid item of ``kind`` with ``changes`` applied (None deletes a key)."""
    item = copy.deepcopy(GOOD_ITEMS[kind])
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def bank_text(items: list[dict[str, Any]], section: str = "history") -> str:
    """A bank file's YAML text holding ``items``."""
    return yaml.safe_dump(
        {"section": section, "questions": items}, sort_keys=False, allow_unicode=True
    )


def key_response(q: Question) -> Any:
    """The response a student who knows the answer gives (shapes of FORMAT.md)."""
    return {
        Kind.SINGLE_CHOICE: lambda: q.keys[0],
        Kind.MULTIPLE_SELECT: lambda: list(q.keys),
        Kind.TRUE_FALSE: lambda: q.answer,
        Kind.SHORT_ANSWER: lambda: q.answer,
        Kind.NUMERIC: lambda: q.answer,
        Kind.ORDERING: lambda: list(range(len(q.items))),
        Kind.MATCHING: lambda: {i: i for i in range(len(q.pairs))},
        Kind.CLOZE: lambda: [answer for _, answer, _ in q.cloze_deletions],
        Kind.BASIC: lambda: q.answer,
    }[q.kind]()
