"""``make serve``: migrations, bank load, then gunicorn workers answering on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.serving import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
KEY = "serve-test-key-0123456789abcdef-7Q2xK9"  # 32+ characters, as production needs


def _database_url(database) -> str:
    """The ``database`` fixture's URL, with its PostgreSQL schema carried in the URL itself."""
    url, engine_options = database
    options = engine_options.get("connect_args", {}).get("options")
    if options:
        url += "?" + urllib.parse.urlencode({"options": options})
    return url


def _make_serve(env_extra: dict[str, str], log: Path) -> subprocess.Popen:
    # Not the outer make's variables either (`make test PORT=...` must not leak in).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLASK_")
        and k not in ("SECRET_KEY", "DATABASE_URL", "APP_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    env.update(env_extra)
    # The venv running this test is the one to serve with; never reinstall it from here.
    cmd = [
        "make",
        "--no-print-directory",
        f"VENV={sys.prefix}",
        "-o",
        f"{sys.prefix}/.installed",
        "serve",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_make_serve_runs_gunicorn_workers_on_a_migrated_database(database, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    proc = _make_serve(
        {
            "DATABASE_URL": _database_url(database),
            "SECRET_KEY": KEY,
            "PORT": str(port),
            "WORKERS": "2",
        },
        log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, base, timeout=120, log=log, name="make serve")
        status, body = _get(base + "/healthz")
        assert (status, body.strip()) == (200, '{"database":"ok","status":"ok"}')
        # The home page reads the questions table: the migrations built it, the bank filled it.
        status, body = _get(base + "/")
        assert status == 200
        assert "Quiz on the whole article" in body
        assert "The question bank is empty" not in body
    finally:
        stop(proc)
    output = log.read_text()
    assert "Shutting down: Master" in output, output  # a graceful stop
    assert output.count("Booting worker with pid") == 2, output
    assert '127.0.0.1 GET "/healthz" 200 ' in output  # production mode's request log
    assert '127.0.0.1 GET "/" 200 ' in output


def test_make_serve_refuses_to_start_without_a_secret_key(tmp_path):
    log = tmp_path / "serve.log"
    proc = _make_serve(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "PORT": str(free_port())}, log
    )
    try:
        code = proc.wait(timeout=120)
    finally:
        stop(proc)
    output = log.read_text()
    assert code != 0
    assert "production mode needs a SECRET_KEY of your own" in output
    assert "Booting worker" not in output
