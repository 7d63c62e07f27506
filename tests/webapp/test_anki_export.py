"""Anki decks from the database: ``flask export-anki``, the /anki page and its downloads.

Packages are checked by importing them with the real Anki library (``anki_collection``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG
from questions import Question as BankQuestion
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Origin, Question, Status, utcnow

from . import fixture_bank
from .helpers import count_queries

PUBLISHED = {i["id"] for i in fixture_bank.ITEMS}
INSTRUCTOR_ITEM = {
    "id": "history-by-instructor",
    "kind": "basic",
    "section": "history",
    "paragraphs": [2],
    "difficulty": 1,
    "tags": [],
    "prompt": "Which city hosted the instructor's example?",
    "answer": "Harbin",
    "explanation": "Added by an instructor on the site, not from the bank files.",
}


def _import(col, path: Path):
    """Import with Anki's default options, as its import dialog does; the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def _ids(col) -> set[str]:
    return {col.get_note(nid)["Id"] for nid in col.find_notes("")}


def _add_question(
    app,
    item: dict,
    *,
    status: str = Status.PUBLISHED.value,
    origin: str = Origin.INSTRUCTOR.value,
    at=None,
) -> None:
    """A question written straight into the database with one revision, as the site does."""
    data = BankQuestion.from_dict(item).to_dict()
    with app.app_context():
        row = Question(
            uid=data["id"], section=data["section"], kind=data["kind"], status=status, origin=origin
        )
        db.session.add(row)
        row.add_revision(data, summary="added in a test", now=at)
        db.session.commit()


def _set_status(app, uid: str, status: str) -> None:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        row.status = status
        db.session.commit()


def _download(client, url: str, path: Path) -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    path.write_bytes(response.data)
    return path


@pytest.fixture
def mixed_bank(app, bank):
    """The fixture bank with one draft, one retired and one instructor-added question."""
    _set_status(app, "history-tf", Status.DRAFT.value)
    _set_status(app, "economy-basic", Status.RETIRED.value)
    _add_question(app, INSTRUCTOR_ITEM)
    return PUBLISHED - {"history-tf", "economy-basic"} | {INSTRUCTOR_ITEM["id"]}


# --- flask export-anki ------------------------------------------------------------------


def test_export_command_writes_exactly_the_published_questions(
    runner, mixed_bank, tmp_path, anki_collection
):
    out = tmp_path / "deck.apkg"
    result = runner.invoke(args=["export-anki", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {len(mixed_bank)} notes to {out}\n"
    col = anki_collection()
    log = _import(col, out)
    assert len(log.new) == col.note_count() == len(mixed_bank)
    assert _ids(col) == mixed_bank  # no draft, no retired, the instructor's one in


def test_export_command_writes_one_section(runner, mixed_bank, tmp_path, anki_collection):
    out = tmp_path / "history.apkg"
    result = runner.invoke(args=["export-anki", "-o", str(out), "--section", "history"])
    assert result.exit_code == 0, result.output
    col = anki_collection()
    _import(col, out)
    assert _ids(col) == {uid for uid in mixed_bank if uid.startswith("history-")}


@pytest.mark.parametrize(
    ("output", "args", "message"),
    [
        (
            "deck.apkg",
            ["--section", "nope"],
            "unknown section 'nope'; known sections: introduction, history, multipolar-world",
        ),
        (
            "deck.apkg",
            ["--section", "conclusion"],
            "no published questions to export in section 'conclusion'",
        ),
        ("no-such-dir/deck.apkg", [], "cannot write {out}: No such file or directory"),
    ],
)
def test_export_command_refuses_a_bad_request_and_leaves_no_file(
    runner, bank, tmp_path, output, args, message
):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / output
    result = runner.invoke(args=["export-anki", "-o", str(out), *args])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + message.format(out=out))
    assert result.output.count("\n") == 1  # one line, no traceback
    assert list(folder.iterdir()) == []  # no deck, no temporary file


def test_export_command_refuses_when_only_drafts_exist(app, runner, tmp_path):
    _add_question(app, INSTRUCTOR_ITEM, status=Status.DRAFT.value)
    out = tmp_path / "deck.apkg"
    result = runner.invoke(args=["export-anki", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == "Error: no published questions to export\n"
    assert not out.exists()


# --- downloads --------------------------------------------------------------------------


def test_deck_download_imports_one_note_per_published_question_in_section_subdecks(
    client, mixed_bank, tmp_path, anki_collection
):
    response = client.get("/anki/deck.apkg")
    assert response.status_code == 200
    assert response.mimetype == "application/apkg"
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=russia-china-relations.apkg"
    )
    path = tmp_path / "deck.apkg"
    path.write_bytes(response.data)

    col = anki_collection()
    log = _import(col, path)
    assert len(log.new) == col.note_count() == len(mixed_bank)
    assert _ids(col) == mixed_bank
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        (slug,) = [t.split("::")[1] for t in note.tags if t.startswith("section::")]
        section = SECTIONS_BY_SLUG[slug]
        for card in note.cards():
            assert (
                col.decks.name(card.did) == f"{ARTICLE_TITLE}::{section.number:02d} {section.title}"
            )


def test_section_download_holds_only_that_section(client, mixed_bank, tmp_path, anki_collection):
    response = client.get("/anki/history.apkg")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=russia-china-relations-history.apkg"
    )
    path = tmp_path / "history.apkg"
    path.write_bytes(response.data)
    col = anki_collection()
    _import(col, path)
    assert _ids(col) == {uid for uid in mixed_bank if uid.startswith("history-")}
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert f"{ARTICLE_TITLE}::01 {SECTIONS_BY_SLUG['history'].title}" in decks
    assert not any(d.startswith(f"{ARTICLE_TITLE}::05") for d in decks)


def test_downloads_are_open_to_guests_and_need_no_form(client, bank):
    # No login, no CSRF token: a plain GET, as a link in any browser or Anki's own.
    assert client.get("/anki/deck.apkg").status_code == 200
    assert client.get("/anki/economy-energy.apkg").status_code == 200


def test_reimport_after_an_edit_updates_one_note_adds_one_and_keeps_history(
    app, client, bank, tmp_path, anki_collection
):
    col = anki_collection()
    first = _import(col, _download(client, "/anki/deck.apkg", tmp_path / "v1.apkg"))
    assert len(first.new) == len(PUBLISHED)
    card = col.get_card(col.find_cards('"Id:history-single"')[0])
    card.start_timer()
    col.sched.answerCard(card, 3)
    notetypes = len(col.models.all_names_and_ids())

    later = utcnow() + timedelta(minutes=5)
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-short"))
        data = dict(row.current_revision.data, explanation="A corrected explanation.")
        row.add_revision(data, summary="explanation corrected", now=later)
        db.session.commit()
    _add_question(app, INSTRUCTOR_ITEM, at=later)
    second = _import(col, _download(client, "/anki/deck.apkg", tmp_path / "v2.apkg"))

    assert [n.fields[-1] for n in second.updated] == ["history-short"]
    assert [n.fields[-1] for n in second.new] == [INSTRUCTOR_ITEM["id"]]
    assert len(second.duplicate) == len(PUBLISHED) - 1  # unchanged: skipped, not copied
    assert col.note_count() == len(PUBLISHED) + 1
    (nid,) = col.find_notes('"Id:history-short"')
    assert col.get_note(nid)["Explanation"] == "A corrected explanation."
    assert len(col.models.all_names_and_ids()) == notetypes  # no second note type
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1


def test_question_text_with_markup_is_inert_in_the_cards(app, client, tmp_path, anki_collection):
    item = dict(
        INSTRUCTOR_ITEM,
        prompt="Which city? <script>alert('x')</script><b>bold</b>",
        answer="<img src=x onerror=alert(1)>",
    )
    _add_question(app, item)
    col = anki_collection()
    _import(col, _download(client, "/anki/deck.apkg", tmp_path / "deck.apkg"))
    note = col.get_note(col.find_notes("")[0])
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in note["Prompt"]
    assert "<" not in note["Prompt"] + note["Answer"]
    card = note.cards()[0]
    assert "<script" not in card.question() and "<img" not in card.answer()
    assert "<b>bold" not in card.question()


def test_repeat_downloads_follow_every_change_in_the_database(app, client, bank):
    def notes_in(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200
        return response.data

    whole, history = notes_in("/anki/deck.apkg"), notes_in("/anki/history.apkg")
    assert notes_in("/anki/deck.apkg") == whole  # same questions, same package

    _set_status(app, "history-tf", Status.RETIRED.value)
    after_retire = notes_in("/anki/deck.apkg")
    assert after_retire != whole and notes_in("/anki/history.apkg") != history
    _set_status(app, "history-tf", Status.PUBLISHED.value)
    assert notes_in("/anki/deck.apkg") == whole  # back as it was: the same deck again
    _add_question(app, INSTRUCTOR_ITEM, status=Status.DRAFT.value)
    assert notes_in("/anki/deck.apkg") == whole  # a draft changes nothing
    _set_status(app, INSTRUCTOR_ITEM["id"], Status.PUBLISHED.value)
    assert notes_in("/anki/deck.apkg") not in (whole, after_retire)


def test_an_unchanged_deck_answers_304_to_a_conditional_request(client, bank):
    first = client.get("/anki/deck.apkg")
    etag = first.headers["ETag"]
    again = client.get("/anki/deck.apkg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_download_says_its_length_and_name_and_resumes_from_a_range(client, bank):
    """An interrupted download of a large deck resumes: the server answers a byte range."""
    whole = client.get("/anki/deck.apkg")
    assert whole.status_code == 200
    assert int(whole.headers["Content-Length"]) == len(whole.data) > 200
    assert whole.headers["Content-Disposition"] == (
        "attachment; filename=russia-china-relations.apkg"
    )
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get("/anki/deck.apkg", headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    assert part.data == whole.data[100:]
    assert part.headers["Content-Range"] == f"bytes 100-{len(whole.data) - 1}/{len(whole.data)}"


def test_download_count_matches_the_package(client, bank, tmp_path, anki_collection):
    page = client.get("/anki").get_data(as_text=True)
    assert f"{len(PUBLISHED)} notes" in page
    col = anki_collection()
    _import(col, _download(client, "/anki/deck.apkg", tmp_path / "deck.apkg"))
    assert col.note_count() == len(PUBLISHED)


# --- the /anki page and its errors ------------------------------------------------------


def test_anki_page_lists_every_section_and_needs_no_login(client, bank):
    response = client.get("/anki")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Study in Anki" in page and "File &gt; Import" in page
    assert 'href="/anki/deck.apkg"' in page
    positions = [page.index(s.title) for s in SECTIONS]
    assert positions == sorted(positions)  # article order
    with_questions = {i["section"] for i in fixture_bank.ITEMS}
    for s in SECTIONS:
        link = f'href="/anki/{s.slug}.apkg"'
        assert (link in page) == (s.slug in with_questions), s.slug
    assert "4 notes" in page  # economy-energy's four questions


def test_home_page_and_nav_link_to_the_anki_page(client):
    page = client.get("/").get_data(as_text=True)
    nav = page[page.index("<nav") : page.index("</nav>")]
    main = page[page.index("<main") : page.index("</main>")]
    assert 'href="/anki"' in nav and 'href="/anki"' in main


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/anki/nope.apkg", "There is no section called"),
        ("/anki/conclusion.apkg", "has no published questions yet"),
    ],
)
def test_unknown_or_empty_section_download_is_a_friendly_404(client, bank, url, text):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert text in response.get_data(as_text=True)


def test_deck_download_with_nothing_published_is_a_friendly_404(app, client):
    _add_question(app, INSTRUCTOR_ITEM, status=Status.DRAFT.value)
    response = client.get("/anki/deck.apkg")
    assert response.status_code == 404
    assert "no published questions yet" in response.get_data(as_text=True)
    assert "no deck to download" in client.get("/anki").get_data(as_text=True)


def test_section_slug_in_the_404_page_is_escaped(client):
    response = client.get("/anki/<script>x.apkg")
    assert response.status_code == 404
    assert "<script>x" not in response.get_data(as_text=True)


# --- queries ----------------------------------------------------------------------------


def _download_queries(app, client, url: str) -> tuple[int, int]:
    """Statements for a first (package built) and a repeated (package reused) download."""
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as cold:
        assert client.get(url).status_code == 200
    with count_queries(engine) as warm:
        assert client.get(url).status_code == 200
    return cold.count, warm.count


def test_download_queries_do_not_grow_with_the_bank(app, client):
    with app.app_context():
        sync_bank([*fixture_bank.questions(), *fixture_bank.generated(5)])
        db.session.commit()
    small = {
        url: _download_queries(app, client, url)
        for url in ("/anki/deck.apkg", "/anki/history.apkg", "/anki")
    }
    with app.app_context():
        sync_bank([*fixture_bank.questions(), *fixture_bank.generated(300)])
        db.session.commit()
    large = {
        url: _download_queries(app, client, url)
        for url in ("/anki/deck.apkg", "/anki/history.apkg", "/anki")
    }
    assert small == large, (small, large)
    # A download reads the questions with their revisions in one statement when it
    # builds the package, and checks the revision ids in one when it reuses it.
    assert large["/anki/deck.apkg"] == large["/anki/history.apkg"] == (2, 1)
    assert large["/anki"] == (1, 1)
