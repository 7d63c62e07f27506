"""The bank list's page of rows, read by index whatever the bank's size.

The list sorts by a column with few values (section, kind, state) or by the id: each
value's questions are read in id order from an index on (column, uid), at most as many
as the page needs, and the database merges those short runs (a ``UNION ALL`` of one arm
per value). Sorting by difficulty, answers or facility has no index to read (the
difficulty is inside the revision's JSON, the figures in ``question_stat`` leave out the
unanswered questions): the database sorts every question that passes the filters. A
search first takes at most ``MATCH_BOUND`` matching questions from the text index and
sorts only those (so a search matching more shows the first of them, and the other
filters apply to those). Counts stop at ``COUNT_BOUND``: the page then says "more than".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all

from questions import SECTIONS, Kind

from ..extensions import db
from ..models import BankSection, Question, QuestionRevision, Status
from . import search
from .sorting import BoundedPage, Sort

COUNT_BOUND = 1000
MATCH_BOUND = 1000
# The sorts an index serves: each value's rank (in the sort's order) by the column.
RANKED = ("question", "section", "kind", "state")


def _section_ranks() -> list[tuple[int, str]]:
    """The bank's sections in the article's order (sections it does not know last)."""
    numbers = {s.slug: s.number for s in SECTIONS}
    present = db.session.scalars(select(BankSection.section)).all()
    return sorted(((numbers.get(s, 999), s) for s in present), key=lambda r: (r[0], r[1]))


def _ranks(column: str) -> tuple[Any, list[tuple[int, Any]]]:
    if column == "section":
        return Question.section, _section_ranks()
    if column == "kind":
        return Question.kind, list(enumerate(sorted(k.value for k in Kind)))
    return Question.status, list(enumerate(sorted(s.value for s in Status)))


def page_ids(
    filtered: Callable[..., Select[Any]],
    sort: Sort,
    fallback: dict[str, Any],
    *,
    offset: int,
    limit: int,
    bounded: bool,
) -> tuple[list[int], int | None]:
    """The ids of one page, and how many rows pass the filters if that came for free.

    ``filtered(*columns)`` selects the questions the filters keep. ``bounded``: they
    keep at most ``MATCH_BOUND + 1`` (a search), so the database sorts them all and counts
    them in the same statement (the text index is read once). ``fallback`` maps the sorts
    no index serves to their SQL expressions.
    """
    if sort.column not in RANKED or bounded:
        key = fallback[sort.column]
        order = (key.desc() if sort.descending else key.asc()).nulls_last()
        rows = db.session.execute(
            filtered(Question.id, func.count().over())
            .order_by(order, Question.uid)
            .limit(limit)
            .offset(offset)
        ).all()
        # the window's count is every filtered row's (a page past the end has none)
        return [row[0] for row in rows], (int(rows[0][1]) if rows and bounded else None)
    if sort.column == "question":
        uid = Question.uid.desc() if sort.descending else Question.uid.asc()
        stmt = filtered(Question.id).order_by(uid).limit(limit).offset(offset)
        return list(db.session.scalars(stmt)), None
    column, ranks = _ranks(sort.column)
    if not ranks:
        return [], None
    runs = [
        filtered(literal(rank).label("rank"), Question.id.label("id"), Question.uid).where(
            column == value
        )
        for rank, value in ranks
    ]
    return merged_runs(
        runs, Question.uid, descending=sort.descending, offset=offset, limit=limit
    ), None


def merged_runs(
    runs: list[Select], uid: Any, *, descending: bool, offset: int, limit: int
) -> list[int]:
    """A page of ids in (rank, uid) order from one run per value of a sort column: each
    run selects (rank, id, uid) of that value's rows and is read in uid order from an index
    on (column, uid), as many rows as the page needs; the database merges the runs. The
    bank list and the statistics page sort their few-valued columns so."""
    arms = [select(run.order_by(uid).limit(offset + limit).subquery()) for run in runs]
    merged = union_all(*arms).subquery()
    rank = merged.c.rank.desc() if descending else merged.c.rank.asc()
    stmt = select(merged.c.id).order_by(rank, merged.c.uid).limit(limit).offset(offset)
    return list(db.session.scalars(stmt))


def bounded_count(stmt: Select[Any]) -> int:
    """How many rows ``stmt`` gives, counting no further than ``COUNT_BOUND + 1``."""
    inner = stmt.limit(COUNT_BOUND + 1).subquery()
    return int(db.session.scalar(select(func.count()).select_from(inner)) or 0)


def search_matches(query: str) -> Any:
    """``MATCH_BOUND + 1`` questions at most matching ``query`` (id or text), as a
    subquery for ``Question.id.in_``: more than ``MATCH_BOUND``, and the page says "more
    than". Each of the id's and the text's matches are read up to that bound
    (:func:`search.matching_questions`), and the first of their union by id are kept."""
    matches = search.matching_questions(query, limit=MATCH_BOUND + 1).subquery()
    return select(matches.c.id).order_by(matches.c.id).limit(MATCH_BOUND + 1)


def load(ids: list[int]) -> list[Question]:
    """The questions ``ids`` with their current revisions, in that order."""
    rows = {
        q.id: q
        for q in db.session.scalars(
            select(Question)
            .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
            .options(db.contains_eager(Question.current_revision))
            .where(Question.id.in_(ids))
        )
    }
    return [rows[i] for i in ids if i in rows]


def page_of(ids: list[int], *, number: int, per_page: int, total: int) -> BoundedPage[Question]:
    """The page ``number`` of ``total`` rows (counted up to ``COUNT_BOUND + 1``); ``ids``
    holds up to one row more than a page, telling whether a next page exists."""
    bound = COUNT_BOUND
    return BoundedPage(
        load(ids[:per_page]),
        number,
        per_page,
        min(total, bound),
        more=total > bound,
        next_exists=len(ids) > per_page,
    )
