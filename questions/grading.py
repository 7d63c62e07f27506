"""Grading: a question and a student's response in, a score with feedback out.

The response shapes and partial-credit rules are those of questions/FORMAT.md. A missing
or malformed response scores 0 with feedback saying so; grading never raises on a response.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import CLOZE_PATTERN, Kind, Question

NO_ANSWER = "No answer was given."
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")
_CURRENCY = "$€£¥₽"  # a sign typed before or after a number is tolerated
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


@dataclass(frozen=True)
class Grade:
    """The outcome of one response: score in [0, 1], whether fully right, and why."""

    score: float
    correct: bool
    feedback: str
    expected: str


class _Malformed(ValueError):
    """A response that does not have the shape its kind needs."""


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


def expected_answer(question: Question) -> str:
    """The right answer in words a student can read."""
    k = question.kind
    if k is Kind.SINGLE_CHOICE or k is Kind.MULTIPLE_SELECT:
        return "; ".join(question.options[i].text for i in question.keys)
    if k is Kind.TRUE_FALSE:
        return "True" if question.answer is True else "False"
    if k is Kind.NUMERIC:
        # A year reads "2016", never "2,016".
        is_year = question.unit is not None and fold(question.unit) in ("year", "years")
        text = str(question.answer) if is_year else _format_number(question.answer)
        if question.unit and not is_year:
            text += f" {question.unit}"
        if question.tolerance:
            text += f" (± {_format_number(question.tolerance)})"
        return text
    if k is Kind.ORDERING:
        return " → ".join(question.items)
    if k is Kind.MATCHING:
        return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    if k is Kind.CLOZE:
        return CLOZE_PATTERN.sub(lambda m: m.group(2), question.prompt)
    return str(question.answer if question.answer is not None else "")


def grade(question: Question, response: Any) -> Grade:
    """Score ``response`` against ``question`` (shapes and rules: questions/FORMAT.md)."""
    expected = expected_answer(question)
    if response is None or (isinstance(response, str) and not response.strip()):
        return Grade(0.0, False, NO_ANSWER, expected)
    try:
        score, feedback = _GRADERS[question.kind](question, response)
    except _Malformed as exc:
        return Grade(0.0, False, f"This answer could not be read: {exc}", expected)
    score = min(1.0, max(0.0, float(score)))
    if score == 1.0:
        return Grade(1.0, True, feedback or "Correct.", expected)
    return Grade(score, False, feedback or f"Not quite. The answer: {expected}", expected)


# --- one grader per kind: (question, response) -> (score, feedback) ------------------------


def _grade_single_choice(q: Question, response: Any) -> tuple[float, str]:
    index = _index(response, len(q.options), what="option")
    if index in q.keys:
        return 1.0, "Correct."
    return 0.0, f"Not quite. The answer: {expected_answer(q)}"


def _grade_multiple_select(q: Question, response: Any) -> tuple[float, str]:
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise _Malformed("pick options as a list of option numbers")
    picks = {_index(r, len(q.options), what="option") for r in response}
    keys = set(q.keys)
    if not keys:
        raise _Malformed("this question has no key")
    right, wrong = len(picks & keys), len(picks - keys)
    score = max(0.0, (right - wrong) / len(keys))
    if score == 1.0:
        return 1.0, "Correct: you picked every right option and no wrong one."
    missed = len(keys - picks)
    return score, (
        f"You picked {right} of {len(keys)} right option(s)"
        + (f" and {wrong} wrong one(s)" if wrong else "")
        + (f"; {missed} right option(s) missed." if missed else ".")
    )


def _grade_true_false(q: Question, response: Any) -> tuple[float, str]:
    if isinstance(response, bool):
        value = response
    elif isinstance(response, str) and response.strip().casefold() in ("true", "false"):
        value = response.strip().casefold() == "true"
    else:
        raise _Malformed("answer true or false")
    if value is q.answer:
        return 1.0, "Correct."
    return 0.0, f"Not quite: the statement is {'true' if q.answer else 'false'}."


def _grade_typed(q: Question, response: Any) -> tuple[float, str]:
    if not isinstance(response, str):
        raise _Malformed("type the answer as text")
    if _matches(response, [q.answer, *q.accept]):
        return 1.0, "Correct."
    return 0.0, f"Not quite. The answer: {q.answer}"


def _grade_numeric(q: Question, response: Any) -> tuple[float, str]:
    value = _read_number(response, unit=q.unit)
    if abs(value - float(q.answer)) <= float(q.tolerance) + 1e-9 * max(1.0, abs(q.answer)):
        return 1.0, "Correct."
    side = "high" if value > q.answer else "low"
    return 0.0, f"Too {side}. The answer: {expected_answer(q)}"


def _grade_ordering(q: Question, response: Any) -> tuple[float, str]:
    n = len(q.items)
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise _Malformed("give the items as a list of item numbers in your order")
    order = [_index(r, n, what="item") for r in response]
    if sorted(order) != list(range(n)):
        raise _Malformed(f"put each of the {n} items exactly once")
    pairs = n * (n - 1) // 2
    in_order = sum(1 for a in range(n) for b in range(a + 1, n) if order[a] < order[b])
    score = in_order / pairs if pairs else 1.0
    if in_order == pairs:
        return 1.0, "Correct: every item is in its place."
    return score, f"{in_order} of {pairs} pairs of items are in the right order."


def _grade_matching(q: Question, response: Any) -> tuple[float, str]:
    if not isinstance(response, Mapping):
        raise _Malformed("match each left to a right")
    n_left, n_right = len(q.pairs), len(q.right_texts)
    chosen = {}
    for left, right in response.items():
        chosen[_index(left, n_left, what="left")] = (
            None if right is None or right == "" else _index(right, n_right, what="right")
        )
    # The right text of pair i sits at index i of right_texts (pairs first, then distractors).
    right = sum(1 for i in range(n_left) if chosen.get(i) == i)
    if right == n_left:
        return 1.0, "Correct: every match is right."
    return right / n_left, f"{right} of {n_left} matches are right."


def _grade_cloze(q: Question, response: Any) -> tuple[float, str]:
    deletions = q.cloze_deletions
    if isinstance(response, str) and len(deletions) == 1:
        response = [response]
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise _Malformed("fill each gap with text")
    answers = list(response)
    if len(answers) != len(deletions) or not all(a is None or isinstance(a, str) for a in answers):
        raise _Malformed(f"fill each of the {len(deletions)} gap(s) with text")
    accept = dict(q.accept or {})
    right = sum(
        1
        for (number, answer, _), given in zip(deletions, answers, strict=True)
        if given is not None and _matches(given, [answer, *accept.get(number, ())])
    )
    if right == len(deletions):
        return 1.0, "Correct: every gap is right."
    return right / len(deletions), (
        f"{right} of {len(deletions)} gaps are right. The full text: {expected_answer(q)}"
    )


_GRADERS: dict[Kind, Callable[[Question, Any], tuple[float, str]]] = {
    Kind.SINGLE_CHOICE: _grade_single_choice,
    Kind.MULTIPLE_SELECT: _grade_multiple_select,
    Kind.TRUE_FALSE: _grade_true_false,
    Kind.SHORT_ANSWER: _grade_typed,
    Kind.NUMERIC: _grade_numeric,
    Kind.ORDERING: _grade_ordering,
    Kind.MATCHING: _grade_matching,
    Kind.CLOZE: _grade_cloze,
    Kind.BASIC: _grade_typed,
}


# --- reading responses -------------------------------------------------------------------------


def _matches(given: str, variants: Iterable[Any]) -> bool:
    folded = fold(given)
    return bool(folded) and any(folded == fold(v) for v in variants if v is not None)


def _index(value: Any, size: int, *, what: str) -> int:
    """An index into a list of ``size``: an int or a string of digits (from a form)."""
    if isinstance(value, bool):
        raise _Malformed(f"{value!r} is not an {what} number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value < size:
        raise _Malformed(f"{value!r} is not one of the {size} {what}s")
    return value


_LEADING_WORDS = re.compile(
    r"^(?:(?:in|by|about|around|approximately|approx\.?|roughly|circa|c\.|some|over|~)\s*)+",
    re.IGNORECASE,
)


def _read_number(value: Any, *, unit: str | None) -> float:
    """A number from a number or a typed text: "1,000", "7.5", "$40", "100 km"."""
    if isinstance(value, bool):
        raise _Malformed("type a number")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _parse_number_text(value, unit=unit)
    else:
        raise _Malformed("type a number")
    if not math.isfinite(number):
        raise _Malformed("type a finite number")
    return number


def _parse_number_text(text: str, *, unit: str | None) -> float:
    s = text.strip().replace("\u2212", "-")  # a typographic minus
    # A student may type "in 2010" or "about 100": a leading preposition or hedge says nothing.
    s = _LEADING_WORDS.sub("", s).rstrip(".!?;, ")
    sign = ""
    if s[:1] in "+-":
        sign, s = s[:1], s[1:].lstrip()
    s = s.lstrip(_CURRENCY).strip()
    match = re.match(r"[\d,]*\.?\d+|\d[\d,]*", s)
    if not match:
        raise _Malformed(f"'{text}' is not a number")
    digits, rest = match.group(), s[match.end() :].strip()
    if not _NUMBER.match(digits):
        raise _Malformed(f"'{text}': write thousands as 1,000 and decimals with a point, like 7.5")
    if rest and not _is_unit_suffix(rest, unit):
        raise _Malformed(f"'{text}' is not a plain number" + (f" in {unit}" if unit else ""))
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


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
