"""Giveaway checks: ``python -m questions lint`` warns where an item gives its answer away.

Validation says whether an item is well formed; lint says whether a reader could answer it
without having read the article. Each rule is a small function over a raw bank item (the
mapping read from its file, with lines), reading the answer fields generically: ``options``
(``text``/``correct``), ``answer`` and ``accept``, ``items``, ``pairs``, cloze deletions.

Rules (names as used in ``lint_waive``):
  key-length     the key is much longer than every distractor
  self-verdict   an option states its own verdict ("all of the above", "always", "never")
  ordering-cue   an ordering's items carry their order (ascending years, "first", "finally")
  key-in-prompt  the prompt (or the rest of a cloze, or a pair's own left) holds the key
  acronym-cue    the key's initials are spelled in the prompt (BRICS -> Brazil, India ...)
  related-leak   another item's prompt holds this item's key, and neither names the other
                 in ``related:``

An item silences a rule with ``lint_waive: {rule: "reason"}``; a waiver that names an
unknown rule or silences nothing is itself a warning (rule ``waiver``), so waivers do not
outlive the text they excuse.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .grading import fold
from .kinds import Kind, spec
from .kinds.base import KindSpec
from .loader import BANK_DIR, LineDict, LineLoader, bank_files, display_path
from .model import CLOZE_PATTERN

RULES = {
    "key-length": "the key is much longer than every distractor",
    "self-verdict": "an option or statement states its own verdict",
    "ordering-cue": "the items of an ordering carry their order",
    "key-in-prompt": "the prompt holds the key",
    "acronym-cue": "the key's initials are spelled in the prompt",
    "related-leak": "another item's prompt holds this item's key",
}

# key-length: the shortest key at least this many times, and this many characters, longer
# than the longest distractor.
KEY_LENGTH_RATIO = 1.2
KEY_LENGTH_MARGIN = 8
# related-leak: a key that stands in more than this many other items is the article's common
# ground (Russia, 1991, BRICS), not one item's answer; no single pair leaks it.
COMMON_GROUND = 5

_META_OPTION = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|those|them|the options)\b", re.I
)
_ABSOLUTE = re.compile(
    r"\b(always|never|invariably|without exception|under no circumstances|in (every|all) cases?"
    r"|at all times|not at all)\b",
    re.I,
)
_SEQUENCE_WORD = re.compile(
    r"\b(first|firstly|initially|at first|secondly|thirdly|next|later|afterwards|subsequently"
    r"|finally|lastly|eventually|in the end|at last|thereafter|then)\b",
    re.I,
)
_CONCLUSION_START = re.compile(r"^\W*(so|therefore|hence|thus|no|yes)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(s?)\b")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_MINOR_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "de"}
_STOPWORDS = {
    "about", "after", "against", "also", "among", "article", "because", "before", "being",
    "between", "both", "china", "chinas", "country", "countries", "each", "from", "have",
    "into", "more", "most", "other", "over", "russia", "russias", "russian", "chinese", "same",
    "since", "some", "such", "than", "that", "their", "them", "there", "these", "they", "this",
    "those", "through", "under", "what", "when", "where", "which", "while", "with", "world",
}  # fmt: skip


@dataclass(frozen=True)
class LintWarning:
    """One giveaway found: where it is, which rule, and what to do."""

    file: str
    line: int | None
    item: str
    rule: str
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{place}: {self.item}: {self.rule}: {self.message}"


@dataclass
class _Item:
    """A raw bank item with its file, and the generic views the rules read."""

    file: str
    data: LineDict

    @property
    def id(self) -> str:
        return str(self.data.get("id"))

    @property
    def kind(self) -> KindSpec:
        """The item's kind (an unknown one reads as a kind with no traits)."""
        value = self.data.get("kind")
        return spec(value) if value in Kind._value2member_map_ else KindSpec()

    def line(self, key: str) -> int | None:
        return self.data.line_of(key)

    @property
    def prompt(self) -> str:
        return str(self.data.get("prompt") or "")

    @property
    def options(self) -> list[tuple[str, bool]]:
        raw = self.data.get("options") or []
        return [
            (str(o.get("text", "")), bool(o.get("correct"))) for o in raw if isinstance(o, dict)
        ]

    @property
    def deletions(self) -> list[tuple[int, str]]:
        if not self.kind.lint_gaps:
            return []
        return [(int(m.group(1)), m.group(2)) for m in CLOZE_PATTERN.finditer(self.prompt)]

    def keys(self) -> list[str]:
        """The texts a student must produce or pick: what must not be given away."""
        if self.options:
            return [text for text, correct in self.options if correct]
        if self.kind.lint_gaps:
            return [answer for _, answer in self.deletions]
        answer = self.data.get("answer")
        if isinstance(answer, bool) or answer is None:
            return []
        return [str(answer)]

    def typed_variants(self) -> list[str]:
        """Every accepted form of a typed key (answer and accept)."""
        accept = self.data.get("accept")
        if isinstance(accept, dict):
            return [*self.keys(), *(str(v) for vs in accept.values() for v in vs or [])]
        return [*self.keys(), *(str(v) for v in accept or [])]

    def shown_text(self) -> str:
        """What a student reads before answering that states facts: the prompt (deletions
        blanked), an ordering's items, a matching's pairs. Choice options are left out: a
        text among candidates answers nothing."""
        parts = [CLOZE_PATTERN.sub(" ", self.prompt)]
        parts.extend(str(i) for i in self.data.get("items") or [])
        for pair in self.data.get("pairs") or []:
            if isinstance(pair, dict):
                parts.extend(str(pair.get(side, "")) for side in ("left", "right"))
        return " \n ".join(parts)

    def waivers(self) -> dict[str, str]:
        value = self.data.get("lint_waive")
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def related(self) -> set[str]:
        value = self.data.get("related")
        return {str(v) for v in value} if isinstance(value, list) else set()


# --- helpers -------------------------------------------------------------------------------


def _contains(haystack: str, needle: str) -> bool:
    """Whether the folded needle stands in the folded haystack as whole words."""
    n = fold(needle)
    if not n:
        return False
    return re.search(rf"(?<!\w){re.escape(n)}(?!\w)", fold(haystack)) is not None


def _initials(text: str) -> str:
    """Initials of a name or list: "Shanghai Cooperation Organization" -> SCO;
    "Brazil, Russia, India, China, South Africa" -> BRICS (first letter of each part)."""
    parts = [p.strip() for p in re.split(r",|\band\b", text) if p.strip()]
    if len(parts) >= 2:
        return "".join(p[0] for p in parts).upper()
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if w.lower() not in _MINOR_WORDS]
    return "".join(w[0] for w in words).upper()


def _numbers(text: str) -> list[float]:
    return [float(m.group(1).replace(",", "")) for m in _NUMBER.finditer(text)]


def _content_stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", fold(text))
    return {w[:5] for w in words if len(w) >= 4 and w not in _STOPWORDS}


# --- the rules: each yields (field, message) for one item ---------------------------------


def check_key_length(item: _Item) -> Iterator[tuple[str, str]]:
    if not item.options:
        return
    keys = [len(t) for t, c in item.options if c]
    others = [len(t) for t, c in item.options if not c]
    if not keys or not others:
        return
    shortest_key, longest_other = min(keys), max(others)
    if (
        shortest_key >= KEY_LENGTH_RATIO * longest_other
        and shortest_key - longest_other >= KEY_LENGTH_MARGIN
    ):
        yield (
            "options",
            f"the key ({shortest_key} characters) is much longer than every distractor "
            f"(at most {longest_other}); even the lengths out",
        )


def check_self_verdict(item: _Item) -> Iterator[tuple[str, str]]:
    for text, _ in item.options:
        if _META_OPTION.search(text):
            yield "options", f"option '{text}' is about the other options; name a fact instead"
    marked = [(t, bool(_ABSOLUTE.search(t))) for t, _ in item.options]
    if any(m for _, m in marked) and not all(m for _, m in marked):
        for text, m in marked:
            if m:
                word = _ABSOLUTE.search(text).group(0)  # type: ignore[union-attr]
                yield (
                    "options",
                    f"option '{text}' carries the absolute '{word}'; readers discount it",
                )
    if item.kind.lint_statement:
        found = _ABSOLUTE.search(item.prompt)
        if found:
            yield "prompt", f"the statement says '{found.group(0)}', which reads as false by itself"


def check_ordering_cue(item: _Item) -> Iterator[tuple[str, str]]:
    items = [str(i) for i in item.data.get("items") or []]
    if not item.kind.lint_ordered or not items:
        return
    firsts = [nums[0] for nums in map(_numbers, items) if nums]
    if len(firsts) >= 2 and (firsts == sorted(firsts) or firsts == sorted(firsts, reverse=True)):
        yield (
            "items",
            f"{len(firsts)} items carry numbers or years in their own order; sorting them "
            "gives the answer: take the numbers out of the items",
        )
    for n, text in enumerate(items, 1):
        word = _SEQUENCE_WORD.search(text) or _CONCLUSION_START.search(text)
        if word:
            yield "items", f"item {n} says '{word.group(0).strip()}', which tells its place"


def check_key_in_prompt(item: _Item) -> Iterator[tuple[str, str]]:
    prompt = item.prompt
    if item.options:
        others = [t for t, c in item.options if not c]
        if any(_contains(prompt, t) for t in others):
            return  # the prompt names a distractor too: no cue
        for text, correct in item.options:
            if correct and len(fold(text)) >= 3 and _contains(prompt, text):
                yield "prompt", f"the prompt contains the key '{text}'"
    elif item.kind.lint_gaps:
        accept = item.data.get("accept") or {}
        for number, answer in item.deletions:
            rest = CLOZE_PATTERN.sub(" ", prompt)
            variants = [answer, *(str(v) for v in (accept.get(number) or []))]
            hit = next((v for v in variants if len(fold(v)) >= 3 and _contains(rest, v)), None)
            if hit:
                yield "prompt", f"the text around deletion c{number} contains its answer '{hit}'"
    elif item.kind.lint_typed:
        for variant in item.typed_variants():
            if len(fold(variant)) >= 3 and _contains(prompt, variant):
                yield "prompt", f"the prompt contains an accepted answer '{variant}'"
                break
    elif item.kind.lint_pairs:
        pairs = [p for p in item.data.get("pairs") or [] if isinstance(p, dict)]
        rights = [str(p.get("right", "")) for p in pairs] + [
            str(d) for d in item.data.get("distractors") or []
        ]
        for n, pair in enumerate(pairs, 1):
            left, right = str(pair.get("left", "")), str(pair.get("right", ""))
            shared = _content_stems(left) & _content_stems(right)
            for other in rights:
                if other != right:
                    shared -= _content_stems(other)
            if shared:
                yield (
                    "pairs",
                    f"pair {n}: left and right share '{sorted(shared)[0]}...', "
                    "which no other right has",
                )


def check_acronym_cue(item: _Item) -> Iterator[tuple[str, str]]:
    prompt = item.prompt
    acronyms = set(_ACRONYM.findall(prompt))
    for pair in item.data.get("pairs") or []:
        if isinstance(pair, dict):
            left, right = str(pair.get("left", "")), str(pair.get("right", ""))
            if _ACRONYM.fullmatch(left) and _initials(right) == left:
                yield "pairs", f"'{right}' spells the initials of '{left}'"
    if not acronyms:
        return
    for key in item.keys():
        initials = _initials(key)
        if len(initials) >= 2 and initials in acronyms:
            yield "prompt", f"the prompt spells '{initials}', the initials of the key '{key}'"
    if item.options:
        # Names, not acronyms: options that are acronyms themselves are not cued by letters.
        short = all(len(t.split()) <= 3 and not _ACRONYM.fullmatch(t) for t, _ in item.options)
        keys = [t for t, c in item.options if c]
        others = [t for t, c in item.options if not c]
        for acronym in acronyms:
            if (
                short
                and all(k[:1].upper() in acronym for k in keys)
                and any(o[:1].upper() not in acronym for o in others)
            ):
                yield (
                    "options",
                    f"every key starts with a letter of '{acronym}' and some distractor does "
                    "not; pick distractors whose initials fit",
                )
    elif item.kind.lint_word and item.keys():
        key = item.keys()[0]
        if len(key.split()) == 1 and key[:1].isupper():
            named = {w[0] for w in re.findall(r"\b[A-Z][a-z]+", prompt)}
            for acronym in acronyms:
                if set(acronym) - named == {key[0].upper()}:
                    yield (
                        "prompt",
                        f"'{acronym}' less the names in the prompt leaves '{key[0]}', "
                        f"the initial of the key '{key}'",
                    )


ITEM_RULES = {
    "key-length": check_key_length,
    "self-verdict": check_self_verdict,
    "ordering-cue": check_ordering_cue,
    "key-in-prompt": check_key_in_prompt,
    "acronym-cue": check_acronym_cue,
}


def _leak_keys(item: _Item) -> list[str]:
    """Keys that, seen in another item, answer this one: a typed answer, a cloze deletion,
    a single choice's key, a numeric answer of three or more digits."""
    if not item.kind.lint_leaks:
        return []
    keys = item.keys()
    if item.kind.lint_scaled:
        unit = str(item.data.get("unit") or "").split()
        scale = unit[0] if unit and unit[0] in ("thousand", "million", "billion") else ""
        return [f"{k} {scale}" if scale else k for k in keys if scale or len(k) >= 3]
    return [k for k in keys if len(fold(k)) >= 4 or fold(k).isdigit()]


def check_related_leaks(items: list[_Item]) -> Iterator[tuple[_Item, str, str]]:
    """(leaking item, field, message) for each key that stands in another item's text."""
    shown = {i.id: i.shown_text() for i in items}
    declared = {i.id: i.related() for i in items}
    for a in items:
        for key in _leak_keys(a):
            holders = [b for b in items if b.id != a.id and _contains(shown[b.id], key)]
            if len(holders) > COMMON_GROUND:
                continue
            for b in holders:
                if b.id in declared[a.id] or a.id in declared[b.id]:
                    continue
                yield (
                    a,
                    "id",
                    f"its key '{key}' stands in {b.id} ({b.file}:{b.line('prompt')}); "
                    f"add related: [{b.id}] or reword that item",
                )


# --- running it ----------------------------------------------------------------------------


def _read_items(path: Path) -> list[_Item]:
    name = display_path(path)
    loader = LineLoader(path.read_text(encoding="utf-8"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        return []  # validation reports it
    finally:
        loader.dispose()
    raw = data.get("questions") if isinstance(data, dict) else None
    return [_Item(name, d) for d in raw or [] if isinstance(d, LineDict) and "id" in d]


@dataclass
class LintResult:
    warnings: list[LintWarning]
    waived: list[tuple[LintWarning, str]]


def lint_items(items: list[_Item]) -> LintResult:
    """Run every rule on the items (and across them); apply their waivers."""
    found: list[tuple[_Item, str, str, str]] = []  # item, rule, field, message
    for item in items:
        for rule, check in ITEM_RULES.items():
            found.extend((item, rule, f, m) for f, m in check(item))
    found.extend((a, "related-leak", f, m) for a, f, m in check_related_leaks(items))

    result = LintResult([], [])
    used: set[tuple[str, str]] = set()
    for item, rule, field, message in found:
        warning = LintWarning(item.file, item.line(field), item.id, rule, message)
        reason = item.waivers().get(rule)
        if reason:
            result.waived.append((warning, reason))
            used.add((item.id, rule))
        else:
            result.warnings.append(warning)
    for item in items:
        for rule in item.waivers():
            if rule not in RULES:
                message = f"lint_waive names '{rule}', which is no rule ({', '.join(RULES)})"
            elif (item.id, rule) not in used:
                message = f"lint_waive for '{rule}' silences nothing; remove it"
            else:
                continue
            result.warnings.append(
                LintWarning(item.file, item.line("lint_waive"), item.id, "waiver", message)
            )
    result.warnings.sort(key=lambda w: (w.file, w.line or 0, w.rule))
    return result


def lint_bank(directory: str | os.PathLike[str] = BANK_DIR) -> LintResult:
    """Lint every file of the bank directory."""
    items = [item for path in bank_files(directory) for item in _read_items(path)]
    return lint_items(items)


def lint_text(text: str, filename: str = "bank.yaml") -> LintResult:
    """Lint one bank file's text (for tests and one-off checks)."""
    loader = LineLoader(text)
    try:
        data: Any = loader.get_single_data()
    finally:
        loader.dispose()
    raw = data.get("questions") if isinstance(data, dict) else None
    return lint_items([_Item(filename, d) for d in raw or [] if isinstance(d, LineDict)])
