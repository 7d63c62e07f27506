"""A live server and Debian's chromium (through Playwright) for end-to-end tests.

Without chromium the tests skip, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from webapp import create_app
from webapp.bank_sync import sync_bank
from webapp.extensions import db

from ..webapp import fixture_bank


def _chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: CI must run the browser tests", pytrace=False)
        pytest.skip("browser tests: install Debian's chromium (or set CHROMIUM_PATH)")
    return path


class LiveServer:
    def __init__(self, url: str, app) -> None:
        self.url, self.app = url, app

    def only(self, uid: str) -> None:
        """Retire every fixture question but ``uid``, so a quiz holds just that one."""
        from webapp.models import Question

        with self.app.app_context():
            for q in db.session.scalars(db.select(Question)):
                q.status = "published" if q.uid == uid else "retired"
            db.session.commit()


@pytest.fixture
def live_server(tmp_path):
    """The app on a free local port, with the fixture bank loaded (``.url``, ``.app``)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
                      "SECRET_KEY": "e2e-secret"})
    with app.app_context():
        db.create_all()
        sync_bank(fixture_bank.questions())
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
