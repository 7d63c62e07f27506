"""The statistics page's sort keys, as SQL over an item's sums (``question_stat``).

The page sorts and pages in the database by index, so each key it sorts by is a column
kept beside the sums (``webapp.models.aggregates.QuestionStat``), written with them: by
the end of a quiz (``aggregates.note_finished``, from the old sums plus the quiz's), by a
recount (``refresh_questions``, ``rebuild``) and by :func:`key_values` over a row's own
sums. The expressions here are the one definition of those keys; they follow
``webapp.instructor.stats`` (``pearson``, ``flags_for``) operation for operation, so a
key and the figure the page shows beside it agree.

``review`` orders the review column in one number: 0 while fewer than the minimum of
students answered (``STATS_MIN_STUDENTS``), else 1 + the number of flags. It depends on
that setting and on the thresholds below: each row records the :func:`version` it was
keyed with (``keyed``; 0 for a row never keyed: written behind the app's back, or by
migration 0013), and the page re-keys the rows of another version from their own sums
before it sorts (``aggregates.rekey``), once after a change.
"""

from __future__ import annotations

import zlib
from typing import Any

from flask import current_app
from sqlalchemy import Float, Integer, case, func, literal_column

FACILITY_LOW = 0.2
FACILITY_HIGH = 0.95
DISCRIMINATION_LOW = 0.2


def min_students() -> int:
    """The fewest answering students before an item may be flagged (a setting)."""
    return int(current_app.config["STATS_MIN_STUDENTS"])


def version(minimum: int) -> int:
    """The keys' version for ``minimum`` students and the thresholds above: a positive
    31-bit number (0 marks a row never keyed)."""
    text = f"{minimum}|{FACILITY_LOW}|{FACILITY_HIGH}|{DISCRIMINATION_LOW}"
    return (zlib.crc32(text.encode()) & 0x7FFFFFFF) or 1


def key_values(
    *, n: Any, students: Any, sx: Any, sy: Any, sxx: Any, syy: Any, sxy: Any, minimum: int
) -> dict[str, Any]:
    """The sort keys of an item with these sums (SQL expressions), by column name.

    ``facility`` is the mean score (0 with no answers, which a kept row never has);
    ``discrimination`` is :func:`~webapp.instructor.stats.pearson`'s r, None where it gives
    None, and ``no_discrimination`` 1 then (the page puts those last in both directions,
    which an index in either order serves as ``(no_discrimination, discrimination)``);
    ``review`` as the module says.
    """
    zero, one = _int(0), _int(1)
    facility = sx / func.nullif(n, zero)
    cov = n * sxy - sx * sy
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    tiny = _float(1e-12)
    defined = (n >= _int(2)) & (vx > tiny) & (vy > tiny)
    # the same operations in the same order as pearson(), so equal values tie exactly
    discrimination = case((defined, cov / func.sqrt(vx * vy, type_=Float)), else_=None)
    low_facility, high_facility = _float(FACILITY_LOW), _float(FACILITY_HIGH)
    extreme = case((facility < low_facility, one), else_=zero) + case(
        (facility > high_facility, one), else_=zero
    )
    low = case(
        (defined, case((discrimination < _float(DISCRIMINATION_LOW), one), else_=zero)),
        ((facility >= low_facility) & (facility <= high_facility), one),
        else_=zero,
    )
    flags = case((facility.is_not(None), extreme + low), else_=zero)
    return {
        "facility": func.coalesce(facility, _float(0.0)),
        "discrimination": discrimination,
        "no_discrimination": case((defined, zero), else_=one),
        "review": case((students >= _int(minimum), one + flags), else_=zero),
        "keyed": _int(version(minimum)),
    }


def _int(value: int) -> Any:
    """A whole number written into the SQL, not bound: the statement that ends a quiz
    runs once per item, and a bound constant is one more parameter per row."""
    return literal_column(str(int(value)), Integer)


def _float(value: float) -> Any:
    """A number written into the SQL (``repr`` gives back the same double)."""
    return literal_column(repr(float(value)), Float)


# review levels: not enough students; enough and no flag; one flag; two flags
REVIEW_LEVELS = (0, 1, 2, 3)
FLAGGED = 2  # the levels with a flag start here
