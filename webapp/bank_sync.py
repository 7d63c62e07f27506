"""Bring the database's questions in line with the bank files (``flask bank load``).

Idempotent: unchanged items are left alone, changed items get a new revision, new items
are added, and bank items no longer in the files are retired. Answers are never touched:
they point at the revision they answered, and revisions are never edited or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from questions import Question as BankQuestion

from .extensions import db
from .models import Origin, Question, Status, content_hash, utcnow


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
