"""Without chromium the browser tests skip locally and fail under CI."""

from __future__ import annotations

import pytest

from . import conftest


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(conftest.os, "access", lambda path, mode: False)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)


def test_missing_chromium_skips_locally_with_the_reason(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        conftest.chromium_path()


def test_missing_chromium_fails_under_ci(no_chromium, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="mandatory under CI=true"):
        conftest.chromium_path()


def test_chromium_path_prefers_the_environment(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert conftest.chromium_path() == str(fake)
