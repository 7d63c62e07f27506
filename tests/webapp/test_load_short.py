"""The load test in short form: 8 students for 8 seconds against gunicorn, one worker
SIGKILLed mid-run; no 5xx, and every answer the clients saw accepted is stored.

The full form (50 students x 60 s) is ``bench/load.py``; its figures go to RESULTS.md.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests import serving

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _database_url(kind: str) -> str | None:
    if kind == "sqlite":
        return None
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "TEST_DATABASE_URL is not set: CI must run the PostgreSQL load test", pytrace=False
            )
        pytest.skip("PostgreSQL variant: set TEST_DATABASE_URL to run it")
    return url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_short_load_with_a_killed_worker_loses_no_answer(kind):
    load = _load_module()
    result = load.run_load(
        students=8,
        duration=8,
        database_url=_database_url(kind),
        workers=3,
        kill_worker_at=3,
        max_requests=5_000,
    )
    report = result.report()
    assert result.killed, "no gunicorn worker was killed\n" + report
    assert result.stats.server_errors == [], report
    assert result.client_errors == [], report
    assert len(result.stats.accepted) >= 8, report  # the students really answered
    assert result.lost == [], report


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_tabs_answering_one_question_at_once_through_gunicorn_store_one(kind, tmp_path):
    """Several worker processes race on one answer: every tab gets a redirect, one row."""
    import threading

    import sqlalchemy as sa

    load = _load_module()
    with serving.scratch_database(_database_url(kind)) as url:
        serving.prepare(url)
        outbox = tmp_path / "outbox"
        with serving.Gunicorn(url, workers=3, env=load.server_env(outbox)) as server:
            stats = load.Stats()
            student = load.Student(
                0, server.port, stats, float("inf"), 1_000, seed=3, outbox=outbox
            )
            student.register()
            _, _, html = student.request("start page", "GET", "/quiz/history")
            _, headers, _ = student.request(
                "start", "POST", "/quiz/history", {"size": "5", "csrf_token": student.csrf(html)}
            )
            attempt_id = int(headers["Location"].rsplit("/", 1)[1])
            url_item = f"/attempts/{attempt_id}/items/1"
            _, _, page = student.request("quiz page", "GET", url_item)
            form = load.FormReader()
            form.feed(page)
            data = {**load.pick_answer(form, student.rng), "csrf_token": form.csrf}
            barrier = threading.Barrier(8)
            statuses: list[int] = []

            def tab() -> None:
                barrier.wait()
                statuses.append(student.request("answer", "POST", url_item, data)[0])

            threads = [threading.Thread(target=tab) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                stored = conn.execute(
                    sa.text(
                        "SELECT count(*) FROM answer a JOIN attempt_item ai "
                        "ON ai.id = a.attempt_item_id WHERE ai.attempt_id = :a AND ai.position = 1"
                    ),
                    {"a": attempt_id},
                ).scalar_one()
        finally:
            engine.dispose()
    assert statuses == [302] * 8, statuses
    assert stats.server_errors == []
    assert stored == 1
