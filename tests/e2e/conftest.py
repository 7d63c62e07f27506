"""Real-browser fixtures: Debian's chromium (never a downloaded one) against gunicorn.

``live_server`` runs the app as in production (``APP_ENV=production``, gunicorn with two
workers, migrations, ``flask bank load``) on a free 127.0.0.1 port with a temporary
SQLite database holding the fixture bank (every kind). ``page`` is a fresh browser
context per test; when a test fails, its page is saved to ``test-artifacts/<test>.png``.
Locally these tests skip when chromium or Playwright is missing; under ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.webapp import fixture_bank

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = "test-artifacts"


def _missing(reason: str) -> None:
    """Skip locally; fail under CI, where the browser tests are mandatory."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests are mandatory under CI=true; .ci/run installs "
                    "chromium)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The system chromium: ``CHROMIUM_PATH``, else /usr/bin/chromium, else on PATH."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    _missing("chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    raise AssertionError("unreachable")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A running gunicorn: its base URL, and ``flask`` commands against its database."""

    url: str
    env: dict[str, str]
    log: Path

    def flask(self, *args: str) -> str:
        """Run ``flask --app webapp ARGS`` on the server's database; returns its output."""
        done = subprocess.run([str(BIN / "flask"), "--app", "webapp", *args], cwd=ROOT,
                              env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def create_user(self, role: str = "student") -> str:
        """A new account of ``role`` (password ``PASSWORD``); returns its email."""
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        self.flask("users", "create", email, "--role", role, "--password", PASSWORD)
        return email


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """gunicorn in production mode on a free loopback port, fixture bank loaded."""
    base = tmp_path_factory.mktemp("live")
    fixture_bank.write_bank(base / "bank")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FLASK_") and k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update({"APP_ENV": "production", "SECRET_KEY": uuid.uuid4().hex,
                "DATABASE_URL": f"sqlite:///{base / 'live.sqlite'}"})
    server = LiveServer(url="", env=env, log=base / "gunicorn.log")
    server.flask("db", "upgrade")
    server.flask("bank", "load", str(base / "bank"))
    port = free_port()
    server.url = f"http://127.0.0.1:{port}"
    with server.log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", "--error-logfile", "-", "webapp:create_app()"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(server, proc)
        yield server
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_for(server: LiveServer, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n"
                               + server.log.read_text())
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout}s:\n" + server.log.read_text())


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright (no browser download)."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh context (no cookies) and page; screenshot into test-artifacts/ on failure."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshot(page, request.node.nodeid, request.config.rootpath / ARTIFACTS)
    context.close()


def save_screenshot(page, nodeid: str, directory: Path) -> Path:
    """Save the whole page as ``directory/<nodeid made a file name>.png``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_") + ".png")
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot of the failing page: {path}")
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so ``page`` knows the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
