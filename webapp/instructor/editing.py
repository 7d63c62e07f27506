"""Saving questions from the instructor's forms and imports: revisions, diffs, life cycle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from questions import SECTIONS
from questions import Question as BankQuestion
from questions.display import cloze_filled
from questions.formats import ParsedItem
from questions.formats.common import slugify

from ..extensions import db
from ..models import Account, Origin, Question, QuestionRevision, Status, utcnow

# Field order of a diff: the bank's key order.
FIELD_ORDER = (
    "id",
    "kind",
    "section",
    "paragraphs",
    "difficulty",
    "tags",
    "prompt",
    "options",
    "answer",
    "accept",
    "tolerance",
    "unit",
    "items",
    "pairs",
    "distractors",
    "explanation",
    "note",
)


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two revisions."""

    field: str
    old: Any
    new: Any


def normalised(mapping: dict[str, Any]) -> dict[str, Any]:
    """The canonical stored form of a bank mapping (as ``Question.to_dict`` writes it)."""
    return BankQuestion.from_dict(mapping).to_dict()


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ between two stored mappings, in bank order.

    Both are read back through the bank's model first: the JSON column keeps only string
    keys, so a cloze's ``accept`` would otherwise always look changed.
    """
    old = normalised(old) if old else {}
    new = normalised(new)
    keys = [k for k in FIELD_ORDER if k in old or k in new]
    keys += sorted((set(old) | set(new)) - set(FIELD_ORDER))
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def create_question(
    mapping: dict[str, Any],
    *,
    author: Account | None,
    status: Status = Status.DRAFT,
    summary: str = "created",
) -> Question:
    """Add a new instructor question with its first revision (the caller commits)."""
    data = normalised(mapping)
    now = utcnow()
    row = Question(
        uid=data["id"],
        section=data["section"],
        kind=data["kind"],
        status=status.value,
        origin=Origin.INSTRUCTOR.value,
        created_at=now,
    )
    db.session.add(row)
    row.add_revision(data, author=author, summary=summary, now=now)
    return row


def update_question(
    row: Question, mapping: dict[str, Any], *, author: Account | None
) -> QuestionRevision | None:
    """Record an edit as a new revision, or None if nothing changed (the caller commits).

    The id and the kind stay; answers keep the revision they answered.
    """
    data = normalised({**mapping, "id": row.uid, "kind": row.kind})
    old = row.current_revision.data if row.current_revision else None
    diff = changes(old, data)
    if not diff:
        return None
    summary = "changed " + ", ".join(c.field for c in diff)
    rev = row.add_revision(data, author=author, summary=summary)
    row.section = data["section"]
    _take_over(row)
    return rev


def set_status(row: Question, status: Status) -> bool:
    """Move a question through its life cycle; False if it is already there."""
    if row.status == status.value:
        return False
    row.status = status.value
    row.updated_at = utcnow()
    _take_over(row)
    return True


def _take_over(row: Question) -> None:
    # Once an instructor has changed a question from the bank files, ``bank load`` must
    # not undo it (it would revert the text or revive a retired item): the question is
    # the instructor's from now on, until ``bank dump`` brings it back into the files.
    row.origin = Origin.INSTRUCTOR.value


def existing_uids(uids: Iterable[str] | None = None) -> set[str]:
    """Question ids already in the database (all of them, or those among ``uids``)."""
    stmt = db.select(Question.uid)
    if uids is not None:
        stmt = stmt.where(Question.uid.in_(list(uids)))
    return set(db.session.scalars(stmt))


def made_uid(section: str, prompt: str) -> str:
    """An id for a new question from its section and prompt, not already in use.

    The shape the imports give (``history-which-year-did-...``), so an instructor no
    longer has to invent one; the form shows it, editable until the first save.
    """
    slug = slugify(cloze_filled(prompt))  # a gap text's words, not its {{c1::...}} marks
    slugs = {s.slug for s in SECTIONS}
    prefixed = any(slug.startswith(s + "-") for s in slugs)
    base = slug if prefixed or section not in slugs else f"{section}-{slug}"
    taken = {
        u for u in db.session.scalars(db.select(Question.uid).where(Question.uid.startswith(base)))
    }
    uid, n = base, 2
    while uid in taken:
        uid, n = f"{base}-{n}", n + 1
    return uid


def import_items(
    items: Sequence[ParsedItem], *, author: Account | None, status: Status, source: str
) -> list[Question]:
    """Add every parsed question in the current transaction (the caller commits or rolls
    back, so an import is all or nothing)."""
    rows = [
        create_question(
            item.question.to_dict(), author=author, status=status, summary=f"imported from {source}"
        )
        for item in items
    ]
    db.session.flush()
    return rows
