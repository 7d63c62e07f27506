"""Flashcard study in a real browser (Debian's chromium through Playwright).

Skipped when chromium is missing locally; mandatory under CI=true.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def study_server(tmp_path) -> Iterator[tuple[str, object]]:
    """A live server with the fixture bank and one student; (base URL, app)."""
    from werkzeug.serving import make_server

    from webapp import create_app
    from webapp.bank_sync import sync_bank
    from webapp.extensions import db
    from webapp.models import User

    from ..webapp import fixture_bank

    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "STUDY_FUZZING": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
        }
    )
    with app.app_context():
        db.create_all()
        sync_bank(fixture_bank.questions())
        student = User(email="student@example.com", role="student")
        student.set_password(PASSWORD)
        db.session.add(student)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


# ``browser`` comes from conftest.py: the run's one chromium (a second Playwright in the
# same process cannot start), skipped without chromium locally and mandatory under CI.


def _login(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "student@example.com")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit], form input[type=submit]")


def _review_count(app) -> int:
    from webapp.extensions import db
    from webapp.models.study import ReviewLog

    with app.app_context():
        return db.session.scalar(db.select(db.func.count(ReviewLog.id)))


def test_space_flips_in_place_and_keys_rate(study_server, browser):
    base, app = study_server
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, base)
    page.goto(f"{base}/study/session?section=history")
    front_url = page.url
    assert page.locator("#card-back").count() == 0
    assert page.locator(".keys-hint").first.is_visible()

    page.keyboard.press("Space")
    assert page.locator("#card-back").is_visible()
    assert page.url == front_url  # flipped without a round trip
    assert "Amur" in page.locator("#card-back .options-marked li.key").inner_text()

    with page.expect_navigation():
        page.keyboard.press("3")
    assert _review_count(app) == 1
    assert "Which of these are rivers" in page.locator(".prompt").inner_text()
    # a key pressed twice while the page changes is still one rating per card
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("4")
        page.keyboard.press("4")
    assert _review_count(app) == 2
    assert errors == []


def test_works_without_javascript_on_a_phone_in_dark_mode(study_server, browser):
    base, app = study_server
    context = browser.new_context(
        java_script_enabled=False, color_scheme="dark", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    _login(page, base)
    page.goto(f"{base}/study/session")
    assert not page.locator(".keys-hint").first.is_visible()  # no promise of keys
    with page.expect_navigation():
        page.click("#show-answer")
    assert page.locator("#card-back").is_visible()
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the card overflows a 360px screen"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(253, 253, 251)"  # the dark palette, not the light one
    with page.expect_navigation():
        page.click("button[name=rating][value='1']")
    assert _review_count(app) == 1
    context.close()
