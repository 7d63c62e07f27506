"""The question bank in the database: one row per question, one per revision of it.

Revisions are append-only: an edit or a changed bank file adds a revision and moves
``Question.current_revision``; answers keep pointing at the revision they answered.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    DDL,
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from questions import Question as BankQuestion

from ..extensions import Model
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .user import Account, User


class Status(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Origin(str, enum.Enum):
    BANK = "bank"
    INSTRUCTOR = "instructor"


# Keys whose values are identifiers, not text a person would search for (the uid is
# searched on its own column).
_NOT_SEARCHED = frozenset({"id", "kind", "section"})
SEARCH_TEXT_MAX = 4000


def search_text(data: dict[str, Any]) -> str:
    """The words of a question for the instructor search: every string value, lowercased.

    Generic over the bank mapping (prompt, option texts, answers, items, pairs,
    explanation, note...), never its keys, so searching "kind" or "explanation" does not
    match every row. Lowercased here rather than by the database, whose ``lower()`` may
    leave non-ASCII letters alone; cut at ``SEARCH_TEXT_MAX`` characters.
    """
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.strip():
                out.append(value.strip())
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_SEARCHED:
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(data)
    return "\n".join(out).lower()[:SEARCH_TEXT_MAX]


def content_hash(data: dict[str, Any]) -> str:
    """A stable fingerprint of a question's content, to tell a changed item from the same."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Question(Model):
    """A question's identity and status; its content lives in revisions."""

    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="status"),
        CheckConstraint("origin IN ('bank', 'instructor')", name="origin"),
        # a section's published questions in id order: the study queue's next new card
        Index("ix_question_section_status_id", "section", "status", "id"),
        # the instructor's list sorted by section, kind or state: each value's questions
        # in id order (webapp/instructor/bank_list.py)
        Index("ix_question_section_uid", "section", "uid"),
        Index("ix_question_kind_uid", "kind", "uid"),
        Index("ix_question_status_uid", "status", "uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True)  # the bank's stable id
    section: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=Status.PUBLISHED.value)
    origin: Mapped[str] = mapped_column(String(20), default=Origin.BANK.value)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_revision.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    current_revision: Mapped[QuestionRevision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    revisions: Mapped[list[QuestionRevision]] = relationship(
        back_populates="question",
        foreign_keys="QuestionRevision.question_id",
        order_by="QuestionRevision.number",
    )

    def add_revision(
        self,
        data: dict[str, Any],
        *,
        author: Account | None = None,
        summary: str = "",
        now: datetime | None = None,
    ) -> QuestionRevision:
        """Append a revision holding ``data`` and make it current."""
        number = 1 + max((r.number for r in self.revisions), default=0)
        rev = QuestionRevision(
            question=self,
            number=number,
            data=data,
            content_hash=content_hash(data),
            search_text=search_text(data),
            # by id: the author may be the request's row (``SignedIn``), not a mapped User
            author_id=None if author is None else author.id,
            summary=summary,
            created_at=now or utcnow(),
        )
        self.current_revision = rev
        self.updated_at = rev.created_at
        return rev

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.uid} {self.status}>"


class QuestionRevision(Model):
    """One version of a question's content: ``data`` is ``questions.Question.to_dict()``."""

    __tablename__ = "question_revision"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    # What the instructor search matches: see search_text(). Written with the revision and
    # read only by the text index, so no page that loads revisions fetches it.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship(
        back_populates="revisions", foreign_keys=[question_id]
    )
    author: Mapped[User | None] = relationship()

    def to_question(self) -> BankQuestion:
        """The revision's content as the bank's domain object (for grading and rendering)."""
        return BankQuestion.from_dict(self.data)

    def __repr__(self) -> str:
        return f"<QuestionRevision {self.question_id}#{self.number}>"


# --- the instructor search's text index (webapp/instructor/search.py reads it) ----------
# PostgreSQL: a GIN index over the words of search_text ("simple": no stemming, no stop
# words, so a word matches as typed). SQLite: an FTS5 table holding no copy of the text
# (content= the revision table), kept in step by triggers, so every way of saving a
# revision (the editor, a bank sync, an import, a migration) indexes it. Both are made by
# db.create_all() here and by migration 0010_search_index; neither is a mapped table, so
# tests/webapp/test_migrations.py leaves them out of its comparison.
SEARCH_CONFIG: Any = literal_column("'simple'::regconfig")
SEARCH_FTS = "question_revision_fts"


def search_vector() -> Any:
    """The indexed expression; a query must repeat it exactly for PostgreSQL to use it."""
    return func.to_tsvector(SEARCH_CONFIG, QuestionRevision.search_text)


SQLITE_SEARCH_DDL = (
    f"CREATE VIRTUAL TABLE {SEARCH_FTS} USING fts5(search_text,"
    " content='question_revision', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {SEARCH_FTS}_insert AFTER INSERT ON question_revision BEGIN"
    f" INSERT INTO {SEARCH_FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {SEARCH_FTS}_delete AFTER DELETE ON question_revision BEGIN"
    f" INSERT INTO {SEARCH_FTS}({SEARCH_FTS}, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {SEARCH_FTS}_update AFTER UPDATE OF search_text ON question_revision"
    f" BEGIN INSERT INTO {SEARCH_FTS}({SEARCH_FTS}, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    f" INSERT INTO {SEARCH_FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def in_models(name: str | None, type_: str, parent_names: Any) -> bool:  # noqa: ARG001
    """Alembic's ``include_name``: leave out the FTS5 table and its shadow tables
    (``question_revision_fts_data``...), which SQLite creates, and the PostgreSQL
    expression index, which autogenerate cannot compare on SQLite: neither is in the
    models' metadata (DDL events above make them), both are written by hand in migration
    0010_search_index."""
    if type_ == "table" and name is not None and name.startswith(SEARCH_FTS):
        return False
    return not (type_ == "index" and name == "ix_question_revision_search")


for _statement in SQLITE_SEARCH_DDL:
    event.listen(
        QuestionRevision.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
event.listen(
    QuestionRevision.__table__,
    "after_create",
    DDL(
        "CREATE INDEX ix_question_revision_search ON question_revision"
        " USING gin (to_tsvector('simple'::regconfig, search_text))"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    QuestionRevision.__table__,
    "before_drop",
    DDL(f"DROP TABLE IF EXISTS {SEARCH_FTS}").execute_if(dialect="sqlite"),
)
