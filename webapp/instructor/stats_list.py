"""The statistics page's page of rows, read by index whatever the number of answered
questions.

Every order the page offers is kept as columns of ``question_stat`` with an index in that
order, ties by uid ascending in both directions (``webapp.stat_keys``): the question's
uid; answers, students and facility (an index each way); the discrimination behind a
"has none" key, so that items without one come last both ways. Section, state and
review have few values: each value's rows are read in uid order from an index on
(column, uid), at most as many as the page needs, and the database merges those short
runs (a ``UNION ALL`` of one arm per value), as the bank list does (``bank_list``).

With a filter (a section, "flagged"), the page has counted the rows it keeps, up to
``COUNT_BOUND``. At most that many: they are read through the filter's index and sorted
(a bounded sort). More: the filter is written so that no index can serve it
(``section || ''``, ``review + 0``), and the database walks the sort's index, skipping
the rows the filter drops, until the page is full: about page size x (all rows / kept
rows) entries, which stays under page size x (all rows / ``COUNT_BOUND``) and does not
grow as the history grows in proportion.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, literal, select

from questions import SECTIONS

from ..extensions import db
from ..models import BankSection, QuestionStat, Status
from ..stat_keys import FLAGGED, REVIEW_LEVELS
from .bank_list import merged_runs
from .sorting import Sort

# the sorts read from an index in the sort's own order, by their key columns
ORDERED: dict[str, tuple[Any, ...]] = {
    "question": (),
    "answers": (QuestionStat.answers,),
    "students": (QuestionStat.students,),
    "facility": (QuestionStat.facility,),
    "discrimination": (QuestionStat.no_discrimination, QuestionStat.discrimination),
}


def _filters(
    *, section: str | None, flagged: bool, index_section: bool, index_review: bool
) -> list[ColumnElement[bool]]:
    """The rows the filters keep; a filter not to be read by index is written so that no
    index can serve it. (Every kept row has answers: the test is written the same way.)"""
    qs = QuestionStat
    out: list[ColumnElement[bool]] = [(qs.answers + 0) > 0]
    if section:
        out.append((qs.section if index_section else qs.section + "") == section)
    if flagged:
        out.append((qs.review if index_review else qs.review + 0) >= FLAGGED)
    return out


def matching(*, section: str | None, flagged: bool) -> Select[Any]:
    """The answered questions the filters keep, for a bounded count."""
    return select(QuestionStat.question_id).where(
        *_filters(section=section, flagged=flagged, index_section=True, index_review=True)
    )


def _section_ranks(only: str | None) -> list[tuple[int, str]]:
    """The sections in the article's order (the ones it does not know last, together)."""
    numbers = {s.slug: s.number for s in SECTIONS}
    present = db.session.scalars(select(BankSection.section)).all()
    return sorted((numbers.get(s, 999), s) for s in present if only is None or s == only)


def _ranks(column: str, *, section: str | None, flagged: bool) -> tuple[Any, list[tuple[int, Any]]]:
    qs = QuestionStat
    if column == "section":
        return qs.section, _section_ranks(section)
    if column == "state":
        return qs.status, list(enumerate(sorted(s.value for s in Status)))
    levels = [level for level in REVIEW_LEVELS if not flagged or level >= FLAGGED]
    return qs.review, [(level, level) for level in levels]


def _unindexed(column: Any) -> Any:
    """The column as an expression no index serves (the same values, the same order)."""
    return column + ("" if isinstance(column.type, String) else 0)


def _few_ids(
    sort: Sort, *, section: str | None, flagged: bool, offset: int, limit: int
) -> list[int]:
    """One page of the few rows the filters keep (``COUNT_BOUND`` at most), read through
    the filters' indexes and sorted: the order is written so that no index serves it, or
    the database could walk the sort's index past every row the filters drop."""
    qs = QuestionStat
    if sort.column == "section":
        numbers = {s.slug: s.number for s in SECTIONS}
        keys = [case(numbers, value=qs.section, else_=999)]
    elif sort.column == "state":
        keys = [_unindexed(qs.status)]
    elif sort.column == "review":
        keys = [_unindexed(qs.review)]
    else:
        keys = [_unindexed(k) for k in ORDERED[sort.column]]
    order = [k.desc() if sort.descending else k.asc() for k in keys]
    if sort.column == "discrimination":  # items without one last whichever the direction
        order[0] = keys[0].asc()
    uid = _unindexed(qs.uid)
    tie = uid.desc() if sort.column == "question" and sort.descending else uid.asc()
    where = _filters(section=section, flagged=flagged, index_section=True, index_review=True)
    stmt = select(qs.question_id).where(*where).order_by(*order, tie)
    return list(db.session.scalars(stmt.limit(limit).offset(offset)))


def page_ids(
    sort: Sort, *, section: str | None, flagged: bool, few: bool, offset: int, limit: int
) -> list[int]:
    """The question ids of one page of the statistics, in the page's order.

    ``few``: the filters keep at most ``COUNT_BOUND`` rows (the page counted them), so
    a filtered page sorts those instead of walking the sort's index past the others.
    """
    qs = QuestionStat
    if few and (section or flagged):
        return _few_ids(sort, section=section, flagged=flagged, offset=offset, limit=limit)
    if sort.column in ORDERED:
        keys = [k.desc() if sort.descending else k.asc() for k in ORDERED[sort.column]]
        # the no-discrimination key puts items without one last whichever the direction
        if sort.column == "discrimination":
            keys[0] = qs.no_discrimination.asc()
        uid = qs.uid.desc() if sort.column == "question" and sort.descending else qs.uid.asc()
        by_uid = sort.column == "question"  # the section's (section, uid) index serves it
        where = _filters(section=section, flagged=flagged, index_section=by_uid, index_review=False)
        stmt = select(qs.question_id).where(*where).order_by(*keys, uid)
        return list(db.session.scalars(stmt.limit(limit).offset(offset)))
    column, ranks = _ranks(sort.column, section=section, flagged=flagged)
    where = _filters(
        section=None if sort.column == "section" else section,
        flagged=flagged and sort.column != "review",
        index_section=False,
        index_review=False,
    )
    if not ranks:
        return []
    runs = [
        select(literal(rank).label("rank"), qs.question_id.label("id"), qs.uid.label("uid")).where(
            column == value, *where
        )
        for rank, value in ranks
    ]
    return merged_runs(runs, qs.uid, descending=sort.descending, offset=offset, limit=limit)
