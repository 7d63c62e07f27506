"""In a real browser: "Add another option" adds a row in place, and the saved question
has it. Needs Debian's chromium; skipped without it locally, mandatory when CI=true."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db
from webapp.models import Question, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def live_app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "e2e",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
            "BANK_DIR": str(tmp_path / "bank"),
        }
    )
    with app.app_context():
        db.create_all()
        user = User(email="prof@example.com", role=Role.INSTRUCTOR.value)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(live_app, browser):
    """A page of the run's one chromium (conftest): a second Playwright cannot start."""
    return browser.new_page()


def test_add_another_option_adds_a_row_in_place_and_it_is_saved(live_app, page):
    app, base = live_app
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "prof@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{base}/instructor/questions/new/single_choice")
    assert page.locator("[data-rows=options] .row-entry").count() == 4
    url_before = page.url
    page.click("[data-add-row=options]")
    rows = page.locator("[data-rows=options] .row-entry")
    assert rows.count() == 5
    assert page.url == url_before  # no round trip to the server
    new_input = page.locator("#options-4-text")
    assert new_input.evaluate("el => el === document.activeElement")
    assert page.locator("label[for=options-4-text]").inner_text() == "Option 5"
    page.fill("#uid", "history-browser-made")
    page.check("#paragraphs-introduction-1")
    page.fill("#prompt", "Which of these five is right?")
    for i, text in enumerate(["One", "Two", "Three", "Four", "Five"]):
        page.fill(f"#options-{i}-text", text)
    page.check("#options-4-key")
    page.fill("#explanation", "The fifth is the key in this test.")
    page.click("input[name=save]")
    page.wait_for_url("**/instructor/questions/*")
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-browser-made"))
        options = row.current_revision.data["options"]
    assert [o["text"] for o in options] == ["One", "Two", "Three", "Four", "Five"]
    assert options[4].get("correct") is True
