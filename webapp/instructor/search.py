"""The instructor search: the words typed, matched as whole words through a text index,
the last one as the start of a word.

One function, :func:`matching_ids`, over PostgreSQL full-text search (a GIN index on
``to_tsvector('simple', search_text)``) and SQLite FTS5 (the ``question_revision_fts``
table); see webapp/models/bank.py. The query is never handed to either engine's query
syntax as typed: it is cut to ``QUERY_MAX`` characters and split into words of letters
and digits (so quotes, ``*``, ``-``, ``:``, ``&``, ``|``, ``!``, parentheses and ``NEAR``
are separators or plain words, never operators), at most ``WORDS_MAX`` of them. Every
word must be a word of the question's text, except the last one typed, which may be the
start of one ("trade shang" finds "trade ... Shanghai"), as search boxes that search as
you type read a query: the words before the last are finished. A number (digits only)
is a whole word even when last: "12" finds 12, not 120 or 1200. A whole word is one
entry of the index, read in step with the others and skipped through; a prefix has to
gather the entries of every word it begins (in FTS5, the postings of each, whatever the
other words), and a common one ("number" in every generated question) costs as much as
the bank is large: one such word at most, and only where it is still being typed.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Integer, Select, column, false, func, select, table, text, union

from ..extensions import db
from ..models import Question, QuestionRevision
from ..models.bank import SEARCH_CONFIG, SEARCH_FTS, search_vector

QUERY_MAX = 200
WORDS_MAX = 12
# Letters and digits: the underscore is a separator, as it is to both indexes' tokenizers.
_WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The words of a typed query, lowercased (search_text is lowercased too)."""
    return _WORD.findall(query[:QUERY_MAX].lower())[:WORDS_MAX]


def uid_prefix(query: str) -> Any:
    """The condition "the question's id starts with what was typed", read from the uid's
    unique index: a range (``uid >= p AND uid < p'``, p' = p with its last character
    moved one up) that an index can serve, plus a LIKE that keeps it exact."""
    typed = query[:QUERY_MAX].strip().lower()
    if not typed:
        return false()
    upper = typed[:-1] + chr(ord(typed[-1]) + 1)
    return (
        (Question.uid >= typed)
        & (Question.uid < upper)
        & Question.uid.startswith(typed, autoescape=True)
    )


def terms(query: str) -> list[tuple[str, bool]]:
    """The words of ``query``, each with whether it may be the start of a word: only the
    last one typed, unless it is a number."""
    typed = words(query)
    return [(word, i == len(typed) - 1 and not word.isdigit()) for i, word in enumerate(typed)]


def _fts_query(typed: list[tuple[str, bool]]) -> str:
    """FTS5's query: each word quoted (it holds no quote), the prefix starred; never an
    operator."""
    return " ".join(f'"{word}"*' if prefix else f'"{word}"' for word, prefix in typed)


def _tsquery(typed: list[tuple[str, bool]]) -> Any:
    """PostgreSQL's query: letters and digits only, so no tsquery syntax can come from
    the user."""
    tsquery = " & ".join(f"{word}:*" if prefix else word for word, prefix in typed)
    return func.to_tsquery(SEARCH_CONFIG, tsquery)


def _fts_table() -> Any:
    return table(SEARCH_FTS, column("rowid", Integer))


def _fts_match(typed: list[tuple[str, bool]]) -> Any:
    return text(f"{SEARCH_FTS} MATCH :search_match").bindparams(search_match=_fts_query(typed))


def matching_ids(query: str) -> Select[Any]:
    """The ids of the revisions whose text has every word of ``query`` as a word, the
    last one (not a number) perhaps as the start of a word.

    A query with no word matches nothing.
    """
    typed = terms(query)
    if not typed:
        return select(QuestionRevision.id).where(false())
    if db.engine.dialect.name == "sqlite":
        fts = _fts_table()
        return select(fts.c.rowid).where(_fts_match(typed))
    return select(QuestionRevision.id).where(search_vector().op("@@")(_tsquery(typed)))


def current_matches(query: str, *, limit: int) -> Select[Any]:
    """The ids of the first ``limit`` questions whose current revision matches ``query``
    (:func:`matching_ids`), in the order those revisions were saved.

    In that order because it is the text index's own (an FTS5 table yields its rowids,
    the revision ids, in order): SQLite reads the index only until ``limit`` current
    revisions are found, and a word in every question of a large bank costs no more than
    a rare one. (In question id order, every match would be read and sorted first.)
    """
    typed = terms(query)
    if not typed:
        return select(Question.id).where(false())
    current = (Question.id == QuestionRevision.question_id) & (
        Question.current_revision_id == QuestionRevision.id
    )
    if db.engine.dialect.name == "sqlite":
        fts = _fts_table()
        return (
            select(Question.id)
            .select_from(fts)
            .join(QuestionRevision, QuestionRevision.id == fts.c.rowid)
            .join(Question, current)
            .where(_fts_match(typed))
            .order_by(fts.c.rowid)
            .limit(limit)
        )
    return (
        select(Question.id)
        .select_from(QuestionRevision)
        .join(Question, current)
        .where(search_vector().op("@@")(_tsquery(typed)))
        .order_by(QuestionRevision.id)
        .limit(limit)
    )


def matching_questions(query: str, *, limit: int) -> Any:
    """The ids of the questions the list shows for ``query``: the first ``limit`` whose
    id starts with it (by id), and the first ``limit`` whose current revision's text
    matches it (:func:`current_matches`).

    A union of two bounded index reads (the uid's index; the text index, then the
    revision and its question by primary key), so that the list filters by
    ``question.id IN (...)`` instead of testing an OR across two tables on every question
    of the bank.
    """
    by_uid = select(Question.id).where(uid_prefix(query)).order_by(Question.uid).limit(limit)
    by_text = current_matches(query, limit=limit)
    return union(select(by_uid.subquery().c.id), select(by_text.subquery().c.id))
