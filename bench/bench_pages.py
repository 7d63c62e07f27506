"""Requests per second and p95 of the quiz page and of an answer, against a trivial route.

    .venv/bin/python bench/bench_pages.py [--database-url postgresql://...] [--clients 8]

One gunicorn (3 sync workers), one run: /healthz (one ``SELECT 1``), the quiz page (an
unanswered question) and an answer submission (POST of a valid answer to a new question,
then the redirect it answers) take turns in rounds, so the machine's other load hits all
three alike. The figures are ratios to /healthz: targets 3x for the quiz page, 4x for
the answer. Prints them and records them in bench/RESULTS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from load import FormReader, Stats, Student, percentile, pick_answer, server_env  # noqa: E402

from tests.serving import Gunicorn, prepare, scratch_database  # noqa: E402

TARGETS = {"quiz page": 3.0, "answer": 4.0}


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

    def hit(self, label: str, n: int) -> None:
        for i in range(n):
            if label == "healthz":
                self.request(label, "GET", "/healthz")
            elif label == "quiz page":
                self.request(label, "GET", self.page_urls[i % len(self.page_urls)])
            else:
                url, data = self.answers.pop()
                status, headers, _ = self.request(label, "POST", url, data)
                if status != 302:
                    raise AssertionError(f"answer answered {status}")


def _phase(clients: list[Bencher], label: str, n: int) -> float:
    """Wall time for every client to send ``n`` requests to ``label`` at once."""
    errors: list[BaseException] = []

    def work(client: Bencher) -> None:
        try:
            client.hit(label, n)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def run(
    *, database_url: str | None, clients: int, requests: int, rounds: int, workers: int
) -> dict:
    name = "PostgreSQL" if database_url and not database_url.startswith("sqlite") else "SQLite"
    with scratch_database(database_url) as url:
        prepare(url)
        outbox = Path(tempfile.mkdtemp(prefix="quiz-bench-mail-"))
        with Gunicorn(url, workers=workers, env=server_env(outbox)) as server:
            stats = Stats()
            crowd = [
                Bencher(i, server.port, stats, float("inf"), 10**9, 7 + i, outbox=outbox)
                for i in range(clients)
            ]
            for c in crowd:
                c.prepare(requests * rounds)
            labels = ("healthz", "quiz page", "answer")
            wall: dict[str, list[float]] = {label: [] for label in labels}
            stats.latencies.clear()
            for r in range(rounds):
                order = labels if r % 2 == 0 else tuple(reversed(labels))
                for label in order:
                    wall[label].append(_phase(crowd, label, requests))
            if stats.server_errors:
                raise AssertionError(f"server errors: {stats.server_errors[:5]}")
    total = clients * requests * rounds
    figures = {}
    for label, seconds in wall.items():
        lat = stats.latencies[label]
        # Each round's ratio compares endpoints measured seconds apart, under the same load.
        ratios = [h / s for h, s in zip(wall["healthz"], seconds, strict=True)]
        figures[label] = {
            "rps": total / sum(seconds),
            "p50": percentile(lat, 50),
            "p95": percentile(lat, 95),
            "n": len(lat),
            "ratio": statistics.median([1 / r for r in ratios]),
            "ratio_min": min(1 / r for r in ratios),
            "ratio_max": max(1 / r for r in ratios),
        }
    return {
        "database": name,
        "figures": figures,
        "clients": clients,
        "workers": workers,
        "requests": total,
        "rounds": rounds,
    }


def report(result: dict) -> str:
    f = result["figures"]
    base = f["healthz"]
    lines = [
        f"- gunicorn, {result['workers']} sync workers, {result['database']}, "
        f"{result['clients']} concurrent clients, {result['requests']} requests per endpoint "
        f"in {result['rounds']} interleaved rounds; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}",
        "- ratio = healthz rps / endpoint rps, the median of the rounds' ratios (min-max); "
        "p95 ratio = endpoint p95 / healthz p95 over all rounds",
        "",
        "| endpoint | rps | p50 ms | p95 ms | ratio (min-max) | p95 ratio | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label in ("healthz", "quiz page", "answer"):
        x = f[label]
        ratio = x["ratio"]
        p95_ratio = x["p95"] / base["p95"]
        target = TARGETS.get(label)
        verdict = (
            "" if target is None else f"<= {target:g}x: {'met' if ratio <= target else 'NOT met'}"
        )
        lines.append(
            f"| {label} | {x['rps']:.0f} | {x['p50'] * 1000:.1f} | "
            f"{x['p95'] * 1000:.1f} | {ratio:.2f}x ({x['ratio_min']:.2f}-"
            f"{x['ratio_max']:.2f}) | {p95_ratio:.2f}x | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--requests", type=int, default=30, help="requests per client, endpoint and round"
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    result = run(
        database_url=args.database_url,
        clients=args.clients,
        requests=args.requests,
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
