"""Content rules of a bank item: a raw mapping in, every problem found out.

The rules work on the RAW mapping (as read from a bank file, an upload or a web form), not
on a built ``Question``, so the command line, the import pages and the editing forms all
apply the very same checks. Field names in problems are the bank keys (``options``,
``explanation`` ...). Validation never stops at the first problem.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .kinds import Kind, all_specs, spec
from .model import ID_PATTERN, SECTIONS_BY_SLUG, Question
from .quoting import shown

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


@functools.cache
def all_answer_fields() -> frozenset[str]:
    """Every answer field of any kind (each kind's module names its own)."""
    return frozenset().union(*(s.answer_fields for s in all_specs()))


def item_keys() -> frozenset[str]:
    """Every key a bank item may have."""
    return COMMON_KEYS | all_answer_fields()


MAX_EXPLANATION_SENTENCES = 3

# Most questions one file may hold (an upload or a bank file): checking each costs time,
# and a bank section has a few dozen, so a larger file is a mistake (or an attack).
MAX_ITEMS = 5000
# Most answers, options, pairs, items or gaps one question may hold (the bank's largest
# kind takes eight); more is refused before any rule checks them one by one. The question
# form refuses more rows than this too.
MAX_PARTS = 100
# Problems a report lists; the rest are counted ("... and 249,801 more"), so a file with
# a problem on every line makes a short page, not a 30 MB one.
MAX_PROBLEMS = 200
# Longest text of each field, the question form's limits, in every import format too
# (every text inside the field counts: an option's text and its feedback, a pair's left
# and right). ``id`` is the database column's length.
TEXT_LIMITS: dict[str, int] = {
    "id": 120,
    "prompt": 4000,
    "explanation": 4000,
    "note": 4000,
    "tags": 60,
    "related": 120,
    "lint_waive": 500,
    "options": 500,
    "items": 500,
    "pairs": 300,
    "distractors": 300,
    "answer": 500,
    "accept": 500,
    "reject": 500,
    "unit": 60,
}
# Fields the form edits as one text area, one entry a line: the whole list has its limit.
LIST_LIMITS: dict[str, int] = {"accept": 4000, "reject": 4000, "distractors": 4000}

# A sentence ends at . ! or ? (maybe closed by a quote or bracket) before a capital or
# the end; a single letter before the dot ("U.S. President") is an initial, not an end.
# A stop matches only at the start of a run of stops, and the runs are possessive: a run
# of dots is read once, not once per dot (that was quadratic: 20 KB of dots took 6 s).
_SENTENCE_END = re.compile(
    r"(?<![\s.(][A-Za-z])(?<!^[A-Za-z])"  # not after a lone letter: "U.S. President"
    r"(?<![.!?])[.!?]++[\"'”’)\]]*+"  # the whole stop, maybe closed by a quote or bracket
    r"(?=\s++[\"'“‘(]?[A-Z0-9]|\s*+$)"  # then a capital, a digit or the end
)
_LAST_STOP = re.compile(r"[.!?][\"'”’)\]]*+\s*+$")
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


class Collector:
    """Gathers the problems of one item, all tagged with the item's id.

    ``house_rules`` off (imports from other tools) turns the bank's house style, which
    :meth:`style` reports, into warnings; what makes a question gradeable stays a problem.
    """

    def __init__(self, item: str | None, *, house_rules: bool = True) -> None:
        self.item = item
        self.house_rules = house_rules
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(None, None, self.item, field, message))

    def style(self, field: str | None, message: str) -> None:
        """A house-style rule: a problem in the bank's own files, a warning in an import."""
        found = Problem(None, None, self.item, field, message)
        (self.problems if self.house_rules else self.warnings).append(found)


def validate_question(q: Question) -> list[Problem]:
    """Every problem of a built question (the same rules as its bank mapping)."""
    return validate_item(q.to_dict(), section=q.section or None)


def validate_item(data: Mapping[str, Any], *, section: str | None = None) -> list[Problem]:
    """Every problem of one raw bank item; ``section`` is the enclosing file's slug, if any.

    An unknown ``section`` passed by the caller is the caller's to report (the loader names
    it once for the whole file); the item's own ``section:`` key is checked here.
    """
    return check_item(data, section=section).problems


def validate_import(data: Mapping[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """Problems (not gradeable, refuse the file) and warnings (house style) of an import."""
    c = check_item(data, house_rules=False)
    return c.problems, c.warnings


def check_item(
    data: Mapping[str, Any], *, section: str | None = None, house_rules: bool = True
) -> Collector:
    """Check one raw item; the collector holds its problems and (imports) its warnings."""
    if not isinstance(data, Mapping):
        c = Collector(None)
        c.problems.append(
            Problem(
                None,
                None,
                None,
                None,
                f"an item must be a mapping of keys (id, kind, prompt ...), not {type_name(data)}",
            )
        )
        return c
    raw_id = data.get("id")
    c = Collector(raw_id if isinstance(raw_id, str) and raw_id else None, house_rules=house_rules)
    _check_unknown_keys(c, data)
    if not _check_lengths(c, data):
        return c  # a text past its limit is not checked further (nor quoted)
    _check_id(c, data)
    kind = _check_kind(c, data)
    slug = _check_section(c, data, section)
    _check_paragraphs(c, data, slug)
    check_text(c, data, "prompt", required=True)
    _check_explanation(c, data)
    _check_difficulty(c, data)
    _check_tags(c, data)
    if "note" in data:
        check_text(c, data, "note", required=False)
    if "related" in data:
        _check_related(c, data)
    if "lint_waive" in data:
        _check_lint_waive(c, data)
    if kind is not None:
        for name in sorted((all_answer_fields() - spec(kind).answer_fields) & data.keys()):
            c.add(
                name,
                f"{name} is not used by a {kind.value} item; remove it "
                f"(a {kind.value} item uses {_fields_of(kind)})",
            )
        spec(kind).validate(c, data)
    return c


# --- common fields -------------------------------------------------------------------------


def _check_unknown_keys(c: Collector, data: Mapping[str, Any]) -> None:
    for key in data:
        if key in item_keys():
            continue
        near = difflib.get_close_matches(str(key), sorted(item_keys()), n=1)
        hint = f" (did you mean {shown(near[0])}?)" if near else ""
        c.add(str(key), f"unknown key {shown(key)}{hint}")


def _texts(value: Any) -> list[str]:
    """Every text inside a field's value, however nested (the value is bounded: a file)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _check_lengths(c: Collector, data: Mapping[str, Any]) -> bool:
    """Report each field whose text is longer than the form allows; True when none is."""
    fine = True
    for name, limit in TEXT_LIMITS.items():
        if name not in data:
            continue
        texts = _texts(data[name])
        if isinstance(data[name], list) and len(data[name]) > MAX_PARTS:
            c.add(name, f"{name} has {len(data[name]):,} entries; at most {MAX_PARTS}")
            fine = False
            continue
        longest = max((len(t) for t in texts), default=0)
        if longest > limit:
            what = "is" if isinstance(data[name], str) else "has a text of"
            c.add(name, f"{name} {what} {longest:,} characters; at most {limit:,}")
            fine = False
        total = sum(len(t) + 1 for t in texts)
        if name in LIST_LIMITS and total > LIST_LIMITS[name]:
            c.add(name, f"{name} holds {total:,} characters in all; at most {LIST_LIMITS[name]:,}")
            fine = False
    return fine


def limit_problems(problems: list[Problem]) -> list[Problem]:
    """The first ``MAX_PROBLEMS`` problems, then one that counts the rest (if any)."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = problems[:MAX_PROBLEMS]
    rest = len(problems) - MAX_PROBLEMS
    last = first[-1]
    return [
        *first,
        Problem(
            last.file,
            None,
            None,
            None,
            f"... and {rest:,} more problems ({len(problems):,} in all); "
            f"fix these first, then check the file again",
        ),
    ]


def _check_id(c: Collector, data: Mapping[str, Any]) -> None:
    value = data.get("id")
    if value is None or value == "":
        c.add("id", "id is required")
    elif not isinstance(value, str) or not ID_PATTERN.match(value):
        c.add(
            "id",
            f"id {shown(value)} must be lowercase words or numbers joined by hyphens, "
            "like history-1896-railway",
        )


def _check_kind(c: Collector, data: Mapping[str, Any]) -> Kind | None:
    value = data.get("kind")
    if value is None or value == "":
        c.add("kind", f"kind is required; allowed kinds: {ALLOWED_KINDS}")
        return None
    try:
        return Kind(value)
    except ValueError:
        c.add("kind", f"unknown kind {shown(value)}; allowed kinds: {ALLOWED_KINDS}")
        return None


def _check_section(c: Collector, data: Mapping[str, Any], section: str | None) -> str | None:
    """Return the item's effective section slug when it is a known one."""
    if "section" not in data:
        if section is None:
            c.add("section", "section is required")
        return section if section in SECTIONS_BY_SLUG else None
    value = data["section"]
    if not isinstance(value, str) or value not in SECTIONS_BY_SLUG:
        c.add(
            "section",
            f"unknown section {shown(value)}; known sections: {', '.join(SECTIONS_BY_SLUG)}",
        )
        return None
    if section is not None and value != section:
        c.add("section", f"section {shown(value)} differs from the file's section {shown(section)}")
    return value


def _check_paragraphs(c: Collector, data: Mapping[str, Any], slug: str | None) -> None:
    value = data.get("paragraphs")
    if value is None or value == []:
        c.add("paragraphs", "paragraphs is required: a non-empty list of paragraph numbers")
        return
    if not isinstance(value, list):
        c.add(
            "paragraphs",
            f"paragraphs must be a list of numbers like [1, 2], not {type_name(value)}",
        )
        return
    count = SECTIONS_BY_SLUG[slug].paragraphs if slug else None
    seen: set[int] = set()
    for p in value:
        if not is_int(p):
            c.add("paragraphs", f"paragraph {shown(p)} is not a whole number")
        elif p in seen:
            c.add("paragraphs", f"paragraph {p} is listed twice")
        elif p < 1 or (count is not None and p > count):
            where = (
                f"section {shown(slug)} has {count} paragraph{'s' if count != 1 else ''}"
                if count is not None
                else "paragraphs count from 1"
            )
            c.add("paragraphs", f"paragraph {p} does not exist: {where}")
        else:
            seen.add(p)


def check_text(c: Collector, data: Mapping[str, Any], name: str, *, required: bool) -> bool:
    """A non-empty string field; return True when it is one."""
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            c.add(name, f"{name} is required and must not be empty")
        elif name in data:
            c.add(name, f"{name} is empty; remove it or write the text")
        return False
    if not isinstance(value, str):
        c.add(name, f"{name} must be text, not {type_name(value)} (quote it in YAML)")
        return False
    return True


def _check_explanation(c: Collector, data: Mapping[str, Any]) -> None:
    value = data.get("explanation")
    if value is None or (isinstance(value, str) and not value.strip()):
        c.style("explanation", "explanation is required and must not be empty")
        return
    if not check_text(c, data, "explanation", required=True):
        return
    n = count_sentences(data["explanation"])
    if n > MAX_EXPLANATION_SENTENCES:
        c.style("explanation", f"explanation has {n} sentences; keep it to 1-3 sentences")


def count_sentences(text: str) -> int:
    """How many sentences a short text holds (initials and common abbreviations ignored)."""
    body = text.strip()
    for abbr in _ABBREVIATIONS:
        body = body.replace(abbr, abbr.replace(".", ""))
    ends = len(_SENTENCE_END.findall(body))
    # Text without a closing full stop is still one sentence.
    return max(1, ends + (0 if _LAST_STOP.search(body) else 1))


def _check_difficulty(c: Collector, data: Mapping[str, Any]) -> None:
    value = data.get("difficulty")
    if value is None:
        c.add(
            "difficulty",
            "difficulty is required: 1 (recall), 2 (connect two facts) or 3 (argument/judgement)",
        )
    elif not is_int(value) or not 1 <= value <= 3:
        c.add("difficulty", f"difficulty must be 1, 2 or 3, not {shown(value)}")


def _check_tags(c: Collector, data: Mapping[str, Any]) -> None:
    if "tags" not in data:
        c.add("tags", "tags is required: a list of words, which may be empty ([])")
        return
    value = data["tags"]
    if not isinstance(value, list):
        c.add("tags", f"tags must be a list like [treaties, railway], not {type_name(value)}")
        return
    for t in value:
        if not isinstance(t, str) or not t.strip():
            c.add("tags", f"tag {shown(t)} must be a non-empty word")


def _check_related(c: Collector, data: Mapping[str, Any]) -> None:
    """Shape only: a list of other ids. That they exist is a bank-wide check (the loader)."""
    seen: set[str] = set()
    for entry in check_string_list(c, data["related"], "related", what="related id"):
        if not ID_PATTERN.match(entry):
            c.add(
                "related", f"related id {shown(entry)} is not an id (lowercase words and hyphens)"
            )
        elif entry == data.get("id"):
            c.add("related", f"related names the item itself ({shown(entry)})")
        elif entry in seen:
            c.add("related", f"related id {shown(entry)} is listed twice")
        seen.add(entry)


def _check_lint_waive(c: Collector, data: Mapping[str, Any]) -> None:
    """Shape only: rule name -> reason. Whether the rule exists and fires is lint's to say."""
    value = data["lint_waive"]
    if not isinstance(value, Mapping) or not value:
        c.add("lint_waive", 'lint_waive maps a lint rule to a reason, like {key-length: "why"}')
        return
    for rule, reason in value.items():
        if not isinstance(rule, str) or not ID_PATTERN.match(rule):
            c.add("lint_waive", f"lint_waive names {shown(rule)}, which is not a rule name")
        if not isinstance(reason, str) or not reason.strip():
            c.add("lint_waive", f"lint_waive for {shown(rule)} needs a reason (text)")


# --- helpers the kinds' rules share ----------------------------------------------------------


def check_typeable(c: Collector, field: str, text: str) -> None:
    """Report a typed answer no response could match."""
    # Grading drops punctuation, so an answer of only punctuation could never be matched.
    if not any(ch.isalnum() for ch in text):
        c.add(field, f"{shown(text)} has no letter or digit, so no typed answer can match it")


def check_string_list(c: Collector, value: Any, field: str, *, what: str) -> list[str]:
    """Report non-text entries; return the texts that are fine."""
    if not isinstance(value, list):
        c.add(field, f"{field} must be a list, not {type_name(value)}")
        return []
    texts = []
    for n, entry in enumerate(value, 1):
        if not is_scalar_text(entry):
            c.add(field, f"{what} {n} must be non-empty text, not {shown(entry)}")
        else:
            texts.append(str(entry))
    return texts


def check_unique(c: Collector, field: str, texts: list[str], *, what: str) -> None:
    seen: dict[str, str] = {}
    for text in texts:
        key = norm(text)
        if key in seen:
            c.add(field, f"duplicate {what}: {shown(seen[key])} and {shown(text)}")
        else:
            seen[key] = text


def norm(text: str) -> str:
    """Case- and space-insensitive form used to spot duplicate texts."""
    return " ".join(str(text).split()).casefold()


# A whole number as people type it: ASCII digits only, and few of them. str.isdigit()
# accepts "²" and "٣" and a 5,000-digit string, which int() then refuses (a 500).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def whole_number(text: Any) -> int | None:
    """The non-negative whole number ``text`` spells in ASCII digits (at most nine), or None."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    return int(stripped) if _WHOLE_NUMBER.fullmatch(stripped) else None


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_scalar_text(value: Any) -> bool:
    # Numbers and dates written bare in YAML ("1991") are fine as texts.
    return (
        value is not None
        and not isinstance(value, (bool, Mapping, list))
        and bool(str(value).strip())
    )


def type_name(value: Any) -> str:
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
    return ", ".join(sorted(spec(kind).answer_fields))


def count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(n, str(n))
