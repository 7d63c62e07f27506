"""Numbers as spreadsheets from any locale write them: "3,14", "1.234,5", "1,500".

A decimal comma and a thousands comma look alike; the import page's choice decides, and
without a choice a number that reads two ways ("1,500": fifteen hundred or one and a
half) is refused with a message, never guessed.
"""

from __future__ import annotations

import re

from ..quoting import shown

COMMA = "comma"  # 1,5 is one and a half; 1.500 is fifteen hundred
POINT = "point"  # 1.5 is one and a half; 1,500 is fifteen hundred
DECIMAL_CHOICES = (
    ("", "Not chosen: a number that reads two ways is an error"),
    (COMMA, "1,5 = one and a half (decimal comma)"),
    (POINT, "1,500 = fifteen hundred (decimal point)"),
)

_SIGN_AND_DIGITS = re.compile(r"^[+-]?[\d.,]+$")
_GROUPED = {",": re.compile(r"^\d{1,3}(?:,\d{3})+$"), ".": re.compile(r"^\d{1,3}(?:\.\d{3})+$")}


def read_number(text: str, *, decimal: str = "") -> int | float:
    """The number a cell holds, read by the locale choice; ``ValueError`` says why not."""
    raw = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not raw or not _SIGN_AND_DIGITS.match(raw) or not any(c.isdigit() for c in raw):
        raise ValueError(f"{shown(text.strip())} is not a number")
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("+-")
    value = _read_unsigned(body, text=text.strip(), decimal=decimal)
    value *= sign
    return int(value) if value.is_integer() else value


def _read_unsigned(body: str, *, text: str, decimal: str) -> float:
    commas, points = body.count(","), body.count(".")
    if commas and points:
        # Both: the last one is the decimal mark, the other groups thousands.
        mark = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _, fraction = body.rpartition(mark)
        if body.count(mark) > 1 or not _grouped(whole, group):
            raise ValueError(f"{shown(text)} is not a number")
        if decimal and mark != ("," if decimal == COMMA else "."):
            raise ValueError(f"{shown(text)} has a decimal {_name(mark)}, not the chosen one")
        return float(whole.replace(group, "") + "." + fraction)
    if not commas and not points:
        return float(body)
    mark = "," if commas else "."
    count = commas or points
    if decimal:
        chosen = "," if decimal == COMMA else "."
        if mark == chosen:
            if count > 1:
                raise ValueError(f"{shown(text)} has more than one decimal {_name(mark)}")
            return float(body.replace(mark, "."))
        if not _grouped(body, mark):
            raise ValueError(
                f"{shown(text)} is not a number with a decimal {_name(chosen)} "
                f"(the import page's choice): a {_name(mark)} there groups thousands"
            )
        return float(body.replace(mark, ""))
    # No choice: a single mark followed by exactly three digits reads two ways.
    whole, _, fraction = body.partition(mark)
    if count > 1:
        if _grouped(body, mark):
            return float(body.replace(mark, ""))
        raise ValueError(f"{shown(text)} is not a number")
    if len(fraction) == 3 and whole and whole != "0":
        raise ValueError(
            f"{shown(text)} reads two ways (one thousand-something, or a decimal): choose on the "
            "import page whether a comma is a decimal comma"
        )
    return float(f"{whole or 0}.{fraction}")


def _grouped(whole: str, group: str) -> bool:
    return group not in whole or bool(_GROUPED[group].match(whole))


def _name(mark: str) -> str:
    return "comma" if mark == "," else "point"
