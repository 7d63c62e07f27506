"""Bring the database's questions in line with the bank files (``flask bank load``).

Idempotent: unchanged items are left alone, changed items get a new revision, new items
are added, and bank items no longer in the files are retired. Answers are never touched:
they point at the revision they answered, and revisions are never edited or deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from questions import Question as BankQuestion

from .extensions import db
from .models import Origin, Question, Status, content_hash, utcnow

# PostgreSQL advisory lock key of bank loads ("bank" in ASCII): one load at a time.
BANK_LOCK_KEY = 0x62616E6B
# How long a second load waits on SQLite for the first one's write lock (milliseconds).
SQLITE_LOCK_WAIT_MS = 10 * 60 * 1000


def lock_bank(*, on_wait: Callable[[], None]) -> None:
    """Hold the bank's write lock until the session's transaction ends (commit or rollback).

    Two concurrent ``bank load`` runs used to insert the same new questions and one ended
    in an IntegrityError traceback. PostgreSQL: a transaction-scoped advisory lock; SQLite:
    ``BEGIN IMMEDIATE``, its database-wide write lock. When another load holds it,
    ``on_wait()`` is called once, then this waits; the caller's load then finds the other
    one's work done. Call it first in the unit of work, before any query.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        if not db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": BANK_LOCK_KEY}
        ):
            on_wait()
            db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BANK_LOCK_KEY})
    elif dialect == "sqlite":
        connection = db.session.connection()
        try:
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except sa_exc.OperationalError:
                on_wait()
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_LOCK_WAIT_MS}")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql("PRAGMA busy_timeout=15000")  # security.tune_sqlite's


@dataclass
class SyncReport:
    """What a load did, question ids by outcome."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.retired)} retired, {len(self.restored)} restored, "
            f"{len(self.unchanged)} unchanged"
        )


def sync_bank(bank_questions: Iterable[BankQuestion]) -> SyncReport:
    """Apply the bank to the database in the current session (the caller commits)."""
    now = utcnow()
    report = SyncReport()
    existing = {
        q.uid: q
        for q in db.session.scalars(
            db.select(Question).options(
                db.selectinload(Question.current_revision), db.selectinload(Question.revisions)
            )
        )
    }
    seen: set[str] = set()
    for bq in bank_questions:
        seen.add(bq.id)
        data = bq.to_dict()
        row = existing.get(bq.id)
        if row is None:
            row = Question(
                uid=bq.id,
                section=bq.section,
                kind=bq.kind.value,
                status=Status.PUBLISHED.value,
                origin=Origin.BANK.value,
                created_at=now,
            )
            db.session.add(row)
            row.add_revision(data, summary="bank load: new", now=now)
            report.added.append(bq.id)
            continue
        if row.origin != Origin.BANK.value:
            # An instructor's question already uses this id: never overwrite it.
            report.conflicts.append(bq.id)
            continue
        current = row.current_revision
        if current is None or current.content_hash != content_hash(data):
            row.add_revision(data, summary="bank load: changed", now=now)
            row.section, row.kind = bq.section, bq.kind.value
            report.updated.append(bq.id)
        if row.status == Status.RETIRED.value:
            row.status = Status.PUBLISHED.value
            row.updated_at = now
            report.restored.append(bq.id)
        elif current is not None and current.content_hash == content_hash(data):
            report.unchanged.append(bq.id)
    for uid, row in existing.items():
        if (
            uid not in seen
            and row.origin == Origin.BANK.value
            and row.status != Status.RETIRED.value
        ):
            row.status = Status.RETIRED.value
            row.updated_at = now
            report.retired.append(uid)
    return report
