"""The Anki exporter, checked by importing its packages with the real Anki library."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import genanki
import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG, Kind, Option, Pair, Question
from questions import anki as exporter
from questions.anki import ExportError, build_package, export_anki

BANK_DIR = Path(__file__).resolve().parents[2] / "questions" / "bank"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _q(qid: str, kind: Kind, section: str, **fields) -> Question:
    base = dict(
        paragraphs=(1,),
        prompt=f"Prompt of {qid}",
        explanation=f"Why {qid}.",
        difficulty=2,
        tags=("treaties",),
    )
    base.update(fields)
    return Question(id=qid, kind=kind, section=section, **base)


@pytest.fixture
def every_kind() -> list[Question]:
    """One question of each kind, spread over sections and given out of article order."""
    return [
        _q(
            "conc-basic",
            Kind.BASIC,
            "conclusion",
            prompt="Front of the card",
            answer="Back of the card",
            accept=("back",),
        ),
        _q(
            "hist-single",
            Kind.SINGLE_CHOICE,
            "history",
            prompt="In which year? <script>alert('x')</script>",
            options=(Option("1896", True), Option("1950"), Option("2001")),
        ),
        _q(
            "hist-multi",
            Kind.MULTIPLE_SELECT,
            "history",
            options=(Option("SCO", True), Option("BRICS", True), Option("NATO")),
        ),
        _q(
            "intro-tf",
            Kind.TRUE_FALSE,
            "introduction",
            prompt="The border is settled.",
            answer=True,
            note="The article is loose here & there.",
        ),
        _q(
            "sec-short", Kind.SHORT_ANSWER, "security", answer="Vostok", accept=("Vostok exercise",)
        ),
        _q(
            "econ-num", Kind.NUMERIC, "economy-energy", answer=400, tolerance=10, unit="billion USD"
        ),
        _q(
            "econ-order",
            Kind.ORDERING,
            "economy-energy",
            items=("Talks", "Agreement", "Pipeline opens"),
        ),
        _q(
            "intl-match",
            Kind.MATCHING,
            "international-organizations",
            pairs=(Pair("SCO", "2001"), Pair("BRICS", "2009"), Pair("CSTO", "2002")),
            distractors=("1991",),
        ),
        _q(
            "covid-cloze",
            Kind.CLOZE,
            "coronavirus",
            prompt="Masks went {{c1::east}} and <b>vaccines</b> {{c2::west::direction}}.",
            accept={1: ("eastward",)},
        ),
    ]


def _import(col, path) -> object:
    """Import with Anki's default options, as the desktop app's import dialog does."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def _text(rendered: str) -> str:
    rendered = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered)).strip()


def _cards_by_question(col) -> dict[str, list]:
    out: dict[str, list] = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        out.setdefault(card.note()["Id"], []).append(card)
    return out


# --- what a student gets in Anki --------------------------------------------------------


def test_package_imports_one_note_per_question_in_section_subdecks(
    tmp_path, anki_collection, every_kind
):
    result = export_anki(every_kind, tmp_path / "deck.apkg", modified={})
    col = anki_collection()
    log = _import(col, result.path)

    assert result.count == len(every_kind) == len(log.new) == col.note_count()
    names = [
        d.name for d in col.decks.all_names_and_ids() if d.name.startswith(ARTICLE_TITLE + "::")
    ]
    present = {q.section for q in every_kind}
    expected = [f"{ARTICLE_TITLE}::{s.number:02d} {s.title}" for s in SECTIONS if s.slug in present]
    assert sorted(names) == expected  # Anki sorts decks by name: that is article order
    for qid, cards in _cards_by_question(col).items():
        section = SECTIONS_BY_SLUG[next(q.section for q in every_kind if q.id == qid)]
        assert {col.decks.name(c.did) for c in cards} == {
            f"{ARTICLE_TITLE}::{section.number:02d} {section.title}"
        }


def test_notes_are_tagged_with_section_kind_and_difficulty(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)
    for q in every_kind:
        (nid,) = col.find_notes(f'"Id:{q.id}"')
        tags = set(col.get_note(nid).tags)
        assert {
            f"section::{q.section}",
            f"kind::{q.kind.value}",
            "difficulty::2",
            "topic::treaties",
        } <= tags


def test_every_card_renders_a_front_and_a_back(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)
    cards = _cards_by_question(col)
    assert len(cards["covid-cloze"]) == 2  # one card per deletion
    for qid, qcards in cards.items():
        for card in qcards:
            front, back = _text(card.question()), _text(card.answer())
            assert front, f"{qid}: empty front"
            assert back and len(back) > len(front), f"{qid}: back adds nothing"


def _front_back(col, qid: str) -> tuple[str, str]:
    card = _cards_by_question(col)[qid][0]
    return _text(card.question()), _text(card.answer())


def _letter(front: str, option: str, options: tuple[str, ...]) -> str:
    """The letter an option has on a card's front, where the options are listed A, B, C."""
    at = {o: re.search(rf"\b{re.escape(o)}\b", front).start() for o in options}
    return "ABCDEFG"[sorted(options, key=at.__getitem__).index(option)]


def test_cards_show_what_each_kind_asks_and_answers(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)

    front, back = _front_back(col, "hist-single")
    assert all(o in front for o in ("1896", "1950", "2001"))  # options on the front
    years = ("1896", "1950", "2001")
    assert f"{_letter(front, '1896', years)}. 1896" in back  # the key on the back, by its letter
    front, back = _front_back(col, "hist-multi")
    assert "Select all that apply" in front
    groups = ("SCO", "BRICS", "NATO")
    for key in ("SCO", "BRICS"):
        assert f"{_letter(front, key, groups)}. {key}" in back
    assert f"{_letter(front, 'NATO', groups)}. NATO" not in back
    front, back = _front_back(col, "intro-tf")
    assert "True or false?" in front and back.split("True or false?")[-1].count("True") == 1
    assert "loose here & there" in back
    front, back = _front_back(col, "econ-num")
    assert "400 billion USD" in back and "± 10" in back
    front, back = _front_back(col, "sec-short")
    assert "Vostok exercise" in back and "Vostok" not in front
    front, back = _front_back(col, "econ-order")
    assert all(i in front for i in ("Talks", "Agreement", "Pipeline opens"))
    listed = re.findall(r"<li>(.*?)</li>", _cards_by_question(col)["econ-order"][0].question())
    assert listed != ["Talks", "Agreement", "Pipeline opens"]  # the front does not give it away
    answer_html = _cards_by_question(col)["econ-order"][0].answer().split('id="answer"')[1]
    assert re.findall(r"<li>(.*?)</li>", answer_html) == ["Talks", "Agreement", "Pipeline opens"]
    front, back = _front_back(col, "intl-match")
    assert "1991" in front and "SCO → 2001" in back and "CSTO → 2002" in back
    front, back = _front_back(col, "conc-basic")
    assert "Front of the card" in front and "Back of the card" in back
    assert "Section 7, Conclusion, paragraph 1" in back and "Why conc-basic." in back


def test_cloze_notes_use_a_cloze_note_type(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)
    first, second = sorted(_cards_by_question(col)["covid-cloze"], key=lambda c: c.ord)
    assert col.models.get(first.note().mid)["type"] == 1  # Anki's cloze type
    assert "east" not in _text(first.question()).replace("vaccines", "")
    assert "[direction]" in _text(second.question())
    assert "east" in _text(first.answer()) and "eastward" in _text(first.answer())


def test_question_text_is_escaped_and_shows_inert(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)
    for cards in _cards_by_question(col).values():
        for card in cards:
            assert "<script" not in card.question() and "<b>vaccines" not in card.answer()
    front, _ = _front_back(col, "hist-single")
    assert "<script>alert('x')</script>" in front  # shown as text, not run
    assert "<b>vaccines</b>" in _front_back(col, "covid-cloze")[0]


def test_a_field_separator_in_question_text_cannot_shift_fields(tmp_path, anki_collection):
    q = _q("hist-sep", Kind.BASIC, "history", prompt="Front\x1fsmuggled", answer="Back")
    col = anki_collection()
    _import(col, export_anki([q], tmp_path / "deck.apkg").path)
    note = col.get_note(col.find_notes("")[0])
    assert (note["Prompt"], note["Answer"], note["Id"]) == ("Frontsmuggled", "Back", "hist-sep")


def test_cards_carry_a_stylesheet_for_light_and_night_mode(tmp_path, anki_collection, every_kind):
    path = export_anki(every_kind, tmp_path / "deck.apkg").path
    col = anki_collection()
    _import(col, path)
    for nt in (col.models.get(exporter.QA_MODEL_ID), col.models.get(exporter.CLOZE_MODEL_ID)):
        assert ".nightMode" in nt["css"] and ".card" in nt["css"]


# --- re-import: update, do not duplicate ------------------------------------------------


def _answer_one_card(col, qid: str) -> int:
    card = _cards_by_question(col)[qid][0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    return card.id


def test_reimport_updates_the_changed_note_adds_the_new_one_and_keeps_history(
    tmp_path, anki_collection, every_kind
):
    first = {q.id: T0 for q in every_kind}
    export_anki(every_kind, tmp_path / "v1.apkg", modified=first)
    col = anki_collection()
    _import(col, tmp_path / "v1.apkg")
    reviewed = _answer_one_card(col, "hist-single")
    notetypes = len(col.models.all_names_and_ids())

    changed = [
        dataclasses.replace(q, explanation="A corrected explanation.") if q.id == "sec-short" else q
        for q in every_kind
    ]
    added = _q("sec-new", Kind.BASIC, "security", answer="New back")
    second = {**first, "sec-short": T0 + timedelta(days=2), "sec-new": T0 + timedelta(days=2)}
    export_anki([*changed, added], tmp_path / "v2.apkg", modified=second)
    log = _import(col, tmp_path / "v2.apkg")

    assert [n.fields[-1] for n in log.updated] == ["sec-short"]
    assert [n.fields[-1] for n in log.new] == ["sec-new"]
    assert len(log.duplicate) == len(every_kind) - 1  # unchanged: skipped, not duplicated
    assert col.note_count() == len(every_kind) + 1
    assert len(col.find_notes('"Id:sec-short"')) == 1
    (nid,) = col.find_notes('"Id:sec-short"')
    assert col.get_note(nid)["Explanation"] == "A corrected explanation."
    assert len(col.models.all_names_and_ids()) == notetypes  # no copy of our note types
    assert col.db.scalar("select count() from revlog where cid = ?", reviewed) == 1
    assert col.get_card(reviewed).reps == 1


def test_a_change_without_a_newer_time_is_not_applied_by_anki(
    tmp_path, anki_collection, every_kind
):
    """Why modified times matter: Anki skips an edited note whose time did not move."""
    times = {q.id: T0 for q in every_kind}
    export_anki(every_kind, tmp_path / "v1.apkg", modified=times)
    col = anki_collection()
    _import(col, tmp_path / "v1.apkg")
    changed = [dataclasses.replace(q, explanation="Changed.") for q in every_kind]
    export_anki(changed, tmp_path / "v2.apkg", modified=times)
    log = _import(col, tmp_path / "v2.apkg")
    assert len(log.updated) == 0 and len(log.duplicate) == len(every_kind)


def test_a_restyled_note_type_updates_in_place_when_its_revision_moves(
    tmp_path, anki_collection, every_kind, monkeypatch
):
    export_anki(every_kind, tmp_path / "v1.apkg", timestamp=T0.timestamp())
    col = anki_collection()
    _import(col, tmp_path / "v1.apkg")
    count = len(col.models.all_names_and_ids())

    monkeypatch.setattr(exporter.QA_MODEL, "css", exporter.CSS + ".prompt { color: teal; }")
    monkeypatch.setattr(exporter, "TEMPLATES_REVISED", exporter.TEMPLATES_REVISED + 60)
    export_anki(every_kind, tmp_path / "v2.apkg", timestamp=T0.timestamp() + 3600)
    _import(col, tmp_path / "v2.apkg")
    assert "color: teal" in col.models.get(exporter.QA_MODEL_ID)["css"]
    assert len(col.models.all_names_and_ids()) == count


def test_renaming_a_field_would_make_anki_copy_the_note_type_and_skip_updates(
    tmp_path, anki_collection, every_kind, monkeypatch
):
    """Why the field names are frozen (see test_note_type_ids_and_fields_stay_fixed)."""
    export_anki(every_kind, tmp_path / "v1.apkg", timestamp=T0.timestamp())
    col = anki_collection()
    _import(col, tmp_path / "v1.apkg")
    count = len(col.models.all_names_and_ids())

    renamed = [dict(f) for f in exporter.QA_MODEL.fields]
    renamed[-1]["name"] = "Identifier"
    monkeypatch.setattr(exporter.QA_MODEL, "fields", renamed)
    log = _import(
        col, export_anki(every_kind, tmp_path / "v2.apkg", timestamp=T0.timestamp() + 3600).path
    )
    assert len(col.models.all_names_and_ids()) == count + 1
    qa_ids = {q.id for q in every_kind if q.kind is not Kind.CLOZE}
    assert {n.fields[-1] for n in log.conflicting} == qa_ids  # not updated, just refused
    assert [n.fields[-1] for n in log.updated] == ["covid-cloze"]  # its type is unchanged


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if when:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = when
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


BANK_FILE = """\
section: security
questions:
  - id: sec-one
    kind: basic
    paragraphs: [1]
    prompt: First front
    answer: First back
    explanation: First explanation.
  - id: sec-two
    kind: single_choice
    paragraphs: [2]
    prompt: Second prompt
    options:
      - text: Right
        correct: true
      - text: Wrong
      - text: Also wrong
    explanation: Second explanation.
"""


@pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git is not installed",
)
def test_bank_file_edit_updates_one_note_on_reimport(tmp_path, anki_collection):
    import yaml

    from questions.revisions import bank_modified_times

    repo = tmp_path / "bank"
    repo.mkdir()
    bank = repo / "04-security.yaml"
    bank.write_text(BANK_FILE)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "bank", when="2026-01-01T00:00:00Z")

    def load() -> list[Question]:
        data = yaml.safe_load(bank.read_text())
        return [Question.from_dict(d, section=data["section"]) for d in data["questions"]]

    export_anki(load(), tmp_path / "v1.apkg", modified=bank_modified_times([bank]))
    col = anki_collection()
    assert len(_import(col, tmp_path / "v1.apkg").new) == 2
    # re-exporting the unchanged bank updates nothing
    export_anki(load(), tmp_path / "same.apkg", modified=bank_modified_times([bank]))
    assert len(_import(col, tmp_path / "same.apkg").updated) == 0

    bank.write_text(
        BANK_FILE.replace("Second explanation.", "Second, corrected.")
        + "  - id: sec-three\n    kind: basic\n    paragraphs: [1]\n"
        "    prompt: Third front\n    answer: Third back\n"
        "    explanation: Third explanation.\n"
    )
    export_anki(load(), tmp_path / "v2.apkg", modified=bank_modified_times([bank]))
    log = _import(col, tmp_path / "v2.apkg")
    assert ([n.fields[-1] for n in log.updated], [n.fields[-1] for n in log.new]) == (
        ["sec-two"],
        ["sec-three"],
    )

    _git(repo, "commit", "-qam", "fix")  # committing later still leaves sec-one alone
    export_anki(load(), tmp_path / "v3.apkg", modified=bank_modified_times([bank]))
    assert "sec-one" not in [n.fields[-1] for n in _import(col, tmp_path / "v3.apkg").updated]
    assert col.note_count() == 3


# --- stability --------------------------------------------------------------------------


def _package_rows(path: Path, tmp_path: Path) -> dict[str, list]:
    with zipfile.ZipFile(path) as z:
        db = tmp_path / f"{path.stem}.anki2"
        db.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        return {
            "notes": conn.execute("select * from notes order by id").fetchall(),
            "cards": conn.execute("select * from cards order by id").fetchall(),
            "col": conn.execute("select models, decks from col").fetchall(),
        }
    finally:
        conn.close()


def test_same_bank_gives_the_same_package_on_every_export(tmp_path, every_kind, monkeypatch):
    times = {q.id: T0 for q in every_kind}
    a = export_anki(every_kind, tmp_path / "a.apkg", modified=times).path
    monkeypatch.setattr(exporter.time, "time", lambda: 4102444800.0)  # exported years later
    b = export_anki(list(every_kind), tmp_path / "b.apkg", modified=times).path
    assert _package_rows(a, tmp_path) == _package_rows(b, tmp_path)
    assert a.read_bytes() == b.read_bytes()

    guids = {row[1] for row in _package_rows(a, tmp_path)["notes"]}
    assert guids == {genanki.guid_for(q.id) for q in every_kind}
    decks = {int(k) for k in json.loads(_package_rows(a, tmp_path)["col"][0][1])}
    assert {exporter.deck_id_for(q.section) for q in every_kind} <= decks


def test_an_export_leaves_no_temporary_file_behind(tmp_path, every_kind, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(exporter.tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    export_anki(every_kind, out / "deck.apkg")
    exporter.export_anki_bytes(every_kind)
    assert list(scratch.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["deck.apkg"]


def test_note_type_ids_and_fields_stay_fixed():
    """Changing these makes every student's Anki create a second note type."""
    assert (exporter.QA_MODEL_ID, exporter.CLOZE_MODEL_ID) == (1201942945, 1387519361)
    assert [f["name"] for f in exporter.QA_MODEL.fields] == [
        "Prompt",
        "Options",
        "Answer",
        "Explanation",
        "Source",
        "Note",
        "Kind",
        "Id",
    ]
    assert [f["name"] for f in exporter.CLOZE_MODEL.fields] == [
        "Text",
        "Accepted",
        "Explanation",
        "Source",
        "Note",
        "Id",
    ]
    assert [t["name"] for t in exporter.QA_MODEL.templates] == ["Recall"]
    assert [t["name"] for t in exporter.CLOZE_MODEL.templates] == ["Cloze"]


def test_section_export_holds_only_that_section(tmp_path, anki_collection, every_kind):
    result = export_anki(every_kind, tmp_path / "eco.apkg", section="economy-energy")
    col = anki_collection()
    _import(col, result.path)
    assert result.count == col.note_count() == 2
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {
        f"{ARTICLE_TITLE}::05 Economic and Energy Partnership"
    }


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "target", "message"),
    [
        ("nowhere", "out.apkg", "unknown section 'nowhere'; known sections: introduction, history"),
        ("covid", "out.apkg", "known sections:"),
        (None, "missing-dir/out.apkg", "cannot write"),
        (None, "a-file/out.apkg", "cannot write"),
        (None, ".", "it is a directory"),
    ],
)
def test_bad_export_request_is_refused_and_leaves_no_file(
    tmp_path, every_kind, section, target, message
):
    (tmp_path / "a-file").write_text("not a directory")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(ExportError, match=re.escape(message)):
        export_anki(every_kind, tmp_path / target, section=section)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_empty_selection_is_refused_and_leaves_no_file(tmp_path, every_kind):
    with pytest.raises(ExportError, match="no questions to export in section 'history'"):
        export_anki(
            [q for q in every_kind if q.section != "history"],
            tmp_path / "x.apkg",
            section="history",
        )
    with pytest.raises(ExportError, match="no questions to export"):
        export_anki([], tmp_path / "x.apkg")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_partial_file_and_keeps_the_old_deck(
    tmp_path, every_kind, monkeypatch
):
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"the previous deck")

    def broken(self, file, timestamp=None):
        Path(file).write_bytes(b"half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporter._Package, "write_to_file", broken)
    with pytest.raises(ExportError, match="cannot write .*No space left on device"):
        export_anki(every_kind, target)
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]
    assert target.read_bytes() == b"the previous deck"


def test_a_question_id_given_twice_is_refused(tmp_path, every_kind):
    with pytest.raises(ExportError, match="question id 'conc-basic' appears twice"):
        export_anki([*every_kind, every_kind[0]], tmp_path / "x.apkg")
    assert list(tmp_path.iterdir()) == []


def test_a_cloze_without_a_deletion_is_refused(tmp_path):
    q = _q("hist-gapless", Kind.CLOZE, "history", prompt="No gap here.")
    with pytest.raises(ExportError, match=r"cloze question 'hist-gapless' has no \{\{c1::"):
        export_anki([q], tmp_path / "x.apkg")
    assert list(tmp_path.iterdir()) == []


def test_deck_as_bytes_for_a_download_equals_the_file(tmp_path, every_kind):
    times = {q.id: T0 for q in every_kind}
    data, count = exporter.export_anki_bytes(every_kind, section="history", modified=times)
    path = export_anki(every_kind, tmp_path / "h.apkg", section="history", modified=times).path
    assert (data, count) == (path.read_bytes(), 2)
    with pytest.raises(ExportError, match="unknown section"):
        exporter.export_anki_bytes(every_kind, section="nowhere")


def test_naive_modified_time_is_refused(every_kind):
    with pytest.raises(ExportError, match="naive"):
        build_package(every_kind, modified={"conc-basic": datetime(2026, 1, 1)})


# --- the real bank ----------------------------------------------------------------------


def test_real_bank_exports_and_imports_cleanly(tmp_path, anki_collection):
    files = sorted(BANK_DIR.glob("*.yaml"))
    if not files:
        pytest.skip(f"the bank has no files yet in {BANK_DIR}")
    from questions.loader import load_bank
    from questions.revisions import bank_modified_times

    loaded = load_bank(BANK_DIR)
    assert not loaded.problems, "the bank has problems: run python -m questions validate"
    bank = loaded.questions
    result = export_anki(bank, tmp_path / "bank.apkg", modified=bank_modified_times(files))
    col = anki_collection()
    log = _import(col, result.path)
    assert len(log.new) == col.note_count() == len(bank)
    for cards in _cards_by_question(col).values():
        for card in cards:
            assert _text(card.question()) and _text(card.answer())


def test_rows_are_genanki_own_but_for_each_note_modification_time(every_kind):
    """Our notes' known card ords and per-note times must not drift from genanki's rows."""
    times = {q.id: T0 + timedelta(minutes=i) for i, q in enumerate(every_kind)}
    ours = build_package(every_kind, modified=times, timestamp=T0.timestamp())
    plain = []
    for deck in ours.decks:
        twin = genanki.Deck(deck.deck_id, deck.name, deck.description)
        for n in deck.notes:  # plain notes: genanki works out the cards from the templates
            twin.add_note(
                genanki.Note(model=n.model, fields=n.fields, tags=n.tags, guid=n.guid, due=n.due)
            )
        plain.append(twin)

    def rows(package) -> dict[str, list]:
        conn = sqlite3.connect(":memory:")
        try:
            package.write_to_db(conn.cursor(), T0.timestamp(), iter(range(10**12, 10**13)))
            return {
                t: conn.execute(f"select * from {t} order by id").fetchall()
                for t in ("notes", "cards")
            } | {"col": conn.execute("select models, decks from col").fetchall()}
        finally:
            conn.close()

    mine, theirs = rows(ours), rows(genanki.Package(plain))
    assert mine["col"] == theirs["col"]
    # the same rows, bar the modification time: genanki stamps the package's on every row
    for table, mod in (("notes", 3), ("cards", 4)):
        assert [r[:mod] + r[mod + 1 :] for r in mine[table]] == [
            r[:mod] + r[mod + 1 :] for r in theirs[table]
        ]
        assert {r[mod] for r in theirs[table]} == {int(T0.timestamp())}
    by_guid = {genanki.guid_for(q.id): int(times[q.id].timestamp()) for q in every_kind}
    assert {r[1]: r[3] for r in mine["notes"]} == by_guid


def test_guids_are_genanki_own_and_its_base91_digits():
    ids = ["conc-basic", "x", "ü-ß", "history-0042"]
    assert [exporter.guid_for(i) for i in ids] == [genanki.guid_for(i) for i in ids]
    assert list(exporter._BASE91) == genanki.util.BASE91_TABLE


# --- python -m questions export-anki ----------------------------------------------------


@pytest.fixture
def bank_dir(tmp_path):
    from tests.questions.samples import GOOD_ITEMS, bank_text, good_item

    folder = tmp_path / "bank"
    folder.mkdir()
    items = [good_item(kind, id=f"history-{n}") for n, kind in enumerate(GOOD_ITEMS)]
    (folder / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    (folder / "07-conclusion.yaml").write_text(
        bank_text([good_item("basic", id="conclusion-1")], section="conclusion"), encoding="utf-8"
    )
    return folder


def test_cli_exports_the_bank_files_as_a_deck(bank_dir, tmp_path, anki_collection, capsys):
    from questions.__main__ import main

    out = tmp_path / "deck.apkg"
    assert main(["export-anki", "-o", str(out), "--dir", str(bank_dir)]) == 0
    assert capsys.readouterr().out == f"wrote 10 notes to {out}\n"
    col = anki_collection()
    assert len(_import(col, out).new) == col.note_count() == 10
    for cards in _cards_by_question(col).values():  # the loader's sample of every kind
        for card in cards:
            assert _text(card.question()) and _text(card.answer())


def test_cli_exports_one_section(bank_dir, tmp_path, capsys):
    from questions.__main__ import main

    out = tmp_path / "conclusion.apkg"
    assert (
        main(["export-anki", "-o", str(out), "--section", "conclusion", "--dir", str(bank_dir)])
        == 0
    )
    assert "wrote 1 notes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--section", "nowhere"], "export-anki: unknown section 'nowhere'; known sections: "),
        (["--section", "security"], "export-anki: no questions to export in section 'security'"),
    ],
)
def test_cli_refuses_a_bad_selection_with_a_message_and_no_file(
    bank_dir, tmp_path, capsys, extra, message
):
    from questions.__main__ import main

    out = tmp_path / "deck.apkg"
    assert main(["export-anki", "-o", str(out), "--dir", str(bank_dir), *extra]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert not out.exists()


def test_cli_refuses_an_unwritable_path_from_the_shell_without_traceback(bank_dir, tmp_path):
    out = tmp_path / "no-such-dir" / "deck.apkg"
    run = subprocess.run(
        [sys.executable, "-m", "questions", "export-anki", "-o", str(out), "--dir", str(bank_dir)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.startswith(f"export-anki: cannot write {out}: ")
    assert "Traceback" not in run.stderr
    assert not out.parent.exists()


def test_cli_refuses_a_bank_with_problems(bank_dir, tmp_path, capsys):
    from questions.__main__ import main

    (bank_dir / "02-multipolar-world.yaml").write_text("section: multipolar-world\nquestions: [\n")
    out = tmp_path / "deck.apkg"
    assert main(["export-anki", "-o", str(out), "--dir", str(bank_dir)]) == 1
    assert "the bank has 1 problem(s); nothing written" in capsys.readouterr().err
    assert not out.exists()


def test_cli_without_an_output_is_a_usage_error(capsys):
    from questions.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["export-anki"])
    assert exc.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


# --- escaping, for any text -------------------------------------------------------------

_ANY_TEXT = st.text(min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(prompt=_ANY_TEXT, explanation=_ANY_TEXT, option=_ANY_TEXT, note=_ANY_TEXT)
def test_any_question_text_becomes_inert_fields_that_read_back_as_typed(
    prompt, explanation, option, note
):
    q = _q(
        "hist-any",
        Kind.SINGLE_CHOICE,
        "history",
        prompt=prompt,
        explanation=explanation,
        note=note,
        options=(Option(option, True), Option(option + "x"), Option(option + "y")),
    )
    package = build_package([q], timestamp=T0.timestamp())
    fields = package.decks[0].notes[0].fields
    for field in fields:
        assert "\x1f" not in field
        assert not genanki.Note._find_invalid_html_tags_in_field(field)
        # the only markup is ours: no tag or entity comes from the text itself
        assert re.sub(r"</?(?:div|ol|ul|li|br)\b[^>]*>", "", field).count("<") == 0

    def read_back(html_text: str) -> str:
        return html.unescape(html_text.replace("<br>", "\n"))

    assert read_back(fields[3]) == explanation.replace("\x1f", "")
    assert read_back(fields[5]) == note.replace("\x1f", "")
    assert read_back(fields[0]) == prompt.replace("\x1f", "")


def test_the_key_letter_of_the_real_bank_carries_no_information():
    """In file order most single-choice keys are option A; on the cards no letter holds
    more than half of them, and every multiple-select key is not simply listed first."""
    from collections import Counter

    from questions import Kind, load_bank, spec

    bank = load_bank()
    letters = Counter()
    first_keys = 0
    selects = 0
    for q in bank.questions:
        if q.kind is Kind.SINGLE_CHOICE:
            letters[spec(q.kind).anki_card(q).answer[0]] += 1
        elif q.kind is Kind.MULTIPLE_SELECT:
            selects += 1
            first_keys += spec(q.kind).anki_card(q).answer.startswith("A.")
    total = sum(letters.values())
    assert total >= 20
    assert max(letters.values()) <= total / 2, letters
    assert first_keys < selects, "every multiple-select card lists a key first"


def test_the_real_bank_exports_byte_identical_twice(tmp_path):
    from questions import load_bank
    from questions.anki import export_anki_bytes

    questions = load_bank().questions
    first, _ = export_anki_bytes(questions, timestamp=1_700_000_000)
    second, _ = export_anki_bytes(questions, timestamp=1_700_000_000)
    assert first == second


def test_the_back_carries_the_digest_of_the_cited_paragraph(tmp_path):
    from questions import load_bank, load_digests
    from questions.anki import export_anki_bytes
    from questions.display import html_escape

    q = next(q for q in load_bank().questions if len(q.paragraphs) == 1)
    data, _ = export_anki_bytes([q], timestamp=1_700_000_000)
    db_path = tmp_path / "collection.anki2"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        db_path.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(db_path) as conn:
        (fields,) = conn.execute("SELECT flds FROM notes").fetchone()
    digest = load_digests()[(q.section, q.paragraphs[0])]
    assert f'<div class="digest">{html_escape(digest)}</div>' in fields
