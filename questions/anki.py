"""Anki decks from bank questions: the only module that imports genanki.

``build_package`` turns any iterable of :class:`~questions.model.Question` into a
``genanki.Package``: a parent deck named after the article with one subdeck per section
(``<article>::03 Engagements in ...``, so they sort in article order), one note per
question. ``export_anki`` writes it to an ``.apkg`` file atomically. The bank files and the
database both feed it, since it only sees ``Question`` objects.

Stability. Note type ids are the constants below and never change, nor do the note
types' field and template names (see below what Anki does otherwise). Each note's GUID is
``genanki.guid_for(question.id)`` and each deck id comes from its section slug
(:func:`deck_id_for`), so the same bank gives the same notes, ids and GUIDs every time;
with the same modification times the package is the same, byte for byte.

Modification times. Anki (checked with the ``anki`` library, 26.x, default import options)
matches a re-imported note by GUID and then:
  * a note whose modification time is *newer* than the collection's copy is reported
    "updated" and takes the new fields - even when its fields are unchanged;
  * a note whose modification time is the same or older is skipped (reported "duplicate"),
    even when its fields changed: the correction is silently lost;
  * a new note keeps the modification time it was exported with;
  * a note type with a known id and the same fields and templates is reused; its CSS and
    templates are replaced only when its own modification time is newer
    (``TEMPLATES_REVISED``); renaming a field instead makes Anki add a copy
    ("Russia-China Q&A+") and report the notes "conflicting", not updated.
The tests in ``tests/questions/test_anki.py`` hold each of these. So a note's ``mod`` must
move forward exactly when its question changes. Callers pass ``modified`` (question id ->
aware datetime of the question's last change): the database has one per revision, and for
bank files :func:`questions.revisions.bank_modified_times` takes the newest git commit that
touched the question's lines (the file's mtime for uncommitted edits). A question without
an entry gets the package timestamp (the export time by default): always applied, at the
cost of being reported "updated" on every re-import. Review history lives on the cards,
which an update leaves alone.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import itertools
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import genanki

from .digests import load_digests
from .display import html_escape, source_label
from .kinds import Kind, spec
from .model import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG, Question, Section

__all__ = [
    "CLOZE_MODEL_ID",
    "QA_MODEL_ID",
    "ExportError",
    "ExportResult",
    "build_package",
    "deck_id_for",
    "deck_name_for",
    "export_anki",
    "export_anki_bytes",
    "guid_for",
    "note_tags",
    "select_questions",
]

# Generated once with random.randrange(1 << 30, 1 << 31). NEVER change them: Anki knows
# the note types by these ids, and a new id means a second note type in every collection.
QA_MODEL_ID = 1201942945
CLOZE_MODEL_ID = 1387519361

# The note types' own modification time (Unix seconds). Bump it when CSS or template
# *content* changes, so Anki's "update note types if newer" applies the new look. Never
# rename fields or templates: that makes Anki copy the note type instead.
TEMPLATES_REVISED = 1795914000  # 2026-11-29: the paragraph digest on the back

CSS = """\
.card {
  --fg: #1d232a; --bg: #fdfcf8; --muted: #5b6470; --accent: #0b5cad;
  --good: #1d6b35; --rule: #d7d3c8; --panel: #f1efe7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left;
  color: var(--fg); background-color: var(--bg);
  max-width: 40em; margin: 0 auto; padding: 0.6em;
}
/* Anki desktop puts "nightMode" on the card element, AnkiDroid "night_mode". */
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e8e6e1; --bg: #1e2024; --muted: #a3abb5; --accent: #7db7f0;
  --good: #7fd19b; --rule: #3a3f47; --panel: #2a2d33;
}
.meta { font-size: 0.7em; color: var(--muted); text-transform: uppercase;
        letter-spacing: 0.04em; margin-bottom: 0.6em; }
.prompt { font-weight: 600; }
.instruction { font-size: 0.85em; font-weight: normal; color: var(--muted);
               margin-top: 0.4em; }
.options ol, .options ul { margin: 0.5em 0; padding-left: 1.6em; }
.options li { margin: 0.2em 0; }
.columns { display: flex; flex-wrap: wrap; gap: 0 2em; }
.columns > div { flex: 1 1 12em; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 0.8em 0; }
.answer { color: var(--good); font-weight: 600; }
.answer ol, .answer ul { font-weight: 600; }
.accepted { font-size: 0.85em; font-weight: normal; color: var(--muted); }
.explanation { margin-top: 0.7em; padding: 0.5em 0.7em; background: var(--panel);
               border-radius: 6px; }
.note { margin-top: 0.5em; font-size: 0.85em; font-style: italic; color: var(--muted); }
.source { margin-top: 0.7em; font-size: 0.75em; color: var(--muted); }
.digest { margin-top: 0.4em; font-size: 1.15em; border-left: 3px solid var(--rule);
          padding-left: 0.6em; color: var(--fg); }
.cloze { font-weight: bold; color: var(--accent); }
"""

_QA_FIELDS = ["Prompt", "Options", "Answer", "Explanation", "Source", "Note", "Kind", "Id"]
_CLOZE_FIELDS = ["Text", "Accepted", "Explanation", "Source", "Note", "Id"]

_BACK_EXTRA = (
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Note}}<div class="note">{{Note}}</div>{{/Note}}'
    '<div class="source">{{Source}}</div>'
)


class ExportError(ValueError):
    """An export that cannot be done as asked: unknown section, nothing to export, bad path."""


@dataclass(frozen=True)
class ExportResult:
    """What ``export_anki`` wrote: how many notes, where."""

    count: int
    path: Path


class _Model(genanki.Model):
    """A note type whose modification time is ``TEMPLATES_REVISED``, not the export time."""

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        data = super().to_json(timestamp, deck_id)
        data["mod"] = TEMPLATES_REVISED
        return data


class _Note(genanki.Note):
    """A note with its own modification time (Unix seconds) instead of the package's."""

    def __init__(
        self, *args, mod: int | None = None, card_ords: tuple[int, ...] = (0,), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mod = mod
        # Known from the question (one card, or one per cloze deletion); genanki would
        # work them out again per note from the templates, which costs more than the rest.
        # ``cards`` is a cached property in genanki, so setting it here replaces it.
        self.cards = [genanki.Card(ord_) for ord_ in card_ords]

    # Our tags are valid by construction (note_tags strips whitespace), so skip genanki's
    # per-tag check, which costs more than building the tags.
    tags = property(lambda self: self._tags, lambda self, value: setattr(self, "_tags", value))

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen) -> None:
        # genanki stamps note and cards with the package timestamp; ours says when the
        # question last changed, which is what Anki compares on re-import.
        super().write_to_db(cursor, timestamp if self.mod is None else self.mod, deck_id, id_gen)


class _Package(genanki.Package):
    """A package that remembers its timestamp and writes a deterministic, tidy file.

    genanki's own ``write_to_file`` leaves its temporary SQLite file behind, stores the
    database uncompressed and stamps the zip entries with the current time. This one fills
    the database through genanki's public ``write_to_db`` (its schema, its rows), in a
    private temporary directory that is removed afterwards, then deflates it into entries
    with a fixed date, so the same input gives the same bytes.
    """

    def __init__(self, decks, *, timestamp: float | None) -> None:
        super().__init__(decks)
        self.timestamp = timestamp

    def write_to_file(self, file, timestamp: float | None = None) -> None:
        if timestamp is None:
            timestamp = self.timestamp if self.timestamp is not None else time.time()
        with tempfile.TemporaryDirectory(prefix="anki-export-") as tmp:
            db_path = os.path.join(tmp, "collection.anki2")
            conn = sqlite3.connect(db_path)
            try:
                # A scratch file, zipped and deleted below: no journal, no fsync.
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                # The ids genanki's write_to_file would allocate from this timestamp.
                id_gen = itertools.count(int(timestamp * 1000))
                self.write_to_db(conn.cursor(), timestamp, id_gen)
                conn.commit()
            finally:
                conn.close()
            # Entries opened by name get a fixed 1980-01-01 date, so equal input gives
            # equal bytes; level 1 makes the file a seventh of genanki's stored zip at a
            # third of the default level's cost.
            with zipfile.ZipFile(
                file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as out:
                with open(db_path, "rb") as src, out.open("collection.anki2", "w") as dest:
                    shutil.copyfileobj(src, dest, 1 << 20)
                with out.open("media", "w") as dest:
                    dest.write(b"{}")


def _make_models() -> tuple[_Model, _Model]:
    qa = _Model(
        QA_MODEL_ID,
        "Russia-China Q&A",
        fields=[{"name": n} for n in _QA_FIELDS],
        templates=[
            {
                "name": "Recall",
                "qfmt": (
                    '<div class="meta">{{Kind}}</div>'
                    '<div class="prompt">{{Prompt}}</div>'
                    '{{#Options}}<div class="options">{{Options}}</div>{{/Options}}'
                ),
                "afmt": (
                    '{{FrontSide}}<hr id="answer">'
                    '<div class="answer">{{Answer}}</div>' + _BACK_EXTRA
                ),
            }
        ],
        css=CSS,
    )
    cloze = _Model(
        CLOZE_MODEL_ID,
        "Russia-China Cloze",
        fields=[{"name": n} for n in _CLOZE_FIELDS],
        templates=[
            {
                "name": "Cloze",
                "qfmt": (
                    '<div class="meta">Fill in the gap</div>'
                    '<div class="prompt">{{cloze:Text}}</div>'
                ),
                "afmt": (
                    '<div class="meta">Fill in the gap</div>'
                    '<div class="prompt">{{cloze:Text}}</div><hr id="answer">'
                    '{{#Accepted}}<div class="accepted">{{Accepted}}</div>{{/Accepted}}'
                    + _BACK_EXTRA
                ),
            }
        ],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )
    return qa, cloze


QA_MODEL, CLOZE_MODEL = _make_models()


# --- decks and tags ---------------------------------------------------------------------

# Anki's base-91 GUID alphabet, the digits genanki.guid_for uses (its module-level table is
# not part of genanki's public API, so it is spelled out here; a test holds them equal).
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def guid_for(question_id: str) -> str:
    """The note GUID of a question: ``genanki.guid_for(question_id)``, computed faster.

    Same SHA-256 prefix and base-91 digits as genanki (a test holds them equal); this
    version converts the eight bytes in one step instead of byte by byte.
    """
    n = int.from_bytes(hashlib.sha256(question_id.encode("utf-8")).digest()[:8], "big")
    digits = []
    while n:
        n, r = divmod(n, 91)
        digits.append(_BASE91[r])
    return "".join(reversed(digits))


def deck_id_for(slug: str) -> int:
    """The deck id of a section: the first bytes of SHA-256 of its slug, in [2**30, 2**31).

    A pure function of the slug, so a section's deck id never changes between exports.
    """
    digest = hashlib.sha256(f"russia-china-quiz/deck/{slug}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


DECK_IDS: dict[str, int] = {s.slug: deck_id_for(s.slug) for s in SECTIONS}


def deck_name_for(section: Section) -> str:
    """``<article title>::NN Section title``: Anki sorts subdecks by name, so by number."""
    return f"{ARTICLE_TITLE}::{section.number:02d} {section.title}"


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    # Anki tags cannot hold spaces; "::" makes a hierarchy, which we keep for our prefixes.
    return "_".join(text.replace("::", "_").split())


def note_tags(question: Question) -> list[str]:
    """The note's tags: ``section::SLUG``, ``kind::KIND``, ``difficulty::N``, ``topic::TAG``."""
    tags = [
        f"section::{_tag(question.section)}",
        f"kind::{question.kind.value}",
        f"difficulty::{question.difficulty}",
    ]
    tags += [f"topic::{_tag(t)}" for t in question.tags if _tag(t)]
    return tags


# --- rendering --------------------------------------------------------------------------


def _esc(text: object) -> str:
    return html_escape(text)


def _source(q: Question) -> str:
    return _source_text(q.section, tuple(q.paragraphs))


@functools.lru_cache(maxsize=256)
def _source_text(slug: str, paragraphs: tuple[int, ...]) -> str:
    """The source label, then what the article says there (the paragraph digests)."""
    text = _esc(source_label(slug, paragraphs, numbered=True))
    found = _digests()
    said = [found[(slug, p)] for p in paragraphs if (slug, p) in found]
    if said:
        text += '<div class="digest">' + "<br>".join(_esc(d) for d in said) + "</div>"
    return text


@functools.cache
def _digests() -> dict[tuple[str, int], str]:
    return load_digests()


_KIND_META = {k: _esc(k.label) for k in Kind}


def _note_for(q: Question, *, mod: int | None, due: int) -> _Note:
    explanation, source, note = _esc(q.explanation), _source(q), _esc(q.note) if q.note else ""
    card = spec(q.kind).anki_card(q)
    if card.cloze:
        fields = [card.prompt, card.accepted, explanation, source, note, _esc(q.id)]
        ords = tuple(sorted({n - 1 for n, _, _ in q.cloze_deletions if n > 0}))
        if not ords:  # Anki would make no card, or one with an empty front
            raise ExportError(f"cloze question {q.id!r} has no {{{{c1::...}}}} deletion")
        return _Note(
            model=CLOZE_MODEL,
            fields=fields,
            tags=note_tags(q),
            guid=guid_for(q.id),
            due=due,
            mod=mod,
            card_ords=ords,
        )
    meta = _KIND_META[q.kind]
    fields = [card.prompt, card.options, card.answer, explanation, source, note, meta, _esc(q.id)]
    return _Note(
        model=QA_MODEL, fields=fields, tags=note_tags(q), guid=guid_for(q.id), due=due, mod=mod
    )


# --- building and writing ---------------------------------------------------------------


def _unix(when: datetime, question_id: str) -> int:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ExportError(f"modified time of {question_id!r} is naive; give a UTC-aware datetime")
    return int(when.timestamp())


def build_package(
    questions: Iterable[Question],
    *,
    modified: Mapping[str, datetime] | None = None,
    timestamp: float | None = None,
) -> genanki.Package:
    """The Anki package for these questions: one subdeck per section, one note per question.

    Args:
        modified: question id -> aware datetime of its last change; becomes the note's
            modification time, which Anki compares on re-import.
        timestamp: Unix time for notes without a ``modified`` entry and for the ids genanki
            allocates. Defaults to the newest ``modified`` time when every question has
            one (so the output depends on the input only), else to the current time.
    Raises:
        ExportError: a question of an unknown section, an id given twice, or a naive
            ``modified`` datetime.
    """
    modified = modified or {}
    by_section: dict[str, list[Question]] = {}
    mods: dict[str, int] = {}
    seen: set[str] = set()
    for q in questions:
        if q.section not in SECTIONS_BY_SLUG:
            raise ExportError(f"question {q.id!r} has unknown section {q.section!r}")
        if q.id in seen:  # one GUID per id: Anki would keep only one of them
            raise ExportError(f"question id {q.id!r} appears twice")
        seen.add(q.id)
        if q.id in modified:
            mods[q.id] = _unix(modified[q.id], q.id)
        by_section.setdefault(q.section, []).append(q)

    decks = []
    due = 0
    for section in SECTIONS:  # article order, whatever the input order
        items = by_section.get(section.slug)
        if not items:
            continue
        description = f"Section {section.number}: {html.escape(section.title)}"
        deck = genanki.Deck(DECK_IDS[section.slug], deck_name_for(section), description=description)
        for q in items:
            deck.add_note(_note_for(q, mod=mods.get(q.id), due=due))
            due += 1
        decks.append(deck)

    if timestamp is None and seen and len(mods) == len(seen):
        timestamp = float(max(mods.values()))
    return _Package(decks, timestamp=timestamp)


def select_questions(
    questions: Iterable[Question], *, section: str | None = None
) -> list[Question]:
    """The questions to export: all, or one section's.

    Raises:
        ExportError: an unknown section slug (the message lists the known ones), or
            nothing to export.
    """
    if section is not None and section not in SECTIONS_BY_SLUG:
        known = ", ".join(s.slug for s in SECTIONS)
        raise ExportError(f"unknown section {section!r}; known sections: {known}")
    selected = [q for q in questions if section is None or q.section == section]
    if not selected:
        where = f" in section {section!r}" if section else ""
        raise ExportError(f"no questions to export{where}")
    return selected


def export_anki_bytes(
    questions: Iterable[Question],
    *,
    section: str | None = None,
    modified: Mapping[str, datetime] | None = None,
    timestamp: float | None = None,
) -> tuple[bytes, int]:
    """The ``.apkg`` as bytes and its number of notes, for a download (no file on disk).

    Raises ``ExportError`` as ``export_anki`` does, bar the path.
    """
    selected = select_questions(questions, section=section)
    buffer = io.BytesIO()
    build_package(selected, modified=modified, timestamp=timestamp).write_to_file(buffer)
    return buffer.getvalue(), len(selected)


def export_anki(
    questions: Iterable[Question],
    path: str | os.PathLike[str],
    *,
    section: str | None = None,
    modified: Mapping[str, datetime] | None = None,
    timestamp: float | None = None,
) -> ExportResult:
    """Write the questions (of one section if given) to an ``.apkg`` file, atomically.

    The package goes to a temporary file beside ``path`` and is renamed over it only once
    complete, so a failed export never leaves a partial file.

    Raises:
        ExportError: an unknown section slug (the message lists the known ones), nothing
            to export, or an output path that cannot be written.
    """
    selected = select_questions(questions, section=section)
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a directory")
    package = build_package(selected, modified=modified, timestamp=timestamp)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.",
            suffix=".part",
            dir=target.parent if str(target.parent) else ".",
        )
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; a deck is meant to be shared
        package.write_to_file(tmp_name)
        os.replace(tmp_name, target)
    except OSError as exc:
        _remove_quietly(tmp_name)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        _remove_quietly(tmp_name)
        raise
    return ExportResult(count=len(selected), path=target)


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass
