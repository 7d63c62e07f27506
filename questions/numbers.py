"""Reading a number from what a student types, in the forms people write numbers in.

"2010", "the year 2010", "two thousand and ten", "17th", "seventeenth century", "XVII",
"50%", "fifty per cent", "2bn", "$2 billion", "US$2 billion", "1,000", "7.5", "14-fold".
Number words go through ``text_to_num`` (a maintained parser of English number words,
ordinals included); this module adds what it leaves to the caller: magnitudes written as
abbreviations, currencies, percent, centuries, framing words and the question's unit.

The result is a :class:`Reading`: the value, the magnitude it was typed with (so "2bn" and
"2" both answer "in billions of US dollars") and the currency named, if any.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from text_to_num import alpha2digit

from .quoting import shown

MAX_NUMBER_TEXT = 200  # a number is never longer; longer text is read as "not a number"

MAGNITUDES: dict[str, float] = {
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
DOLLAR_WORDS = frozenset({"usd", "us$", "$", "dollar", "dollars", "us", "u.s.", "buck", "bucks"})
OTHER_CURRENCIES = frozenset(
    {"€", "£", "¥", "₽", "eur", "euro", "euros", "gbp", "pound", "pounds", "rmb", "cny", "yuan"}
    | {"rub", "rouble", "roubles", "ruble", "rubles", "yen", "jpy", "inr", "rupee", "rupees"}
)
PERCENT_WORDS = frozenset({"%", "percent", "per cent", "pc", "pct", "percentage"})
# Words around a number that say nothing about it: "the year 2010", "about 50 percent".
FRAMING_WORDS = frozenset(
    "the a an year years in of about around approximately approx roughly circa c ca some "
    "over more than nearly almost just under less at least up to by only estimated est "
    "it is was total totalling totaling worth value valued approximate exactly precisely "
    "ad ce bc bce and or so like ~ + = x times fold after since post from there are were be "
    "its their".split()
)
_ROMAN = re.compile(r"^(?=[mdclxvi]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
# A number as digits: "1,000", "1 000" (joined before), "7.5", ".5"; "7,5" is ambiguous.
_DIGITS = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suffix>st|nd|rd|th|s|'s)?"
)
_TOKEN = re.compile(r"us\$|u\.s\.|per cent|[a-z]+|[$€£¥₽%~+=]|\d[\d,.]*(?:st|nd|rd|th|s)?")


@dataclass(frozen=True)
class Reading:
    """A number read from text: its value as typed, times ``magnitude``; its currency."""

    value: float
    magnitude: float = 1.0  # 1e9 for "2bn": the value is ``value * magnitude``
    currency: str | None = None  # "USD", "other" or None
    percent: bool = False
    century: bool = False  # "17th century", "1600s" (for a century unit)
    decade: bool = False  # "1970s"
    years: bool = False  # "20 years" (for a unit of decades)

    @property
    def total(self) -> float:
        return self.value * self.magnitude


class NotANumber(ValueError):
    """The text holds no number, or more than one; the message says which."""


def clean(text: str) -> str:
    """NFKC, control and format characters (right-to-left marks...) out, lower case."""
    text = unicodedata.normalize("NFKC", text[: MAX_NUMBER_TEXT * 2])
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    kept = (
        " " if unicodedata.category(ch) in ("Zs", "Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn", "Mn", "So", "Sk")
    )
    return " ".join("".join(kept).split()).casefold()


def _join_digit_groups(text: str) -> str:
    # "1 000 000" is one number when every later group has three digits.
    return re.sub(
        r"\b(\d{1,3})((?: \d{3})+)\b(?![.,]\d)", lambda m: m.group(0).replace(" ", ""), text
    )


_MAGNITUDE_AFTER_DIGITS = re.compile(r"(?<=\d)[\s(+]*(thousand|million|billion|trillion)s?\b")
_SHORT_MAGNITUDE = {"thousand": "k", "million": "mn", "billion": "bn", "trillion": "tn"}


def _words_to_digits(text: str) -> str:
    """Number words to digits ("seventeenth" -> "17th"); hyphens between words to spaces."""
    # "2 billion" stays a 2 and a magnitude: the parser would multiply it out.
    text = _MAGNITUDE_AFTER_DIGITS.sub(lambda m: " " + _SHORT_MAGNITUDE[m.group(1)], text)
    spaced = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    spaced = re.sub(r"(?<=\d)-(?=[a-z])", " ", spaced)  # "14-fold", "17th-century"
    if not re.search(r"[a-z]{3}", spaced):
        return spaced
    try:
        return alpha2digit(spaced, "en", threshold=0)
    except Exception:  # noqa: BLE001 - a parser error means "no number words here"
        return spaced


def _roman(token: str) -> int | None:
    if not token or not _ROMAN.match(token):
        return None
    total, last = 0, 0
    for ch in reversed(token):
        v = _ROMAN_VALUES[ch]
        total += -v if v < last else v
        last = max(last, v)
    return total


def read(text: str, *, unit: str | None = None, context: str = "") -> Reading:
    """The one number in ``text``; raises :class:`NotANumber` saying why not.

    Words that frame a number ("the year", "about", "more than"), a currency, percent, a
    magnitude and the words of ``unit`` may surround it; any other word makes it not a
    plain number. Words of ``context`` (the prompt) may frame it too: "50% of its oil".
    The same number written twice ("4 (four)") is one number.
    """
    if len(text) > MAX_NUMBER_TEXT:
        raise NotANumber("that is too long for a number")
    s = clean(text)
    # "A.D.", "p.c.", "cent.": dotted abbreviations read as words.
    s = re.sub(r"\b([a-z])\.([a-z])\.?(?![a-z])", r"\1\2", s)
    s = re.sub(r"(?<=[a-z])fold\b", " fold", s)  # "fourteenfold"
    s = _words_to_digits(_join_digit_groups(s))
    s = re.sub(r"(?<=\d)['’]s\b", "s", s)  # "1970's"
    negative = bool(re.match(r"^-\s*\d", s))
    unit_words = set(_unit_words(unit))
    context_words = {
        w for w in _TOKEN.findall(clean(context[:1000])) if w.isalpha() and w not in MAGNITUDES
    }
    century_unit = "century" in unit_words or "centuries" in unit_words
    numbers: list[tuple[float, str]] = []
    magnitude, currency, percent, century, years = 1.0, None, False, False, False
    for token in _TOKEN.findall(s):
        if token[0].isdigit():
            token = token.rstrip(".,")
        m = _DIGITS.fullmatch(token)
        if m:
            num = m.group("num")
            numbers.append((float(num.replace(",", "")), m.group("suffix") or ""))
        elif token in MAGNITUDES and numbers:
            if magnitude != 1.0:
                raise NotANumber("give one number")
            magnitude = MAGNITUDES[token]
        elif token in DOLLAR_WORDS:
            currency = "USD"
        elif token in OTHER_CURRENCIES:
            currency = "other"
        elif token in PERCENT_WORDS:
            percent = True
        elif token in ("century", "centuries", "c", "cent") and numbers:
            century = True
        elif token == "years" and numbers:
            years = True
        elif token == "half" and not numbers and unit_words & (PERCENT_WORDS | {"cent"}):
            numbers.append((50.0, ""))  # "more than half" of a percentage
        elif century_unit and _roman(token) is not None and not numbers:
            numbers.append((float(_roman(token) or 0), "th"))
        elif token[0].isdigit():
            raise NotANumber("write thousands as 1,000 and decimals with a point, like 7.5")
        elif token in FRAMING_WORDS or token in unit_words or token in context_words:
            continue
        else:
            raise NotANumber(f"{shown(token)} is not part of a number")
    if len(numbers) > 1 and len({v for v, _ in numbers}) == 1:
        numbers = numbers[:1]  # "4 (four)", "fifty (50) percent"
    if len(numbers) == 2 and _is_spoken_year(numbers):
        (hi, _), (lo, _) = numbers
        numbers = [(hi * 100 + lo, "")]
    if not numbers:
        raise NotANumber("there is no number in it")
    if len(numbers) > 1:
        raise NotANumber("give one number")
    value, suffix = numbers[0]
    decade = suffix in ("s", "'s")
    if century_unit and decade and value % 100 == 0 and value >= 100:
        value, century = value // 100 + 1, True  # "the 1600s" is the 17th century
    if not math.isfinite(value):
        raise NotANumber("give a finite number")
    if negative:
        value = -value
    return Reading(value, magnitude, currency, percent, century, decade, years)


def _is_spoken_year(numbers: list[tuple[float, str]]) -> bool:
    # "nineteen ninety one" reads as "19 91", "twenty ten" as "20 10".
    (hi, s1), (lo, s2) = numbers
    return not s1 and 10 <= hi <= 99 and hi.is_integer() and 0 <= lo <= 99 and lo.is_integer()


def _unit_words(unit: str | None) -> list[str]:
    found = _TOKEN.findall(clean(unit or ""))
    # "2 decade" answers a unit of "decades" too.
    return found + [w[:-1] for w in found if len(w) > 3 and w.endswith("s")]


def unit_magnitude(unit: str | None) -> float:
    """The magnitude a unit carries: 1e9 for "billion US dollars", 1 for "year"."""
    for word in _unit_words(unit):
        if word in MAGNITUDES and len(word) > 2:
            return MAGNITUDES[word]
    return 1.0


def unit_currency(unit: str | None) -> str | None:
    """ "USD" when the unit names dollars, "other" for another currency, else None."""
    words = set(_unit_words(unit))
    if words & DOLLAR_WORDS:
        return "USD"
    if words & OTHER_CURRENCIES:
        return "other"
    return None


def candidates(reading: Reading, *, unit: str | None) -> list[float]:
    """The values a reading may stand for in ``unit``'s terms.

    A bare "2" answering "in billions" is 2; "2bn" and "2,000,000,000" are 2 too. Twenty
    years answering "how many decades" is 2.
    """
    scale = unit_magnitude(unit)
    words = set(_unit_words(unit))
    if reading.century and not words & {"century", "centuries"}:
        return []  # "two centuries" does not answer "how many decades"
    if reading.decade and words & {"year", "years"}:
        return []  # "the 2010s" is a decade, not the year 2010
    if reading.magnitude != 1.0:
        return [reading.total / scale]
    values = [reading.value]
    if scale != 1.0:
        values.append(reading.value / scale)
    if reading.years and ("decade" in words or "decades" in words):
        values = [reading.value / 10]
    return values
