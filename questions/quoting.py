"""The one way a problem message quotes a value from a file or a form: short and bounded.

A message that printed the raw value grew with the input: a YAML alias bomb once made a
656 MB error page, a 1 MB line a 1 MB message. :func:`shown` never costs more than a few
dozen characters, whatever it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Characters of a text a message quotes; longer texts are cut and say how long they were.
SHOWN_CHARS = 40


def shown(value: Any, *, limit: int = SHOWN_CHARS) -> str:
    """A short ``repr`` of ``value`` for a message: texts cut to ``limit`` characters.

    Lists and mappings are named, not printed (they may hold anything, however deep).
    """
    if isinstance(value, Mapping):
        return f"a mapping of {len(value)} key{'s' if len(value) != 1 else ''}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} entr{'ies' if len(value) != 1 else 'y'}"
    if not isinstance(value, str):
        try:
            text = repr(value)
        except ValueError:  # an int of more digits than Python prints (sys.int_info)
            return "a number too long to show"
        return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"
