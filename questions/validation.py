"""Content rules of a bank item: a raw mapping in, every problem found out.

The rules work on the RAW mapping (as read from a bank file, an upload or a web form), not
on a built ``Question``, so the command line, the import pages and the editing forms all
apply the very same checks. Field names in problems are the bank keys (``options``,
``explanation`` ...). Validation never stops at the first problem.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import CLOZE_PATTERN, ID_PATTERN, SECTIONS_BY_SLUG, Kind, Question

ALLOWED_KINDS = ", ".join(k.value for k in Kind)

COMMON_KEYS = frozenset(
    {
        "id",
        "kind",
        "section",
        "paragraphs",
        "prompt",
        "explanation",
        "difficulty",
        "tags",
        "note",
        "related",
        "lint_waive",
    }
)
# The answer fields each kind uses; any other answer field on an item is a mistake.
ANSWER_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.SINGLE_CHOICE: frozenset({"options"}),
    Kind.MULTIPLE_SELECT: frozenset({"options"}),
    Kind.TRUE_FALSE: frozenset({"answer"}),
    Kind.SHORT_ANSWER: frozenset({"answer", "accept"}),
    Kind.NUMERIC: frozenset({"answer", "tolerance", "unit"}),
    Kind.ORDERING: frozenset({"items"}),
    Kind.MATCHING: frozenset({"pairs", "distractors"}),
    Kind.CLOZE: frozenset({"accept"}),
    Kind.BASIC: frozenset({"answer", "accept"}),
}
ALL_ANSWER_FIELDS = frozenset().union(*ANSWER_FIELDS.values())
ITEM_KEYS = COMMON_KEYS | ALL_ANSWER_FIELDS

OPTION_COUNTS = {Kind.SINGLE_CHOICE: (3, 5), Kind.MULTIPLE_SELECT: (3, 6)}
ORDERING_COUNT = (3, 8)
MIN_PAIRS = 3
MAX_EXPLANATION_SENTENCES = 3

# A sentence ends at . ! or ? (maybe closed by a quote or bracket) before a capital or
# the end; a single letter before the dot ("U.S. President") is an initial, not an end.
_SENTENCE_END = re.compile(
    r"(?<![\s.(][A-Za-z])(?<!^[A-Za-z])"  # not after a lone letter: "U.S. President"
    r"[.!?]+[\"'”’)\]]*"  # the stop, maybe closed by a quote or bracket
    r"(?=\s+[\"'“‘(]?[A-Z0-9]|\s*$)"  # then a capital, a digit or the end
)
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Mr.", "Mrs.", "Dr.", "St.", "No.", "approx.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the bank, with its place: file, line, item id and field."""

    file: str | None
    line: int | None
    item: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = ""
        if self.file:
            place = self.file if self.line is None else f"{self.file}:{self.line}"
        elif self.line is not None:
            place = f"line {self.line}"
        parts = [p for p in (place, self.item, self.field) if p]
        return ": ".join([*parts, self.message])


class _Collector:
    """Gathers the problems of one item, all tagged with the item's id."""

    def __init__(self, item: str | None) -> None:
        self.item = item
        self.problems: list[Problem] = []

    def add(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(None, None, self.item, field, message))


def validate_question(q: Question) -> list[Problem]:
    """Every problem of a built question (the same rules as its bank mapping)."""
    return validate_item(q.to_dict(), section=q.section or None)


def validate_item(data: Mapping[str, Any], *, section: str | None = None) -> list[Problem]:
    """Every problem of one raw bank item; ``section`` is the enclosing file's slug, if any.

    An unknown ``section`` passed by the caller is the caller's to report (the loader names
    it once for the whole file); the item's own ``section:`` key is checked here.
    """
    if not isinstance(data, Mapping):
        return [
            Problem(
                None,
                None,
                None,
                None,
                f"an item must be a mapping of keys (id, kind, prompt ...), not {_type_name(data)}",
            )
        ]
    raw_id = data.get("id")
    c = _Collector(raw_id if isinstance(raw_id, str) and raw_id else None)
    _check_unknown_keys(c, data)
    _check_id(c, data)
    kind = _check_kind(c, data)
    slug = _check_section(c, data, section)
    _check_paragraphs(c, data, slug)
    _check_text(c, data, "prompt", required=True)
    _check_explanation(c, data)
    _check_difficulty(c, data)
    _check_tags(c, data)
    if "note" in data:
        _check_text(c, data, "note", required=False)
    if "related" in data:
        _check_related(c, data)
    if "lint_waive" in data:
        _check_lint_waive(c, data)
    if kind is not None:
        for name in sorted((ALL_ANSWER_FIELDS - ANSWER_FIELDS[kind]) & data.keys()):
            c.add(
                name,
                f"{name} is not used by a {kind.value} item; remove it "
                f"(a {kind.value} item uses {_fields_of(kind)})",
            )
        _KIND_CHECKS[kind](c, data)
    return c.problems


# --- common fields -------------------------------------------------------------------------


def _check_unknown_keys(c: _Collector, data: Mapping[str, Any]) -> None:
    for key in data:
        if key in ITEM_KEYS:
            continue
        near = difflib.get_close_matches(str(key), sorted(ITEM_KEYS), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        c.add(str(key), f"unknown key '{key}'{hint}")


def _check_id(c: _Collector, data: Mapping[str, Any]) -> None:
    value = data.get("id")
    if value is None or value == "":
        c.add("id", "id is required")
    elif not isinstance(value, str) or not ID_PATTERN.match(value):
        c.add(
            "id",
            f"id '{value}' must be lowercase words or numbers joined by hyphens, "
            "like history-1896-railway",
        )


def _check_kind(c: _Collector, data: Mapping[str, Any]) -> Kind | None:
    value = data.get("kind")
    if value is None or value == "":
        c.add("kind", f"kind is required; allowed kinds: {ALLOWED_KINDS}")
        return None
    try:
        return Kind(value)
    except ValueError:
        c.add("kind", f"unknown kind '{value}'; allowed kinds: {ALLOWED_KINDS}")
        return None


def _check_section(c: _Collector, data: Mapping[str, Any], section: str | None) -> str | None:
    """Return the item's effective section slug when it is a known one."""
    if "section" not in data:
        if section is None:
            c.add("section", "section is required")
        return section if section in SECTIONS_BY_SLUG else None
    value = data["section"]
    if not isinstance(value, str) or value not in SECTIONS_BY_SLUG:
        c.add(
            "section", f"unknown section '{value}'; known sections: {', '.join(SECTIONS_BY_SLUG)}"
        )
        return None
    if section is not None and value != section:
        c.add("section", f"section '{value}' differs from the file's section '{section}'")
    return value


def _check_paragraphs(c: _Collector, data: Mapping[str, Any], slug: str | None) -> None:
    value = data.get("paragraphs")
    if value is None or value == []:
        c.add("paragraphs", "paragraphs is required: a non-empty list of paragraph numbers")
        return
    if not isinstance(value, list):
        c.add(
            "paragraphs",
            f"paragraphs must be a list of numbers like [1, 2], not {_type_name(value)}",
        )
        return
    count = SECTIONS_BY_SLUG[slug].paragraphs if slug else None
    seen: set[int] = set()
    for p in value:
        if not _is_int(p):
            c.add("paragraphs", f"paragraph '{p}' is not a whole number")
        elif p in seen:
            c.add("paragraphs", f"paragraph {p} is listed twice")
        elif p < 1 or (count is not None and p > count):
            where = (
                f"section '{slug}' has {count} paragraph{'s' if count != 1 else ''}"
                if count is not None
                else "paragraphs count from 1"
            )
            c.add("paragraphs", f"paragraph {p} does not exist: {where}")
        else:
            seen.add(p)


def _check_text(c: _Collector, data: Mapping[str, Any], name: str, *, required: bool) -> bool:
    """A non-empty string field; return True when it is one."""
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            c.add(name, f"{name} is required and must not be empty")
        elif name in data:
            c.add(name, f"{name} is empty; remove it or write the text")
        return False
    if not isinstance(value, str):
        c.add(name, f"{name} must be text, not {_type_name(value)} (quote it in YAML)")
        return False
    return True


def _check_explanation(c: _Collector, data: Mapping[str, Any]) -> None:
    if not _check_text(c, data, "explanation", required=True):
        return
    n = count_sentences(data["explanation"])
    if n > MAX_EXPLANATION_SENTENCES:
        c.add("explanation", f"explanation has {n} sentences; keep it to 1-3 sentences")


def count_sentences(text: str) -> int:
    """How many sentences a short text holds (initials and common abbreviations ignored)."""
    body = text.strip()
    for abbr in _ABBREVIATIONS:
        body = body.replace(abbr, abbr.replace(".", ""))
    ends = len(_SENTENCE_END.findall(body))
    # Text without a closing full stop is still one sentence.
    return max(1, ends + (0 if re.search(r"[.!?][\"'”’)\]]*\s*$", body) else 1))


def _check_difficulty(c: _Collector, data: Mapping[str, Any]) -> None:
    value = data.get("difficulty")
    if value is None:
        c.add(
            "difficulty",
            "difficulty is required: 1 (recall), 2 (connect two facts) or 3 (argument/judgement)",
        )
    elif not _is_int(value) or not 1 <= value <= 3:
        c.add("difficulty", f"difficulty must be 1, 2 or 3, not {value!r}")


def _check_tags(c: _Collector, data: Mapping[str, Any]) -> None:
    if "tags" not in data:
        c.add("tags", "tags is required: a list of words, which may be empty ([])")
        return
    value = data["tags"]
    if not isinstance(value, list):
        c.add("tags", f"tags must be a list like [treaties, railway], not {_type_name(value)}")
        return
    for t in value:
        if not isinstance(t, str) or not t.strip():
            c.add("tags", f"tag {t!r} must be a non-empty word")


def _check_related(c: _Collector, data: Mapping[str, Any]) -> None:
    """Shape only: a list of other ids. That they exist is a bank-wide check (the loader)."""
    seen: set[str] = set()
    for entry in _check_string_list(c, data["related"], "related", what="related id"):
        if not ID_PATTERN.match(entry):
            c.add("related", f"related id '{entry}' is not an id (lowercase words and hyphens)")
        elif entry == data.get("id"):
            c.add("related", f"related names the item itself ('{entry}')")
        elif entry in seen:
            c.add("related", f"related id '{entry}' is listed twice")
        seen.add(entry)


def _check_lint_waive(c: _Collector, data: Mapping[str, Any]) -> None:
    """Shape only: rule name -> reason. Whether the rule exists and fires is lint's to say."""
    value = data["lint_waive"]
    if not isinstance(value, Mapping) or not value:
        c.add("lint_waive", 'lint_waive maps a lint rule to a reason, like {key-length: "why"}')
        return
    for rule, reason in value.items():
        if not isinstance(rule, str) or not ID_PATTERN.match(rule):
            c.add("lint_waive", f"lint_waive names {rule!r}, which is not a rule name")
        if not isinstance(reason, str) or not reason.strip():
            c.add("lint_waive", f"lint_waive for '{rule}' needs a reason (text)")


# --- answer fields, per kind -----------------------------------------------------------------


def _check_choice(c: _Collector, data: Mapping[str, Any], kind: Kind) -> None:
    low, high = OPTION_COUNTS[kind]
    options = data.get("options")
    if not isinstance(options, list) or not options:
        c.add(
            "options",
            f"options is required: a list of {low}-{high} mappings "
            "with text (and correct: true on the key)",
        )
        return
    keys = 0
    texts: list[str] = []
    for n, opt in enumerate(options, 1):
        if not isinstance(opt, Mapping):
            c.add(
                "options",
                f"option {n} must be a mapping like {{text: ..., correct: true}}, "
                f"not {_type_name(opt)}",
            )
            continue
        for key in opt:
            if key not in ("text", "correct"):
                c.add(
                    "options",
                    f"option {n} has an unknown key '{key}' (an option has text and correct)",
                )
        text = opt.get("text")
        if not _is_scalar_text(text):
            c.add("options", f"option {n} needs a non-empty text")
        else:
            texts.append(str(text))
        correct = opt.get("correct", False)
        if not isinstance(correct, bool):
            c.add("options", f"option {n}: correct must be true or false, not {correct!r}")
        elif correct:
            keys += 1
    if not low <= len(options) <= high:
        c.add("options", f"a {kind.value} item needs {low}-{high} options, not {len(options)}")
    _check_unique(c, "options", texts, what="option texts")
    if kind is Kind.SINGLE_CHOICE and keys != 1:
        marked = "no option is" if keys == 0 else f"{_count_word(keys)} options are"
        c.add("options", f"{marked} marked correct; a single_choice item needs exactly one")
    if kind is Kind.MULTIPLE_SELECT:
        if keys == 0:
            c.add(
                "options", "no option is marked correct; a multiple_select item needs at least one"
            )
        elif keys == len(options):
            c.add(
                "options",
                "every option is marked correct; a multiple_select item needs "
                "at least one wrong option",
            )


def _check_true_false(c: _Collector, data: Mapping[str, Any]) -> None:
    value = data.get("answer")
    if not isinstance(value, bool):
        shown = "missing" if value is None else repr(value)
        c.add("answer", f"a true_false item needs answer: true or answer: false ({shown})")


def _check_typed_answer(c: _Collector, data: Mapping[str, Any], kind: Kind) -> None:
    if _check_text(c, data, "answer", required=True):
        _check_typeable(c, "answer", data["answer"])
    if "accept" in data:
        for variant in _check_string_list(c, data["accept"], "accept", what="accepted variant"):
            _check_typeable(c, "accept", variant)


def _check_typeable(c: _Collector, field: str, text: str) -> None:
    # Grading drops punctuation, so an answer of only punctuation could never be matched.
    if not any(ch.isalnum() for ch in text):
        c.add(field, f"'{text}' has no letter or digit, so no typed answer can match it")


def _check_numeric(c: _Collector, data: Mapping[str, Any]) -> None:
    value = data.get("answer")
    if value is None:
        c.add("answer", "a numeric item needs answer: a number")
    elif not _is_number(value):
        c.add("answer", f"answer must be a number, not {value!r}")
    if "tolerance" in data:
        tol = data["tolerance"]
        if not _is_number(tol) or tol < 0:
            c.add("tolerance", f"tolerance must be a number >= 0, not {tol!r}")
    if "unit" in data:
        _check_text(c, data, "unit", required=False)


def _check_ordering(c: _Collector, data: Mapping[str, Any]) -> None:
    low, high = ORDERING_COUNT
    items = data.get("items")
    if not isinstance(items, list) or not items:
        c.add("items", f"items is required: {low}-{high} texts in the correct order")
        return
    texts = _check_string_list(c, items, "items", what="item")
    if not low <= len(items) <= high:
        c.add("items", f"an ordering item needs {low}-{high} items, not {len(items)}")
    _check_unique(c, "items", texts, what="items")


def _check_matching(c: _Collector, data: Mapping[str, Any]) -> None:
    pairs = data.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        c.add("pairs", f"pairs is required: at least {MIN_PAIRS} mappings with left and right")
        return
    lefts: list[str] = []
    rights: list[str] = []
    for n, pair in enumerate(pairs, 1):
        if not isinstance(pair, Mapping):
            c.add(
                "pairs",
                f"pair {n} must be a mapping like {{left: ..., right: ...}}, "
                f"not {_type_name(pair)}",
            )
            continue
        for key in pair:
            if key not in ("left", "right"):
                c.add("pairs", f"pair {n} has an unknown key '{key}' (a pair has left and right)")
        for side, bucket in (("left", lefts), ("right", rights)):
            value = pair.get(side)
            if not _is_scalar_text(value):
                c.add("pairs", f"pair {n} needs a non-empty {side}")
            else:
                bucket.append(str(value))
    if len(pairs) < MIN_PAIRS:
        c.add("pairs", f"a matching item needs at least {MIN_PAIRS} pairs, not {len(pairs)}")
    _check_unique(c, "pairs", lefts, what="lefts")
    if "distractors" in data:
        extra = _check_string_list(c, data["distractors"], "distractors", what="distractor")
        field = "distractors" if len(set(map(_norm, extra)) & set(map(_norm, rights))) else "pairs"
        _check_unique(c, field, rights + extra, what="rights (distractors included)")
    else:
        _check_unique(c, "pairs", rights, what="rights")


def _check_cloze(c: _Collector, data: Mapping[str, Any]) -> None:
    prompt = data.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return  # already reported as a missing prompt
    deletions = [(int(m.group(1)), m.group(2)) for m in CLOZE_PATTERN.finditer(prompt)]
    if not deletions:
        c.add("prompt", "a cloze prompt needs at least one deletion like {{c1::answer}}")
    for number, answer in deletions:
        if not answer.strip():
            c.add("prompt", f"deletion c{number} has an empty answer")
        else:
            _check_typeable(c, "prompt", answer)
    if "{{" in CLOZE_PATTERN.sub("", prompt):
        c.add(
            "prompt", "a '{{' that is not a deletion: write {{c1::answer}} or {{c1::answer::hint}}"
        )
    if "accept" not in data:
        return
    accept = data["accept"]
    if not isinstance(accept, Mapping):
        c.add("accept", "a cloze's accept maps a deletion number to variants, like {1: [USA, US]}")
        return
    numbers = {n for n, _ in deletions}
    for key, variants in accept.items():
        if not _is_int(key) or key not in numbers:
            known = ", ".join(str(n) for n in sorted(numbers)) or "none"
            c.add(
                "accept",
                f"accept names deletion {key!r}, which the prompt does not have "
                f"(deletions: {known})",
            )
        for variant in _check_string_list(c, variants, "accept", what=f"variant of deletion {key}"):
            _check_typeable(c, "accept", variant)


_KIND_CHECKS = {
    Kind.SINGLE_CHOICE: lambda c, d: _check_choice(c, d, Kind.SINGLE_CHOICE),
    Kind.MULTIPLE_SELECT: lambda c, d: _check_choice(c, d, Kind.MULTIPLE_SELECT),
    Kind.TRUE_FALSE: _check_true_false,
    Kind.SHORT_ANSWER: lambda c, d: _check_typed_answer(c, d, Kind.SHORT_ANSWER),
    Kind.NUMERIC: _check_numeric,
    Kind.ORDERING: _check_ordering,
    Kind.MATCHING: _check_matching,
    Kind.CLOZE: _check_cloze,
    Kind.BASIC: lambda c, d: _check_typed_answer(c, d, Kind.BASIC),
}


# --- small helpers -----------------------------------------------------------------------------


def _check_string_list(c: _Collector, value: Any, field: str, *, what: str) -> list[str]:
    """Report non-text entries; return the texts that are fine."""
    if not isinstance(value, list):
        c.add(field, f"{field} must be a list, not {_type_name(value)}")
        return []
    texts = []
    for n, entry in enumerate(value, 1):
        if not _is_scalar_text(entry):
            c.add(field, f"{what} {n} must be non-empty text, not {entry!r}")
        else:
            texts.append(str(entry))
    return texts


def _check_unique(c: _Collector, field: str, texts: list[str], *, what: str) -> None:
    seen: dict[str, str] = {}
    for text in texts:
        key = _norm(text)
        if key in seen:
            c.add(field, f"duplicate {what}: '{seen[key]}' and '{text}'")
        else:
            seen[key] = text


def _norm(text: str) -> str:
    """Case- and space-insensitive form used to spot duplicate texts."""
    return " ".join(str(text).split()).casefold()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_scalar_text(value: Any) -> bool:
    # Numbers and dates written bare in YAML ("1991") are fine as texts.
    return (
        value is not None
        and not isinstance(value, (bool, Mapping, list))
        and bool(str(value).strip())
    )


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _fields_of(kind: Kind) -> str:
    return ", ".join(sorted(ANSWER_FIELDS[kind]))


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(n, str(n))
