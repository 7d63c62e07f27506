"""The database's published questions as Anki packages, for the downloads and the command.

Only published questions go in (drafts and retired ones stay out), instructor-added ones
included, each as its current revision. A note's modification time is its revision's
``created_at``: Anki applies a re-imported note only when that time is newer than its
copy's, so an edit (a new revision) updates the note and everything else is left alone.

Packages for the downloads are cached per process, keyed by the selection's version: a
counter per section that every flush changing one of its questions (an edit, a new
question, a status change) moves, kept in ``bank_section`` (``webapp.aggregates``). A
download costs one small query (the key, a row per section whatever the bank's size) on
a hit and one more (the questions) when it builds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from questions import SECTIONS, SECTIONS_BY_SLUG
from questions import Question as BankQuestion
from questions.anki import ExportError, export_anki_bytes

from .. import aggregates
from ..extensions import db
from ..models import Question, QuestionRevision, Status

__all__ = [
    "DeckCache",
    "DeckFile",
    "NothingToExport",
    "build_deck",
    "check_section",
    "deck_filename",
    "published_counts",
    "published_questions",
]

DECK_BASENAME = "russia-china-relations"


class NothingToExport(ExportError):
    """The selection holds no published question (a 404 on the site, not a fault)."""


@dataclass(frozen=True)
class DeckFile:
    """A built package: its bytes, number of notes and a fingerprint of what went in."""

    data: bytes
    count: int
    key: str


def deck_filename(section: str | None = None) -> str:
    """``russia-china-relations.apkg``, or ``russia-china-relations-SLUG.apkg``."""
    return f"{DECK_BASENAME}-{section}.apkg" if section else f"{DECK_BASENAME}.apkg"


def check_section(section: str | None) -> None:
    """Raise ``ExportError`` for a slug that names no section (the message lists them)."""
    if section is not None and section not in SECTIONS_BY_SLUG:
        known = ", ".join(s.slug for s in SECTIONS)
        raise ExportError(f"unknown section {section!r}; known sections: {known}")


def _published(section: str | None):
    """The WHERE clause shared by every query here: published, of the section if given."""
    clauses = [Question.status == Status.PUBLISHED.value, Question.current_revision_id.is_not(None)]
    if section is not None:
        clauses.append(Question.section == section)
    return clauses


def published_counts() -> dict[str, int]:
    """Published questions per section slug: the bank's kept counters, a row a section."""
    return aggregates.published_counts()


def published_questions(
    section: str | None = None, *, key: str | None = None
) -> tuple[list[BankQuestion], dict[str, datetime], str]:
    """(questions, modified times by id, cache key) of the published selection, one query
    (and one for the key unless given).

    Raises:
        ExportError: an unknown section; ``NothingToExport`` when nothing is published.
    """
    check_section(section)
    # The key is read before the rows: a change made in between only costs a rebuild.
    key = key if key is not None else _current_key(section)
    rows = db.session.execute(
        db.select(QuestionRevision.id, QuestionRevision.data, QuestionRevision.created_at)
        .join(Question, Question.current_revision_id == QuestionRevision.id)
        .where(*_published(section))
        .order_by(Question.id)
    ).all()
    if not rows:
        where = f" in section {section!r}" if section else ""
        raise NothingToExport(f"no published questions to export{where}")
    questions = [BankQuestion.from_dict(data) for _, data, _ in rows]
    modified = {q.id: created for q, (_, _, created) in zip(questions, rows, strict=True)}
    return questions, modified, key


def _key(section: str | None, version: int) -> str:
    return f"{section or ''}|{version}"


def _current_key(section: str | None) -> str:
    """The cache key of the selection as it is now: the bank's version, one row a section.

    Any change to a question moves its section's version (``webapp.aggregates``), and the
    version is read before the rows a package is built from, so a change made meanwhile
    only makes the next download build again.
    """
    return _key(section, aggregates.bank_version(section))


def build_deck(section: str | None = None, *, key: str | None = None) -> DeckFile:
    """The package of the published questions (of one section), built now."""
    questions, modified, key = published_questions(section, key=key)
    data, count = export_anki_bytes(questions, modified=modified)
    return DeckFile(data=data, count=count, key=key)


class DeckCache:
    """Built packages per selection, reused while the selection's revisions are unchanged.

    One entry per selection (the whole deck and each section), replaced when its key
    moves, so memory stays at a few packages whatever the history.
    """

    def __init__(self) -> None:
        self._entries: dict[str | None, DeckFile] = {}
        self._lock = threading.Lock()

    def get(self, section: str | None = None) -> DeckFile:
        """The package for ``section`` (None: the whole deck); raises ``ExportError``.

        ``NothingToExport`` when nothing is published there; any other ``ExportError``
        is a question the exporter refuses, a fault to log rather than a 404.
        """
        check_section(section)
        key = _current_key(section)
        cached = self._entries.get(section)
        if cached is not None and cached.key == key:
            return cached
        deck = build_deck(section, key=key)  # the key read before the rows
        with self._lock:
            self._entries[section] = deck
        return deck

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
