"""The canonical form two typed answers are compared in.

:func:`words` turns a text into a tuple of words: Unicode compatibility forms, control and
format characters (right-to-left marks) dropped, accents off, case folded, ``&`` as "and",
hyphens, dashes and slashes as spaces, other punctuation out, number words as digits
("Group of Twenty" -> "group of 20"), a leading article off, British spellings made
American ("organisation" -> "organization", "defence" -> "defense") and a few fixed
equivalents ("united states" -> "us"). Hyphens and spaces count as nothing too: callers
also compare the words joined (:func:`joined`), so "co-operation", "co operation" and
"cooperation" agree.

:func:`bracket_parts` reads "Responsibility to Protect (R2P)" as its two halves, and
:func:`initials` says whether one is the acronym of the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from text_to_num import alpha2digit

MAX_TEXT = 500  # characters of a response that are read; no key is near this long

_ARTICLES = frozenset({"the", "a", "an"})
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Mn", "Me", "So", "Sk"})

# British spelling -> American, whole words; the regular patterns are rules below.
_SPELLING_WORDS: dict[str, str] = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "centre": "center",
    "centres": "centers",
    "metre": "meter",
    "metres": "meters",
    "theatre": "theater",
    "fibre": "fiber",
    "litre": "liter",
    "manoeuvre": "maneuver",
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "sceptical": "skeptical",
    "judgement": "judgment",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "towards": "toward",
    "aluminium": "aluminum",
    "cheque": "check",
    "tyre": "tire",
    "kilometre": "kilometer",
    "kilometres": "kilometers",
    "dialogue": "dialog",
    "catalogue": "catalog",
    "analogue": "analog",
    "whilst": "while",
    "amongst": "among",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
    "mediaeval": "medieval",
    "storey": "story",
    "plough": "plow",
}
_SPELLING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # -ise/-isation -> -ize/-ization ("organisation", "normalised", "politicise").
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1"),
    # -yse -> -yze ("analyse", "paralysed").
    (re.compile(r"(?<=[a-z]{3})ys(e|es|ed|ing)$"), r"yz\1"),
    # -our -> -or after these letters ("neighbour(liness)", "behaviour", "colour", "labour").
    (
        re.compile(
            r"(?<=[a-z]{2}[blvmpndgr])our(s|ed|ing|ite|ites|able|ful|less|hood|"
            r"hoods|liness|ly|er|ers|ist|ists|ism)?$"
        ),
        r"or\1",
    ),
    # doubled l before a suffix ("travelled", "modelling", "labelled", "signalled").
    (re.compile(r"(?<=[a-z]{2}[ae])ll(ed|ing|er|ers)$"), r"l\1"),
)
# Phrases with one meaning, each to its short form (applied to word sequences).
_EQUIVALENTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("united", "states", "of", "america"): ("us",),
    ("united", "states"): ("us",),
    ("usa",): ("us",),
    ("united", "kingdom"): ("uk",),
    ("great", "britain"): ("uk",),
    ("britain",): ("uk",),
    ("soviet", "union"): ("ussr",),
    ("united", "nations"): ("un",),
    ("peoples", "republic", "of", "china"): ("china",),
    ("prc",): ("china",),
    ("russian", "federation"): ("russia",),
    ("european", "union"): ("eu",),
    ("security", "council"): ("sc",),
}
_MAX_EQUIVALENT = max(len(k) for k in _EQUIVALENTS)


def clean(text: str) -> str:
    """NFKC then NFKD, accents and invisible characters out, case folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", str(text)[:MAX_TEXT])
    text = unicodedata.normalize("NFKD", text)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in _DROP_CATEGORIES:
            continue
        if category in ("Zs", "Zl", "Zp") or ch in "\t\n\r":
            out.append(" ")
        elif category == "Pd" or ch in "/\\_":
            out.append(" ")
        elif ch == "&":
            out.append(" and ")
        elif category.startswith("P") or category in ("Sm", "Sc"):
            # An apostrophe joins ("Khrushchev's", "1970's"); other punctuation separates.
            out.append("" if ch in "'\u2019\u2018`" else " ")
        else:
            out.append(ch)
    return " ".join("".join(out).casefold().split())


def american(word: str) -> str:
    """One word in American spelling (the form both sides are compared in)."""
    if word in _SPELLING_WORDS:
        return _SPELLING_WORDS[word]
    for pattern, repl in _SPELLING_RULES:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


def _numbers_as_digits(text: str) -> str:
    if not re.search(r"[a-z]{3}", text) or len(text) > 200:
        return text
    try:
        return alpha2digit(text, "en", threshold=0)
    except Exception:  # noqa: BLE001 - a parser error means "no number words here"
        return text


def _equivalents(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_EQUIVALENT, len(tokens) - i), 0, -1):
            repl = _EQUIVALENTS.get(tuple(tokens[i : i + size]))
            if repl is not None:
                out.extend(repl)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The canonical words of a text as typed (see the module's docstring)."""
    tokens = _numbers_as_digits(clean(text)).split()
    # Single letters in a row are one acronym ("U.S.A." -> "usa").
    tokens = _join_letters(tokens)
    while tokens and tokens[0] in _ARTICLES and len(tokens) > 1:
        tokens = tokens[1:]
    return tuple(american(t) for t in tokens)


@lru_cache(maxsize=8192)
def meaning(ws: tuple[str, ...]) -> tuple[str, ...]:
    """The words with fixed equivalents replaced ("united states" -> "us")."""
    return tuple(_equivalents(list(ws)))


def _join_letters(tokens: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if len(t) == 1 and t.isalpha() and (t != "a" or run):
            run.append(t)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if t:
            out.append(t)
    return out


def joined(ws: tuple[str, ...]) -> str:
    """The words with no spaces: "co operation" and "cooperation" agree."""
    return "".join(ws)


def singular(word: str) -> str:
    """A light English singular ("allies" -> "ally", "exercises" -> "exercise")."""
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Possessive: the outer part runs to the first bracket at once (its trailing spaces are
# stripped after), where a lazy part before "\s*" retried every split of a run of spaces.
_BRACKETS = re.compile(r"^(?P<outer>[^()\[\]]++)[(\[](?P<inner>[^()\[\]]++)[)\]]\s*+$")
# "SCO - Shanghai Cooperation Organisation", "SCO: Shanghai ...": a spaced dash or a colon.
# The outer part ends at a non-space before the run of spaces, which is read once
# (possessive): a lazy part before "\s+" retried every split of a run of spaces.
_DASHED = re.compile(
    r"^(?P<outer>[^:\u2013\u2014]*?[^:\u2013\u2014\s])\s++[-\u2013\u2014:]\s++(?P<inner>.+)$|"
    r"^(?P<outer2>[^:]++):\s*+(?P<inner2>.+)$"
)


def bracket_parts(text: str) -> tuple[str, str] | None:
    """("Responsibility to Protect", "R2P") from "Responsibility to Protect (R2P)".

    "SCO - Shanghai Cooperation Organisation" and "SCO: ..." split the same way.
    """
    text = str(text)[:MAX_TEXT].strip()
    m = _BRACKETS.match(text)
    if m and m.group("outer").strip() and m.group("inner").strip():
        return m.group("outer").strip(), m.group("inner").strip()
    d = _DASHED.match(text)
    if d:
        outer = (d.group("outer") or d.group("outer2") or "").strip()
        inner = (d.group("inner") or d.group("inner2") or "").strip()
        if outer and inner:
            return outer, inner
    return None


def swapped_name(text: str) -> str | None:
    """ "Khrushchev, Nikita" -> "Nikita Khrushchev" (one comma between two short parts)."""
    parts = str(text)[:MAX_TEXT].split(",")
    if len(parts) != 2:
        return None
    last, first = (p.strip() for p in parts)
    if not last or not first or len(last.split()) > 3 or len(first.split()) > 3:
        return None
    return f"{first} {last}"


_MINOR = frozenset({"of", "and", "the", "to", "for", "in", "on", "a", "an", "de"})


def initials(short: str, long: str) -> bool:
    """Whether ``short`` is an acronym of ``long`` ("SCO", "Shanghai Co-operation Org...")."""
    letters = joined(words(short))
    long_words = clean(long).replace("-", " ").split()
    if len(letters) < 2 or len(long_words) < 2:
        return False
    full = "".join(w[0] for w in long_words)
    major = "".join(w[0] for w in long_words if w not in _MINOR)
    # "co operation" is one word in an acronym: SCO, not SCOO.
    merged = "".join(w[0] for w in clean(str(long).casefold().replace("co-", "co")).split())
    letters = letters.replace("2", "t").replace("4", "f")  # "R2P": responsibility to protect
    return letters in (full, major, merged)
