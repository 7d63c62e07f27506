"""The database's bank back to bank files: for ``flask bank dump DIR`` and the download."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from questions import SECTIONS
from questions import Question as BankQuestion
from questions.formats import dump_bank

from .extensions import db
from .models import Question, Status

_SECTION_ORDER = {s.slug: s.number for s in SECTIONS}


def published_questions() -> list[BankQuestion]:
    """Every published question's current revision, in article order then creation order.

    Drafts and retired questions stay out: a file in ``questions/bank`` is published by
    ``bank load``, so committing a draft there would publish it.
    """
    rows = db.session.scalars(
        db.select(Question)
        .options(db.joinedload(Question.current_revision))
        .where(Question.status == Status.PUBLISHED.value, Question.current_revision_id.is_not(None))
        .order_by(Question.id)
    )
    questions = [row.current_revision.to_question() for row in rows]
    return sorted(questions, key=lambda q: _SECTION_ORDER.get(q.section, len(SECTIONS)))


def bank_files() -> dict[str, str]:
    """File name -> bank-file text of the published bank."""
    return dump_bank(published_questions())


def write_bank(directory: str | Path) -> list[Path]:
    """Write the bank files into ``directory`` (created if needed); the paths written."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in bank_files().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def bank_zip() -> bytes:
    """A zip archive of the bank files, under a ``bank/`` folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in bank_files().items():
            # A fixed date keeps the archive identical while the bank is.
            info = zipfile.ZipInfo(f"bank/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()
