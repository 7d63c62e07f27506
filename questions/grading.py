"""Grading: a question and a student's response in, a structured grade out.

A :class:`Grade` is data: the score, whether fully right, a mark per part (each option,
gap, ordered item or pair) and the expected answer. The words a student reads are made at
display time from it (:func:`feedback_text`, and each kind's ``remark``). Each kind grades
in its own module (``questions/kinds/``); this module holds what they share: the typed
answer folding, reading numbers, and the entry point :func:`grade`, which never raises on a
response.
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .kinds import spec
from .quoting import shown

if TYPE_CHECKING:
    from .model import Question

NO_ANSWER = "No answer was given."
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")
_CURRENCY = "$€£¥₽"  # a sign typed before or after a number is tolerated
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


class Mark(str, enum.Enum):
    """How one part of a response went."""

    RIGHT = "right"  # a key picked, a gap filled right, an item in its place
    WRONG = "wrong"  # a non-key picked, a wrong fill, an item out of place
    MISSED = "missed"  # a key not picked, a gap or a match left empty


class Status(str, enum.Enum):
    """Whether a response was graded at all."""

    GRADED = "graded"
    UNANSWERED = "unanswered"  # nothing given
    UNREADABLE = "unreadable"  # given, but not of the kind's shape


@dataclass(frozen=True)
class Grade:
    """The outcome of one response.

    ``marks`` holds one mark per part in the question's canonical order (options, items,
    pairs, gaps), or None for a part the response did not touch (an option neither a key
    nor picked). ``detail`` keeps kind-specific facts (``{"side": "high"}`` for a number,
    pair counts for an order); ``problem`` says why a response could not be read.
    """

    score: float
    correct: bool
    expected: Any = None
    marks: tuple[Mark | None, ...] = ()
    status: Status = Status.GRADED
    detail: Mapping[str, Any] = field(default_factory=dict)
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The grade as JSON data (stored with the answer)."""
        data: dict[str, Any] = {
            "score": self.score,
            "correct": self.correct,
            "status": self.status.value,
            "marks": [m.value if m else None for m in self.marks],
            "expected": self.expected,
        }
        if self.detail:
            data["detail"] = dict(self.detail)
        if self.problem:
            data["problem"] = self.problem
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Grade:
        return cls(
            score=float(data.get("score", 0.0)),
            correct=bool(data.get("correct", False)),
            expected=data.get("expected"),
            marks=tuple(Mark(m) if m else None for m in data.get("marks") or ()),
            status=Status(data.get("status", Status.GRADED.value)),
            detail=dict(data.get("detail") or {}),
            problem=data.get("problem"),
        )


class UnreadableAnswer(ValueError):
    """A response that does not have the shape its kind needs; the message says why."""


def graded(
    score: float,
    expected: Any,
    marks: Iterable[Mark | None] = (),
    **detail: Any,
) -> Grade:
    """A grade for a readable response: ``score`` clamped to [0, 1], right when it is 1."""
    score = min(1.0, max(0.0, float(score)))
    return Grade(score, score == 1.0, expected, tuple(marks), Status.GRADED, detail)


def grade(question: Question, response: Any) -> Grade:
    """Score ``response`` against ``question`` (shapes and rules: questions/FORMAT.md)."""
    kind = spec(question.kind)
    if response is None or (isinstance(response, str) and not response.strip()):
        return Grade(0.0, False, kind.expected(question), status=Status.UNANSWERED)
    try:
        return kind.grade(question, response)
    except UnreadableAnswer as exc:
        return Grade(
            0.0, False, kind.expected(question), status=Status.UNREADABLE, problem=str(exc)
        )


def forgiven_text(result: Grade) -> str:
    """What a right grade forgave, in words: "spelt Siberia" (empty when nothing)."""
    spelt = result.detail.get("spelt") or []
    return ("spelt " + ", ".join(str(s) for s in spelt)) if spelt else ""


def expected_answer(question: Question) -> str:
    """The right answer in words a student can read, on one line."""
    return spec(question.kind).expected_text(question)


def feedback_text(question: Question, result: Grade) -> str:
    """The grade in one or two sentences, as a student reads it."""
    if result.status is Status.UNANSWERED:
        return NO_ANSWER
    if result.status is Status.UNREADABLE:
        return f"This answer could not be read: {result.problem}"
    if result.correct:
        forgiven = forgiven_text(result)
        return f"Right ({forgiven})." if forgiven else "Correct."
    remark = spec(question.kind).remark(question, result)
    answer = f"The answer: {expected_answer(question)}"
    return f"{remark} {answer}" if remark else f"Not quite. {answer}"


# --- what the kinds share ----------------------------------------------------------------------


def fold(text: Any) -> str:
    """The form two typed answers are compared in.

    NFKD with diacritics removed, case folded, punctuation dropped (dashes and slashes
    become spaces), whitespace collapsed and a leading "the", "a" or "an" dropped; so
    "The U.S.", "the us" and "US" fold alike, and so do "Pékin" and "pekin".
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    chars = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        category = unicodedata.category(ch)
        if category == "Pd" or ch in "/\\":
            chars.append(" ")
        elif category.startswith("P"):
            continue
        else:
            chars.append(ch)
    folded = " ".join("".join(chars).casefold().split())
    return _LEADING_ARTICLE.sub("", folded)


def matches(given: str, variants: Iterable[Any]) -> bool:
    """True when a typed answer folds to the same text as one of ``variants``."""
    folded = fold(given)
    return bool(folded) and any(folded == fold(v) for v in variants if v is not None)


def index(value: Any, size: int, *, what: str) -> int:
    """An index into a list of ``size``: an int or a string of digits (from a form)."""
    if isinstance(value, bool):
        raise UnreadableAnswer(f"{shown(value)} is not an {what} number")
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 9:  # not "²", not 5,000 digits
        value = int(text)
    if not isinstance(value, int) or not 0 <= value < size:
        raise UnreadableAnswer(f"{shown(value)} is not one of the {size} {what}s")
    return value


def index_list(response: Any, size: int, *, what: str, hint: str) -> list[int]:
    """A list of indices; ``hint`` says what to give when ``response`` is not a list."""
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise UnreadableAnswer(hint)
    return [index(r, size, what=what) for r in response]


_LEADING_WORDS = re.compile(
    r"^(?:(?:in|by|about|around|approximately|approx\.?|roughly|circa|c\.|some|over|~)\s*)+",
    re.IGNORECASE,
)


def read_number(value: Any, *, unit: str | None) -> float:
    """A number from a number or a typed text: "1,000", "7.5", "$40", "100 km", "in 2010".

    Raises ``UnreadableAnswer`` saying what is wrong with the text.
    """
    if isinstance(value, bool):
        raise UnreadableAnswer("type a number")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _parse_number_text(value[:200], unit=unit)
    else:
        raise UnreadableAnswer("type a number")
    if not math.isfinite(number):
        raise UnreadableAnswer("type a finite number")
    return number


def _parse_number_text(text: str, *, unit: str | None) -> float:
    s = text.strip().replace("\u2212", "-").replace("\u00a0", " ")  # typographic minus, nbsp
    compact = s.replace(" ", "")  # "1 000" is one thousand
    if any(ch.isdigit() for ch in compact) and _NUMBER.match(compact):
        return float(compact.replace(",", ""))
    # A student may type "in 2010" or "about 100": a leading preposition or hedge says nothing.
    s = _LEADING_WORDS.sub("", s).rstrip(".!?;, ")
    sign = ""
    if s[:1] in "+-":
        sign, s = s[:1], s[1:].lstrip()
    s = s.lstrip(_CURRENCY).strip()
    match = re.match(r"[\d,]*\.?\d+|\d[\d,]*", s)
    if not match:
        raise UnreadableAnswer(f"{shown(text)} is not a number")
    digits, rest = match.group(), s[match.end() :].strip()
    if not _NUMBER.match(digits):
        raise UnreadableAnswer(
            f"{shown(text)}: write thousands as 1,000 and decimals with a point, like 7.5"
        )
    if rest and not _is_unit_suffix(rest, unit):
        raise UnreadableAnswer(
            f"{shown(text)} is not a plain number" + (f" in {unit}" if unit else "")
        )
    return float(sign + digits.replace(",", ""))


def _is_unit_suffix(rest: str, unit: str | None) -> bool:
    """A currency sign, or words all taken from the question's unit ("bn USD" is not)."""
    rest = rest.strip(_CURRENCY + " ")
    if not rest:
        return True
    if not unit:
        return False
    unit_words = set(fold(unit).split()) | {fold(unit).replace(" ", "")}
    if unit_words & {"usd", "dollars", "dollar"}:
        unit_words |= {"usd", "us", "dollars", "dollar"}
    words = fold(rest).split()
    return bool(words) and all(w in unit_words for w in words)
