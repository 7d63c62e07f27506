"""A failing browser test leaves a screenshot of its page in test-artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT, chromium_path

pytestmark = pytest.mark.browser

INNER_TESTS = """
def test_fails_on_a_page(page):
    page.set_content("<h1>The page as it was</h1>")
    assert False, "deliberate failure"


def test_fails_on_a_page_of_its_own(browser):
    own = browser.new_context().new_page()
    own.set_content("<h1>A page the test opened itself</h1>")
    assert False, "deliberate failure"


def test_passes_on_a_page(page):
    page.set_content("<h1>Fine</h1>")
"""


def test_a_failing_browser_test_saves_screenshots_and_a_passing_one_does_not(tmp_path):
    chromium_path()  # skip (or fail under CI) before starting a run that needs it
    (tmp_path / "conftest.py").write_text("from tests.e2e.conftest import *  # noqa: F403\n")
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 failed, 1 passed" in done.stdout, done.stdout
    shots = sorted(p.name for p in (tmp_path / ARTIFACTS).iterdir())
    assert shots == [
        "test_inner.py_test_fails_on_a_page.png",
        "test_inner.py_test_fails_on_a_page_of_its_own.png",
    ], shots
    for shot in shots:
        png = (tmp_path / ARTIFACTS / shot).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    assert "screenshot of the failing page" in done.stdout
