"""Typed answers graded as a fair teacher would: one pipeline for every typed kind.

:func:`match_text` compares a typed response with the item's variants (``answer`` and
``accept``) in the canonical form of :mod:`questions.normalise`, so case, accents,
punctuation, hyphens and spacing, a leading article, British or American spelling, number
words, a plural and an acronym in brackets do not count. Then it forgives a slip: per word,
a small edit distance (``rapidfuzz``'s Damerau-Levenshtein, so a swap of two letters is one
slip) scaled to the word's length, none for words under five letters, never on a number,
never on the first letter, and never when the typed word or phrase is itself a known term
(:mod:`questions.vocabulary`): "Liberia" is not a slip for "Siberia".

``reject`` lists variants that are wrong however close they are; ``exact`` switches every
tolerance off (the text must then fold to a variant: case, accents, punctuation and spaces).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein
from wordfreq import zipf_frequency

from . import numbers
from .normalise import bracket_parts, initials, joined, meaning, singular, swapped_name, words
from .vocabulary import Vocabulary, default

MIN_SLIP_LENGTH = 5  # a word shorter than this must be typed right
# A typed word at least this frequent in English (Zipf scale: 3 is once per million words)
# is a real word, typed as meant. Common misspellings sit lower ("independant" 2.35).
COMMON_WORD_ZIPF = 2.4


@dataclass(frozen=True)
class TypedMatch:
    """How a typed response compares: right or not, and what was forgiven."""

    right: bool
    spelt: str | None = None  # the variant a slip was forgiven against
    rejected: bool = False  # it matched a ``reject`` variant

    def detail(self) -> dict[str, str]:
        """What the grade keeps: {"spelt": "Siberia"} for a forgiven slip."""
        return {"spelt": self.spelt} if self.spelt else {}


WRONG = TypedMatch(False)


def slip_limit(word: str) -> int:
    """How many slips a word of this length forgives: 0 under 5 letters, 1, then 2 from 12."""
    if len(word) < MIN_SLIP_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) < 12 else 2


def _same(given: tuple[str, ...], key: tuple[str, ...]) -> bool:
    if not given or not key:
        return False
    if given == key or joined(given) == joined(key):
        return True
    given, key = meaning(given), meaning(key)
    if given == key or joined(given) == joined(key):
        return True
    return len(given) == len(key) and all(
        singular(a) == singular(b) for a, b in zip(given, key, strict=True)
    )


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """A word of English in everyday use (``wordfreq``): typed as meant, never a slip."""
    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


def _slip(
    given: tuple[str, ...], key: tuple[str, ...], vocabulary: Vocabulary, own: frozenset[str]
) -> bool:
    """True when ``given`` is ``key`` with a slip or two, none turning one term into another.

    ``own`` holds the words of the item's own variants: those are never "another term".
    """
    if len(given) != len(key) or given == key:
        return False
    slipped = False
    for typed, meant in zip(given, key, strict=True):
        if typed == meant or singular(typed) == singular(meant):
            continue
        limit = slip_limit(meant)
        if not limit or not typed.isalpha() or typed[0] != meant[0]:
            return False
        if typed not in own and (
            vocabulary.is_word(typed)
            or vocabulary.is_word(singular(typed))
            or is_common_word(typed)
        ):
            return False
        if DamerauLevenshtein.distance(typed, meant, score_cutoff=limit) > limit:
            return False
        slipped = True
    return slipped


@lru_cache(maxsize=4096)
def _number_of(text: str) -> tuple[float, bool, bool] | None:
    if not any(ch.isdigit() for ch in text):
        return None
    try:
        r = numbers.read(text)
    except numbers.NotANumber:
        return None
    return (r.total, r.decade, r.century)


def _same_number(response: str, key_texts: list[str]) -> bool:
    """A gap whose answer is a number: "the year 1991" for "1991", "the 1970's" for "1970s"."""
    keyed = [n for n in (_number_of(t) for t in key_texts) if n is not None]
    if not keyed or len(response) > numbers.MAX_NUMBER_TEXT:
        return False
    try:
        r = numbers.read(response)
    except numbers.NotANumber:
        return False
    return (r.total, r.decade, r.century) in keyed


def _variants(texts: Iterable[object]) -> list[tuple[str, tuple[str, ...]]]:
    """Each variant with its canonical words; "Name (ACR)" also gives "Name" and "ACR"."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for text in texts:
        if text is None:
            continue
        text = str(text)
        out.append((text, words(text)))
        parts = bracket_parts(text)
        if parts:
            out.extend((part, words(part)) for part in parts)
    return [(t, w) for t, w in out if w]


def match_text(
    response: str,
    variants: Sequence[object],
    *,
    reject: Sequence[object] = (),
    exact: bool = False,
    vocabulary: Vocabulary | None = None,
    context: str = "",
) -> TypedMatch:
    """Compare a typed response with the right variants and the rejected ones.

    ``context`` is the prompt: a student may repeat a word or two of it around the answer
    ("joint military exercises" for "held joint ___").
    """
    if exact:
        from .grading import fold  # the strict comparison: case, accents, punctuation

        folded = fold(response)
        if folded and any(folded == fold(r) for r in reject):
            return TypedMatch(False, rejected=True)
        return TypedMatch(bool(folded) and any(folded == fold(v) for v in variants if v))
    keys = _variants(variants)
    rejects = _variants(reject)
    given = words(response)
    if not given or not keys:
        return WRONG
    longest = max(len(joined(w)) for _, w in keys)
    if len(joined(given)) > 2 * longest + 10:
        return WRONG  # far longer than any right answer: no need to look further
    if any(_same(given, w) for _, w in rejects):
        return TypedMatch(False, rejected=True)
    if any(_same(given, w) for _, w in keys):
        return TypedMatch(True)
    if _same_number(response, [t for t, _ in keys]):
        return TypedMatch(True)
    parts = bracket_parts(response)
    if parts and _brackets_right(parts, keys, rejects, vocabulary):
        return TypedMatch(True)
    if _framed(given, keys, rejects):
        return TypedMatch(True)
    swapped = swapped_name(response)
    if swapped and any(len(w) > 1 for _, w in keys):
        result = match_text(swapped, variants, reject=reject, vocabulary=vocabulary)
        if result.right:
            return result
    vocab = vocabulary if vocabulary is not None else default()
    if context and _with_prompt_words(given, keys, rejects, context, vocab):
        return TypedMatch(True)
    if vocab.is_term(given) and not any(joined(w) == joined(given) for _, w in keys):
        return WRONG  # a name of something else, typed as meant
    own = frozenset(word for _, w in keys for word in w)
    if any(_slip(given, w, vocab, own) for _, w in rejects):
        return TypedMatch(False, rejected=True)
    for text, w in keys:
        if _slip(given, w, vocab, own):
            return TypedMatch(True, spelt=text)
    return WRONG


# Words that frame a right answer without changing it: "NATO alliance", "President Assad",
# "the principle of non-interference". Only around an answer matched without slips.
_TRAILING_FRAME = frozenset(
    "alliance bloc summit doctrine principle concept policy organisation organization "
    "region regime government grouping forum".split()
)
_LEADING_FRAME = frozenset(
    "president chairman premier leader general secretary mr comrade marshal prime minister "
    "state concept principle doctrine policy idea notion of the".split()
)


def _framed(
    given: tuple[str, ...],
    keys: list[tuple[str, tuple[str, ...]]],
    rejects: list[tuple[str, tuple[str, ...]]],
) -> bool:
    """Right once framing words before or after it are set aside ("G20 summit").

    A person's name may also carry initials or a patronymic of the item's own full-name
    variant: "N. Khrushchev", "Mikhail Sergeyevich Gorbachev".
    """
    if len(given) > 8:
        return False
    for start in range(len(given)):
        for end in range(len(given), start, -1):
            if (start, end) == (0, len(given)) or end - start < 1:
                continue
            head, core, tail = given[:start], given[start:end], given[end:]
            if len(head) > 3 or len(tail) > 1:
                continue
            if any(_same(core, w) for _, w in rejects):
                return False
            if not any(_same(core, w) for _, w in keys):
                continue
            if (
                all(t in _TRAILING_FRAME for t in tail)
                and all(_name_part(h, core, keys) or h in _LEADING_FRAME for h in head)
                and (not head or head[-1] != "of" or len(head) > 1)
            ):
                return True
    return False


def _name_part(word: str, core: tuple[str, ...], keys: list[tuple[str, tuple[str, ...]]]) -> bool:
    """An initial or a patronymic before a surname, or a first name of the item's own."""
    if len(core) != 1:
        return False
    firsts = {w[-2] for _, w in keys if len(w) >= 2 and w[-1] == core[0]}
    if not firsts:
        return False
    if len(word) == 1:
        return any(f.startswith(word) for f in firsts)
    return word in firsts or word.endswith(("vich", "yevich", "ovich", "evich"))


_NEVER_EXTRA = frozenset({"and", "or", "not", "no", "nor", "but", "except", "without"})


def _with_prompt_words(
    given: tuple[str, ...],
    keys: list[tuple[str, tuple[str, ...]]],
    rejects: list[tuple[str, tuple[str, ...]]],
    context: str,
    vocabulary: Vocabulary,
) -> bool:
    """Right once up to two words of the prompt before or after it are set aside.

    Never "and", "or", "not"..., nor a known term: "Russia, China" names two countries.
    """
    prompt_words = set(words(context[:2000]))
    for cut in (1, 2):
        if len(given) <= cut:
            break
        for extra, rest in ((given[:cut], given[cut:]), (given[-cut:], given[:-cut])):
            if all(
                w in prompt_words and w not in _NEVER_EXTRA and not vocabulary.is_term((w,))
                for w in extra
            ) and not any(_same(rest, w) for _, w in rejects):
                if any(_same(rest, w) for _, w in keys):
                    return True
    return False


def _brackets_right(
    parts: tuple[str, str],
    keys: list[tuple[str, tuple[str, ...]]],
    rejects: list[tuple[str, tuple[str, ...]]],
    vocabulary: Vocabulary | None,
) -> bool:
    """ "Expansion (ACRONYM)" or "ACRONYM (expansion)": one half right, the other its pair."""
    outer, inner = parts
    key_texts = [t for t, _ in keys]
    reject_texts = [t for t, _ in rejects]

    def right(text: str) -> bool:
        m = match_text(text, key_texts, reject=reject_texts, vocabulary=vocabulary)
        return m.right

    if right(outer):
        return right(inner) or initials(inner, outer)
    if right(inner):
        return initials(outer, inner)
    return False
