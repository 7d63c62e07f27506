"""Known terms: what a typed word may not be "a slip" for, because it names something else.

Built from a world list shipped with the code (``questions/data/world.txt``: countries,
regions, cities, organisations, people, and words that look like the bank's answers) and
from the bank: every answer, accepted and rejected variant, option, distractor, ordered
item and matching text. "Liberia" typed for "Siberia" is a known term, so it is taken as
meant, and wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .kinds import spec
from .normalise import joined, words

if TYPE_CHECKING:
    from .model import Question

WORLD_LIST = Path(__file__).parent / "data" / "world.txt"
MAX_TERM_WORDS = 6  # longer texts (sentences in options) are not terms


@dataclass(frozen=True)
class Vocabulary:
    """Known terms, as canonical joined forms, and the words they are made of."""

    terms: frozenset[str] = field(default_factory=frozenset)
    words: frozenset[str] = field(default_factory=frozenset)

    def __len__(self) -> int:
        return len(self.terms)

    def is_term(self, ws: tuple[str, ...]) -> bool:
        return joined(ws) in self.terms

    def is_word(self, word: str) -> bool:
        return word in self.words


def build(texts: Iterable[str]) -> Vocabulary:
    """A vocabulary of the given terms (texts of more than a few words are skipped)."""
    terms: set[str] = set()
    term_words: set[str] = set()
    for text in texts:
        ws = words(text)
        if not ws or len(ws) > MAX_TERM_WORDS:
            continue
        terms.add(joined(ws))
        term_words.update(w for w in ws if not w.isdigit())
    return Vocabulary(frozenset(terms), frozenset(term_words))


def world_terms() -> list[str]:
    """The shipped world list, one term a line."""
    lines = WORLD_LIST.read_text(encoding="utf-8").splitlines()
    return [s for s in (line.split("#", 1)[0].strip() for line in lines) if s]


def question_terms(q: Question) -> list[str]:
    """Every text of a question that names something: answers, variants, options..."""
    out: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                add(v)

    add(q.answer)
    add(q.accept)
    add(getattr(q, "reject", ()))
    add([o.text for o in q.options])
    add(list(q.distractors))
    add(list(q.items))
    add([p.right for p in q.pairs] + [p.left for p in q.pairs])
    add(spec(q.kind).expected(q))  # a cloze's answers live in its prompt
    return out


def bank_terms(questions: Iterable[Question]) -> list[str]:
    """The terms of every question of a bank."""
    return [t for q in questions for t in question_terms(q)]


_override: list[Vocabulary] = []


def default() -> Vocabulary:
    """The vocabulary the grader uses: :func:`use`'s, else the world list plus the bank."""
    return _override[-1] if _override else _shipped()


@lru_cache(maxsize=1)
def _shipped() -> Vocabulary:
    from .loader import load_bank  # the loader imports the kinds, which import grading

    return build([*world_terms(), *bank_terms(load_bank().questions)])


def use(vocabulary: Vocabulary | None) -> None:
    """Grade with ``vocabulary`` from now on (None: back to the shipped one)."""
    _override.clear()
    if vocabulary is not None:
        _override.append(vocabulary)
