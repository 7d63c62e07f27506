"""Slow clients against gunicorn, with and without deploy/'s nginx, sync vs gthread workers.

    .venv/bin/python bench/bench_slow_clients.py [--slow 50] [--every 5] [--no-write]

For each of four set-ups (gunicorn alone or behind nginx; 3 sync workers, or 3 gthread
workers of 4 threads), all with deploy/gunicorn.conf.py on a fresh SQLite database:

1. baseline: a normal visitor's GET / with nothing else going on (median of 9);
2. under attack: ``--slow`` connections each sending a header line every ``--every``
   seconds, then 3 visitors' GET / (timeout 10 s): their time over the baseline;
3. throughput: 8 visitors in a loop for 8 s, no attack: requests a second, as a ratio to
   sync workers behind nginx (the deployed set-up).

Needs nginx and openssl (apt-get install nginx). Prints the table and, unless
``--no-write``, records it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402

from tests import serving  # noqa: E402

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
VISITOR_TIMEOUT = 10.0
THROUGHPUT_SECONDS = 8.0
SETUPS = [
    ("gunicorn alone", "sync", False),
    ("gunicorn alone", "gthread", False),
    ("behind nginx", "sync", True),
    ("behind nginx", "gthread", True),
]


def _throughput(url: str, *, clients: int = 8, seconds: float = 5.0) -> float:
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < stop:
            _, status = serving.timed_get(url, timeout=VISITOR_TIMEOUT)
            if status == 200:
                with lock:
                    done[0] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / seconds


def measure(worker_class: str, with_nginx: bool, slow: int, every: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="quiz-slow-"))
    url = f"sqlite:///{tmp / 'quiz.sqlite'}"
    serving.prepare(url)
    env = {
        "APP_ENV": "production",
        "FLASK_TRUSTED_PROXIES": "1" if with_nginx else "0",
        "QUIZ_WORKER_CLASS": worker_class,
        "QUIZ_THREADS": "4" if worker_class == "gthread" else "1",
        **serving.UNLIMITED_RATES,
    }
    args = ["-c", str(DEPLOY / "gunicorn.conf.py")]
    with ExitStack() as stack:
        app = stack.enter_context(serving.Gunicorn(url, workers=3, env=env, args=args))
        base = app.base
        if with_nginx:
            base = stack.enter_context(serving.Nginx(f"127.0.0.1:{app.port}", tmp / "nginx")).base
        page = base + "/"
        for _ in range(3):
            serving.timed_get(page)  # warm up: workers import and connect
        baseline = statistics.median(serving.timed_get(page)[0] for _ in range(9))
        rate = _throughput(page, seconds=THROUGHPUT_SECONDS)
        with serving.SlowClients(base, count=slow, every=every):
            time.sleep(every + 1)  # every slow client has sent a second header line
            visits = [serving.timed_get(page, timeout=VISITOR_TIMEOUT) for _ in range(3)]
    served = [s for s, status in visits if status == 200]
    return {
        "baseline": baseline,
        "served": len(served),
        "worst": max(s for s, _ in visits),
        "rate": rate,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=50, help="slow connections (default 50)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between header lines")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not serving.nginx_binary():
        print("nginx is not installed (apt-get install nginx)", file=sys.stderr)
        return 1
    rows = []
    for where, worker_class, with_nginx in SETUPS:
        result = measure(worker_class, with_nginx, args.slow, args.every)
        rows.append((where, worker_class, result))
        print(where, worker_class, result, flush=True)
    deployed = next(r for w, c, r in rows if w == "behind nginx" and c == "sync")["rate"]
    lines = [
        "## Slow clients (`bench/bench_slow_clients.py`)",
        "",
        f"{stamp()}, `{command_line()}`: {args.slow} connections each sending a header",
        f"line every {args.every:g} s; 3 workers (gthread: 4 threads each),",
        "deploy/gunicorn.conf.py, SQLite; each visitor opens a new connection (behind nginx:",
        "a TLS handshake too). *Visitors served*: of 3 normal GET / during the attack",
        f"(timeout {VISITOR_TIMEOUT:g} s). *Worst / baseline*: the slowest of them over the median",
        "GET / with no attack, same server. *Throughput*: GET / a second by 8 visitors for",
        f"{THROUGHPUT_SECONDS:g} s with no attack, over sync workers behind nginx.",
        "",
        "| set-up | workers | visitors served | worst / baseline | throughput ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for where, worker_class, r in rows:
        ratio = r["worst"] / r["baseline"]
        worst = f"{ratio:.1f}x" if r["served"] == 3 else f">{VISITOR_TIMEOUT:g} s (timed out)"
        lines.append(
            f"| {where} | {worker_class} | {r['served']}/3 | {worst} | {r['rate'] / deployed:.2f} |"
        )
    alone = [r for w, _, r in rows if w == "gunicorn alone"]
    behind = {c: r for w, c, r in rows if w == "behind nginx"}
    lines += [
        "",
        f"Alone, gunicorn served {sum(r['served'] for r in alone)} of {3 * len(alone)} visitors",
        "during the attack (the slow clients hold the sync workers, and a gthread worker's",
        f"threads too); behind nginx {sum(r['served'] for r in behind.values())} of",
        f"{3 * len(behind)}. Behind nginx, gthread over sync throughput:",
        f"{behind['gthread']['rate'] / behind['sync']['rate']:.2f}.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_block("slow-clients", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
