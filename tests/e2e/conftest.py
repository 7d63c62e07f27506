"""Real-browser fixtures: Debian's chromium (never a downloaded one) against gunicorn.

``live_server`` runs the app as in production (``APP_ENV=production``, gunicorn with two
workers, a migrated database) on a free 127.0.0.1 port with a fresh SQLite database per
test holding the fixture bank (every kind). ``browser`` is one chromium for the run;
``page`` a fresh context per test. When a test fails, every page it has open is saved to
``test-artifacts/<test>.png``.
Locally these tests skip when chromium or Playwright is missing; under ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from tests.serving import Gunicorn
from tests.webapp import fixture_bank
from webapp import create_app
from webapp.bank_sync import sync_bank
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = "test-artifacts"


def _missing(reason: str) -> None:
    """Skip locally; fail under CI, where the browser tests are mandatory."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason} (browser tests are mandatory under CI=true; .ci/run installs chromium)",
            pytrace=False,
        )
    pytest.skip(reason)


def chromium_path() -> str:
    """The system chromium: ``CHROMIUM_PATH``, else /usr/bin/chromium, else on PATH."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    _missing("chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    raise AssertionError("unreachable")


@dataclass
class LiveServer:
    """A running gunicorn (``url``), and its database from the test's side (``app``)."""

    url: str
    app: Flask
    env: dict[str, str]
    log: Path
    outbox: Path  # the mail the server sent, one file per message (MAIL_OUTBOX_DIR)

    def mails(self) -> list[str]:
        """Every message sent so far, oldest first."""
        if not self.outbox.exists():
            return []
        return [p.read_text() for p in sorted(self.outbox.iterdir())]

    def flask(self, *args: str) -> str:
        """Run ``flask --app webapp ARGS`` on the server's database; returns its output."""
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "webapp", *args],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def create_user(self, role: str = "student") -> str:
        """A new account of ``role`` (password ``PASSWORD``), made with the command; its email."""
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        self.flask("users", "create", email, "--role", role, "--password", PASSWORD)
        return email

    def only(self, uid: str) -> None:
        """Retire every fixture question but ``uid``, so a quiz holds just that one."""
        from webapp.models import Question

        with self.app.app_context():
            for q in db.session.scalars(db.select(Question)):
                q.status = "published" if q.uid == uid else "retired"
            db.session.commit()


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """gunicorn in production mode on a free loopback port; a fresh database per test.

    The schema comes from the migrations and the fixture bank (every kind) is loaded, as
    ``make serve`` would; the server runs with ``APP_ENV=production`` and its own key.
    """
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "e2e-setup-side"})
    with app.app_context():
        upgrade()
        sync_bank(fixture_bank.questions())
        db.session.commit()
    outbox = tmp_path / "outbox"
    server = Gunicorn(
        url,
        workers=2,
        log=tmp_path / "gunicorn.log",
        env={"APP_ENV": "production", "MAIL_OUTBOX_DIR": str(outbox)},
    )
    try:
        with server:
            yield LiveServer(
                url=server.base,
                app=app,
                env=server.env,
                log=tmp_path / "gunicorn.log",
                outbox=outbox,
            )
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, headless, driven by Playwright (no browser download); one per run."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The browser; whatever contexts a test opens are closed after it (and shot on failure)."""
    yield chromium
    for context in list(chromium.contexts):
        context.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies) and page."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(15_000)
    return context.new_page()


def _open_pages(funcargs: dict) -> list:
    """Every page of the test's ``browser``, and a ``page`` fixture of its own making."""
    from playwright.sync_api import Page

    pages = []
    browser = funcargs.get("browser")
    if browser is not None:
        pages = [p for context in browser.contexts for p in context.pages]
    own = funcargs.get("page")
    if isinstance(own, Page) and own not in pages and not own.is_closed():
        pages.append(own)
    return pages


def save_screenshot(page, nodeid: str, directory: Path) -> Path:
    """Save the whole page as ``directory/<nodeid made a file name>.png``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_") + ".png")
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot of the failing page: {path}")
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, screenshot every page it still has open."""
    report = yield
    if report.failed and report.when == "call":
        directory = item.config.rootpath / ARTIFACTS
        for n, open_page in enumerate(_open_pages(getattr(item, "funcargs", {})), start=1):
            name = item.nodeid if n == 1 else f"{item.nodeid}-{n}"
            try:
                save_screenshot(open_page, name, directory)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"no screenshot of page {n}: {exc}")
    return report
