"""bench/capacity.py in short form: 5 students for 3 seconds, wrk against gunicorn.

Checks the moving parts (the accounts' preparation, the request file, wrk's Lua script and
its think time, the figures read back): the report has a p95 and no error. Needs Debian's
``wrk``: skipped when it is missing, a failure under ``CI=true`` (.ci/run installs it).
The real figures come from ``bench/capacity.py --students ...`` (README, "Benchmarks").
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def need_wrk() -> None:
    """Skip without Debian's wrk; under CI=true fail instead (.ci/run installs it)."""
    if shutil.which("wrk") is None:
        reason = "wrk is not installed (apt-get install -y wrk)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (mandatory under CI=true; .ci/run installs it)", pytrace=False)
        pytest.skip(reason)


def test_a_short_capacity_run_reports_a_p95_and_no_error():
    need_wrk()
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


def test_the_students_script_deals_each_request_to_one_thread_once():
    """wrk's threads share the request list: thread k of T takes every T-th line, so no
    answer is sent twice and none is left out (a tiny server records what arrives)."""
    need_wrk()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):  # quiet
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    with Server(("127.0.0.1", 0), Handler) as server, tempfile.TemporaryDirectory() as tmp:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        wanted = [f"/p/{k}" for k in range(120)]
        lines = Path(tmp) / "lines.txt"
        lines.write_text("".join(f"GET\t{path}\t\t\n" for path in wanted))
        done = subprocess.run(
            ["wrk", "-t2", "-c4", "-d5s", "--timeout", "2s"]
            + ["-s", str(ROOT / "bench" / "wrk_students.lua")]
            + [f"http://127.0.0.1:{server.server_address[1]}", "--", str(lines), "5", "4", "1"]
            + ["2"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        server.shutdown()
    assert done.returncode == 0, done.stdout + done.stderr
    asked = [path for path in seen if path.startswith("/p/")]
    # Thread k sends only the lines whose number is k modulo 2, so every path arriving once
    # means each thread sent its whole half; the old script sent each path twice.
    assert sorted(asked) == sorted(wanted), f"sent twice or left out: {len(asked)} of 120"
    # and the run says the list was spent
    assert re.search(r"^capacity \d+ \d+ \d+ 1\d\d spent", done.stdout, re.M), done.stdout
