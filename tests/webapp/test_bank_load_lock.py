"""Two `flask bank load` runs at once: the second waits for the first's lock (saying so
in one line) and then finds nothing left to do, instead of ending in an IntegrityError
traceback. PostgreSQL takes an advisory lock, SQLite its write lock."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from webapp.bank_sync import BANK_LOCK_KEY
from webapp.extensions import db
from webapp.models import Question

from . import fixture_bank

ROOT = Path(__file__).resolve().parents[2]
WAITING = "bank load: another bank load is running; waiting for it."


def _url(app) -> str:
    """The test database's URL as another process must spell it (PostgreSQL: its schema)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {}).get("options")
    return f"{url}?options={quote(options)}" if options else url


def _bank_load(app, bank_dir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "APP_ENV"}
    env.update({"FLASK_SQLALCHEMY_DATABASE_URI": _url(app), "PYTHONPATH": str(ROOT)})
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "bank", "load", str(bank_dir)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _hold_the_lock(app):
    """Another connection holding the lock bank loads take; returns its release function."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], **options)
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": BANK_LOCK_KEY})
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    def release():
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": BANK_LOCK_KEY})
        else:
            connection.exec_driver_sql("ROLLBACK")
        connection.close()
        engine.dispose()

    return release


def test_two_concurrent_bank_loads_end_without_a_traceback(app, tmp_path):
    bank_dir = fixture_bank.write_bank(tmp_path / "bank")
    runs = [_bank_load(app, bank_dir) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert not any("Traceback" in out or "IntegrityError" in out for out in outputs), outputs
    added = [f"{len(fixture_bank.ITEMS)} added" in out for out in outputs]
    assert sorted(added) == [False, True], outputs  # one loaded, the other found it done
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Question.id)))
    assert count == len(fixture_bank.ITEMS)


def test_a_bank_load_waits_for_the_lock_and_says_so_in_one_line(app, tmp_path):
    bank_dir = fixture_bank.write_bank(tmp_path / "bank")
    release = _hold_the_lock(app)
    run = _bank_load(app, bank_dir)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(run.stdout), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while WAITING + "\n" not in lines and time.monotonic() < deadline:
            assert run.poll() is None, lines  # it must wait, not fail
            time.sleep(0.1)
        assert lines == [WAITING + "\n"]
    finally:
        release()
    assert run.wait(timeout=120) == 0
    reader.join(timeout=10)
    run.stdout.close()
    assert lines[-1].startswith(f"bank load: {len(fixture_bank.ITEMS)} added")
