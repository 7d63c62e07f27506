"""Requests per second and latency of the quiz page and of an answer, against /healthz.

    .venv/bin/python bench/bench_pages.py [--database-url postgresql://...] [--connections 4]

One gunicorn (3 sync workers), one run. The load comes from ``wrk`` (Debian's package:
``apt-get install -y wrk``), a C load generator that costs the 2-core machine a few per
cent of a core, so the ratios are the server's and not the client's (the Python client
used before took about half a core and compressed every ratio). A Python student
registers and opens quizzes first; then /healthz (one ``SELECT 1``), the quiz page (an
unanswered question, GET) and an answer (POST of a valid answer to a question not yet
answered, each answer sent once; the redirect it answers is not followed) take turns in
rounds, so the machine's other load hits all three alike. The figures are ratios to
/healthz: target 3x for both. Prints them and records them in bench/RESULTS.md unless
``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from load import FormReader, Stats, Student, pick_answer, server_env  # noqa: E402

from tests.serving import Gunicorn, prepare, scratch_database  # noqa: E402

TARGETS = {"quiz page": 3.0, "answer": 3.0}
LUA = Path(__file__).resolve().parent / "wrk_requests.lua"


class Bencher(Student):
    """A logged-in student with open quizzes, ready to GET pages and POST answers."""

    def prepare(self, answers_needed: int) -> None:
        self.register()
        self.page_urls: list[str] = []
        self.answers: list[tuple[str, dict]] = []
        while len(self.answers) < answers_needed or not self.page_urls:
            _, _, html = self.request("setup", "GET", "/quiz/all")
            status, headers, _ = self.request(
                "setup", "POST", "/quiz/all", {"size": "40", "csrf_token": self.csrf(html)}
            )
            attempt = headers["Location"].rsplit("/", 1)[1]
            for position in range(1, 41):
                url = f"/attempts/{attempt}/items/{position}"
                _, _, page = self.request("setup", "GET", url)
                form = FormReader()
                form.feed(page)
                if not self.page_urls:
                    self.page_urls = [url]  # one open question kept for the page test
                    continue
                self.answers.append((url, {**pick_answer(form, self.rng), "csrf_token": form.csrf}))

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _wrk(port: int, lines: list[str], cookie: str, *, seconds: float, connections: int, once: bool):
    """Run wrk over ``lines``; (requests per second, p50 ms, p99 ms, requests)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds:g}s",
                "--latency",
                "--timeout",
                "30s",
                "-s",
                str(LUA),
                f"http://127.0.0.1:{port}",
                "--",
                f.name,
                cookie,
                "once" if once else "loop",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    if "Socket errors" in out:
        raise AssertionError(f"wrk saw socket errors:\n{out}")
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if refused and (not once or int(refused.group(1)) > len(lines) // 20):
        # An answer the form reader filled in may be unreadable (422), rarely; any other
        # error means the figures are not the pages'.
        raise AssertionError(f"wrk saw error responses:\n{out}")
    n = int(re.search(r"(\d+) requests in", out).group(1))
    if once and n >= len(lines) - connections and len(lines) > 60:
        raise AssertionError(f"{n} answers sent, {len(lines)} prepared: raise --answers")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, ms("50"), ms("99"), n


def run(
    *,
    database_url: str | None,
    connections: int,
    seconds: float,
    answers: int,
    rounds: int,
    workers: int,
) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("bench_pages needs wrk: apt-get install -y wrk")
    name = "PostgreSQL" if database_url and not database_url.startswith("sqlite") else "SQLite"
    with scratch_database(database_url) as url:
        prepare(url)
        outbox = Path(tempfile.mkdtemp(prefix="quiz-bench-mail-"))
        with Gunicorn(url, workers=workers, env=server_env(outbox)) as server:
            student = Bencher(0, server.port, Stats(), float("inf"), 10**9, 7, outbox=outbox)
            student.prepare(answers * rounds + 60)
            cookie = student.cookie()
            page = [f"GET\t{student.page_urls[0]}\t"]
            health = ["GET\t/healthz\t"]
            posts = [f"POST\t{u}\t{urlencode(d, doseq=True)}" for u, d in student.answers]
            # Warm-up, not measured: each worker's first answers load the graders' data.
            warm, posts = posts[:60], posts[60:]
            _wrk(server.port, warm, cookie, seconds=2, connections=connections, once=True)
            _wrk(server.port, page, cookie, seconds=1, connections=connections, once=False)
            labels = ("healthz", "quiz page", "answer")
            runs: dict[str, list[tuple[float, float, float, int]]] = {k: [] for k in labels}
            for r in range(rounds):
                order = labels if r % 2 == 0 else tuple(reversed(labels))
                for label in order:
                    if label == "answer":
                        batch, posts = posts[:answers], posts[answers:]
                        runs[label].append(
                            _wrk(
                                server.port,
                                batch,
                                cookie,
                                seconds=seconds,
                                connections=connections,
                                once=True,
                            )
                        )
                    else:
                        lines = health if label == "healthz" else page
                        runs[label].append(
                            _wrk(
                                server.port,
                                lines,
                                cookie,
                                seconds=seconds,
                                connections=connections,
                                once=False,
                            )
                        )
    figures = {}
    for label, measured in runs.items():
        # Each round's ratio compares endpoints measured seconds apart, under the same load.
        ratios = [h[0] / m[0] for h, m in zip(runs["healthz"], measured, strict=True)]
        figures[label] = {
            "rps": statistics.median(m[0] for m in measured),
            "p50": statistics.median(m[1] for m in measured),
            "p99": statistics.median(m[2] for m in measured),
            "n": sum(m[3] for m in measured),
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
        }
    return {
        "database": name,
        "figures": figures,
        "connections": connections,
        "workers": workers,
        "rounds": rounds,
        "answers": answers,
        "seconds": seconds,
    }


def report(result: dict) -> str:
    f = result["figures"]
    lines = [
        f"- gunicorn, {result['workers']} sync workers, {result['database']}; wrk, 1 thread, "
        f"{result['connections']} connections; {result['rounds']} interleaved rounds of "
        f"{result['seconds']:g} s (healthz, quiz page) and {result['answers']} answers; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        "- ratio = healthz rps / endpoint rps, the median of the rounds' ratios (min-max); "
        "latencies are wrk's, medians of the rounds",
        "",
        "| endpoint | requests | rps | p50 ms | p99 ms | ratio (min-max) | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label in ("healthz", "quiz page", "answer"):
        x = f[label]
        target = TARGETS.get(label)
        verdict = (
            ""
            if target is None
            else f"<= {target:g}x: {'met' if x['ratio'] <= target else 'NOT met'}"
        )
        lines.append(
            f"| {label} | {x['n']} | {x['rps']:.0f} | {x['p50']:.1f} | {x['p99']:.1f} | "
            f"{x['ratio']:.2f}x ({x['ratio_min']:.2f}-{x['ratio_max']:.2f}) | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's open connections")
    parser.add_argument("--seconds", type=float, default=3, help="per GET phase and round")
    parser.add_argument(
        "--answers", type=int, default=2500, help="answers prepared per round (more than sent)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    result = run(
        database_url=args.database_url,
        connections=args.connections,
        seconds=args.seconds,
        answers=args.answers,
        rounds=args.rounds,
        workers=args.workers,
    )
    text = report(result)
    print(text)
    if not args.no_write:
        write_block(
            f"bench_pages-{result['database'].lower()}",
            f"## Page speed on {result['database']} (`bench/bench_pages.py`)\n\n"
            f"`{command_line()}`, {stamp()}:\n\n{text}",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
