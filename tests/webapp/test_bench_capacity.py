"""bench/capacity.py in short form: 5 students for 3 seconds, wrk against gunicorn.

Checks the moving parts (the accounts' preparation, the request file, wrk's Lua script and
its think time, the figures read back): the report has a p95 and no error. Needs Debian's
``wrk``: skipped when it is missing, a failure under ``CI=true`` (.ci/run installs it).
The real figures come from ``bench/capacity.py --students ...`` (README, "Benchmarks").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_capacity_run_reports_a_p95_and_no_error():
    if shutil.which("wrk") is None:
        reason = "wrk is not installed (apt-get install -y wrk)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (mandatory under CI=true; .ci/run installs it)", pytrace=False)
        pytest.skip(reason)
    done = subprocess.run(
        [sys.executable, "bench/capacity.py", "--students", "5", "--duration", "3"]
        + ["--think", "0.5", "--accounts", "2", "--warmup", "0", "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    row = re.search(r"^\| 5 \| (.*)\|$", done.stdout, re.M)
    assert row, output
    cells = [c.strip() for c in row.group(1).split("|")]
    requests, p50, p95, p99, errors, wrk_cpu, gunicorn_cpu = (
        cells[i] for i in (2, 3, 4, 5, 6, 8, 9)
    )
    assert float(p95) > 0 and float(p50) <= float(p95) <= float(p99), output
    assert errors == "0", output
    # 5 students reading 0.5 s on average: about 10 requests a second, not a flood.
    assert 10 <= int(requests) <= 80, output
    # The load generator's CPU and the server's, both measured.
    assert wrk_cpu.endswith("%") and gunicorn_cpu.endswith("%"), output
