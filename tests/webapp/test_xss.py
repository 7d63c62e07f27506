"""Question text is user input: HTML or script in any field is shown inert on every page."""

from __future__ import annotations

import copy

import pytest

from webapp.bank_sync import sync_bank
from webapp.extensions import db

from . import fixture_bank
from .crawl import crawl
from .helpers import answer_all, post_form, start_quiz

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'
RAW_MARKERS = ("<script>alert(1)", "<img src=x", 'onerror="alert')
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _hostile(item: dict) -> dict:
    """A copy of a fixture item with the payload in every text a page may show."""
    item = copy.deepcopy(item)
    for key in ("prompt", "explanation"):
        item[key] = (
            f"{item[key]} {PAYLOAD}"
            if "{{" not in item[key]
            else f"{PAYLOAD} {item[key]} {PAYLOAD}"
        )
    item["note"] = f"Note {PAYLOAD}"
    for option in item.get("options", []):
        option["text"] += PAYLOAD
    item["items"] = [f"{x}{PAYLOAD}" for x in item.get("items", [])] or None
    for pair in item.get("pairs", []):
        pair["left"] += PAYLOAD
        pair["right"] += PAYLOAD
    if item.get("distractors"):
        item["distractors"] = [d + PAYLOAD for d in item["distractors"]]
    if item["kind"] in ("short_answer", "basic"):
        item["answer"] = f"{item['answer']}{PAYLOAD}"
        item["accept"] = [f"{a}{PAYLOAD}" for a in item.get("accept", [])]
    if item.get("unit"):
        item["unit"] += PAYLOAD
    return {k: v for k, v in item.items() if v is not None}


@pytest.fixture
def hostile_bank(app):
    with app.app_context():
        sync_bank(fixture_bank.questions([_hostile(i) for i in fixture_bank.ITEMS]))
        db.session.commit()


def _assert_inert(url: str, html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{url} shows live markup: {marker!r}"


def test_hostile_question_text_is_inert_on_every_page(app, client, auth, hostile_bank):
    auth.login_as("student")
    bodies: dict[str, str] = {}
    attempts = [start_quiz(client, section, size=5) for section in ("history", "economy-energy")]
    # The question pages before answering, and after a rejected answer that echoes input.
    for attempt_id in attempts:
        for position in range(1, 6):
            url = f"/attempts/{attempt_id}/items/{position}"
            response = client.get(url)
            if response.status_code == 404:
                break
            bodies[url] = response.get_data(as_text=True)
            echoed = post_form(
                client, url, {"answer": PAYLOAD, "blank-0": PAYLOAD, "choice": PAYLOAD}, page=url
            )
            assert echoed.status_code in (302, 422)
            bodies[f"{url} (rejected answer)"] = echoed.get_data(as_text=True)
        answer_all(client, app, attempt_id, right=False)
    with app.app_context():
        from webapp.models import Question

        ids = list(db.session.scalars(db.select(Question.id)))
    flashcards = [f"/study/session?card={i}{back}" for i in ids for back in ("", "&back=1")]
    crawl(
        client,
        [
            "/",
            "/dashboard",
            "/study/session",
            *flashcards,
            *(f"/attempts/{a}" for a in attempts),
            *(f"/attempts/{a}/items/{p}" for a in attempts for p in range(1, 6)),
        ],
        bodies=bodies,
    )
    for url, html in bodies.items():
        _assert_inert(url, html)
    # The hostile text really was on those pages, escaped.
    shown = [url for url, html in bodies.items() if ESCAPED in html]
    for page in (
        "/dashboard",
        f"/attempts/{attempts[0]}",
        f"/attempts/{attempts[0]}/items/1",
        "/study/session",
        f"/study/session?card={ids[0]}&back=1",
    ):
        assert page in shown, page
    assert any("rejected answer" in url for url in shown)


def test_hostile_question_text_is_inert_in_the_anki_cards(tmp_path):
    """The same hostile bank exported as a deck and imported with the real Anki library."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from questions.anki import export_anki

    hostile = fixture_bank.questions([_hostile(i) for i in fixture_bank.ITEMS])
    path = export_anki(hostile, tmp_path / "hostile.apkg").path
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
        )
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        assert len({c.note().id for c in cards}) == len(hostile)
        shown = 0
        for card in cards:
            for side in (card.question(), card.answer()):
                _assert_inert(f"card {card.id}", side)
                shown += ESCAPED in side
        assert shown >= len(hostile)  # the payload is on the cards, as text
    finally:
        col.close()


def test_hostile_question_text_is_inert_on_the_instructor_pages(app, client, auth, hostile_bank):
    """The instructor's list, question, edit, history and statistics pages escape it too."""
    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    answer_all(client, app, attempt_id, right=False)  # statistics with misses to show
    auth.logout()
    auth.login_as("instructor")
    with app.app_context():
        from webapp.models import Question

        ids = list(db.session.scalars(db.select(Question.id)))
    bodies: dict[str, str] = {}
    start = [
        "/instructor/",
        "/instructor/statistics",
        "/instructor/class",
        *(
            f"/instructor/questions/{i}{suffix}"
            for i in ids
            for suffix in ("", "/edit", "/history")
        ),
    ]
    crawl(client, start, limit=200, bodies=bodies)
    instructor_pages = {u: h for u, h in bodies.items() if u.startswith("/instructor")}
    for url, html in instructor_pages.items():
        _assert_inert(url, html)
    shown = {u for u, h in instructor_pages.items() if ESCAPED in h}
    for page in (
        "/instructor/",
        f"/instructor/questions/{ids[0]}",
        f"/instructor/questions/{ids[0]}/edit",
    ):
        assert page in shown, (page, sorted(instructor_pages))
