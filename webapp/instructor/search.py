"""The instructor search: the words typed, matched as word prefixes through a text index.

One function, :func:`matching_ids`, over PostgreSQL full-text search (a GIN index on
``to_tsvector('simple', search_text)``) and SQLite FTS5 (the ``question_revision_fts``
table); see webapp/models/bank.py. The query is never handed to either engine's query
syntax as typed: it is cut to ``QUERY_MAX`` characters and split into words of letters
and digits (so quotes, ``*``, ``-``, ``:``, ``&``, ``|``, ``!``, parentheses and ``NEAR``
are separators or plain words, never operators), at most ``WORDS_MAX`` of them; every
word must begin a word of the question's text ("Shang" finds "Shanghai").
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, false, func, literal_column, select, text

from ..extensions import db
from ..models import QuestionRevision
from ..models.bank import SEARCH_CONFIG, SEARCH_FTS, search_vector

QUERY_MAX = 200
WORDS_MAX = 12
# Letters and digits: the underscore is a separator, as it is to both indexes' tokenizers.
_WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The words of a typed query, lowercased (search_text is lowercased too)."""
    return _WORD.findall(query[:QUERY_MAX].lower())[:WORDS_MAX]


def matching_ids(query: str) -> Select[Any]:
    """The ids of the revisions whose text has every word of ``query`` as a word prefix.

    A query with no word matches nothing.
    """
    terms = words(query)
    if not terms:
        return select(QuestionRevision.id).where(false())
    if db.engine.dialect.name == "sqlite":
        # Each word quoted (it holds no quote) and starred: a prefix, never an operator.
        match = " ".join(f'"{term}"*' for term in terms)
        return (
            select(literal_column("rowid", type_=db.Integer))
            .select_from(text(SEARCH_FTS))
            .where(text(f"{SEARCH_FTS} MATCH :search_match").bindparams(search_match=match))
        )
    # Letters and digits only, so no tsquery syntax can come from the user.
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return select(QuestionRevision.id).where(
        search_vector().op("@@")(func.to_tsquery(SEARCH_CONFIG, tsquery))
    )
