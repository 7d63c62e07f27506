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
            pytest.fail("TEST_DATABASE_URL is not set: CI must run the PostgreSQL load test",
                        pytrace=False)
        pytest.skip("PostgreSQL variant: set TEST_DATABASE_URL to run it")
    return url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql",
                                                         marks=pytest.mark.postgres)])
def test_a_short_load_with_a_killed_worker_loses_no_answer(kind):
    load = _load_module()
    result = load.run_load(students=8, duration=8, database_url=_database_url(kind),
                           workers=3, kill_worker_at=3, max_requests=5_000)
    report = result.report()
    assert result.killed, "no gunicorn worker was killed\n" + report
    assert result.stats.server_errors == [], report
    assert result.client_errors == [], report
    assert len(result.stats.accepted) >= 8, report  # the students really answered
    assert result.lost == [], report
