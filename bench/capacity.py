"""Capacity: how many students reading between actions gunicorn serves at p95 < 100 ms.

    .venv/bin/python bench/capacity.py --students 500 1000 2000 3000 [--think 5] [--duration 30]
    .venv/bin/python bench/capacity.py --search 500 4000 [--steps 5]
    .venv/bin/python bench/capacity.py --database-url postgresql://postgres@127.0.0.1:5499/db \\
        --worker-class gthread --threads 4 --students 1000

What it measures: one gunicorn (``--workers 3``, sync by default, as bench_pages.py; the
deployment's ``gthread`` with ``--worker-class gthread --threads 4``) on a scratch
database (SQLite, or PostgreSQL with ``--database-url``), and N students, each one wrk
connection (``bench/wrk_students.lua``): a student waits 0.5x-1.5x ``--think`` seconds
(default 5) before each request (the first one 0..think, so arrivals are spread), so N
students offer about N / think requests a second. The requests replay load.py's quiz: per
5-question quiz the start page and the start (GET and POST), 5 x (the question page, an
answer, the feedback page of an answered question), the results page and the dashboard;
prepared beforehand by Python students (``--accounts``, default 40, signed up through the
mailed link, with open 40-question quizzes), each answer sent once. The load generator is
wrk, in C: its CPU time is reported next to the server's, so the report shows that the
client is the lighter side (``bench/load.py``'s Python students took half a core). wrk runs
``--wrk-threads`` threads (default 4; as many as divide N), thread k taking every T-th
request: wrk walks a thread's pending delays, one per reading student, on every turn of
its event loop (60% of its CPU at 2,000 students on one thread), so splitting the students
leaves the server the CPU it measures.

Each N runs ``--duration`` seconds (default 30), one after the other on the same server;
``--search LO HI`` bisects (``--steps``, default 5) for the largest N whose p95 is under
100 ms with no error. Per N the report gives the offered rate (N / think), the achieved
rate (wrk's requests a second), wrk's p50/p95/p99 over every request, errors (socket
errors, and responses other than 200/302; an answer refused as unreadable, 422, is counted
apart, as bench_pages tolerates it) and the CPU used by wrk and by gunicorn (master and
workers, from /proc) as per cent of one core. A 5xx or an unexpected status fails the run
loudly (exit 1). If the prepared requests run out before the time is up, the run is void
and the script says to prepare more (``--margin``).

The server's listening socket defers accept() until a request arrives (TCP_DEFER_ACCEPT,
``bench/gunicorn_defer_accept.py``): wrk opens a student's next connection right after a
response and holds it silent through the think time, which would tie a worker up per
waiting student (in production nginx holds those connections). ``--backlog`` (default:
N + 1024, at least 2048) must exceed N, since every waiting student is a pending connection
(the kernel caps it at net.core.somaxconn). Records the report in bench/RESULTS.md
(blocks ``capacity-sqlite``, ``capacity-postgresql``) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from load import SECTIONS, FormReader, Stats, Student, pick_answer, server_env  # noqa: E402

from tests.serving import Gunicorn, prepare, scratch_database  # noqa: E402

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk_students.lua"
DEFER_CONF = HERE / "gunicorn_defer_accept.py"
TARGET_MS = 100.0
QUIZ = 5  # questions per quiz in the mix, as load.py's students take them
PER_QUIZ = 2 + 3 * QUIZ + 2  # start page, start, 5 x (page, answer, feedback), results, dashboard
OK_STATUSES = {200, 302, 303}


class Account(Student):
    """A signed-up student with open quizzes: the pages and answers the wrk students send."""

    def prepare(self, answers_needed: int) -> None:
        self.register()
        self.open_pages: list[str] = []  # left unanswered: the question page, GET
        self.feedback_pages: list[str] = []  # answered here: the feedback page, GET
        self.results_pages: list[str] = []  # a finished quiz: the results page, GET
        self.answers: list[tuple[str, str]] = []  # (url, url-encoded body), each sent once
        _, _, html = self.request("setup", "GET", "/quiz/all")
        self.start_token = self.csrf(html)
        # One quiz taken to the end, as load.py's students do: its feedback and results
        # pages are the ones the run reads (an unfinished quiz's results page redirects).
        attempt = self.start(QUIZ)
        for url, data in self.questions(attempt, QUIZ):
            status, _, _ = self.request("setup", "POST", url, data)
            if status != 302:
                raise AssertionError(f"answering {url} answered {status}")
            self.feedback_pages.append(url)
        status, _, _ = self.request("setup", "GET", attempt)
        if status != 200:
            raise AssertionError(f"the results page {attempt} answered {status}")
        self.results_pages.append(attempt)
        while len(self.answers) < answers_needed:
            attempt = self.start(40)
            for url, data in self.questions(attempt, 40):
                if url.endswith("/items/1"):
                    self.open_pages.append(url)  # one open question per quiz, never answered
                elif len(self.answers) < answers_needed:
                    self.answers.append((url, urlencode(data, doseq=True)))
                else:
                    break

    def start(self, size: int) -> str:
        """Start a quiz over the whole text; its results page's path."""
        status, headers, _ = self.request(
            "setup", "POST", "/quiz/all", {"size": str(size), "csrf_token": self.start_token}
        )
        if status != 302:
            raise AssertionError(f"starting a quiz answered {status}")
        return "/attempts/" + headers["Location"].rsplit("/", 1)[1]

    def questions(self, attempt: str, size: int):
        """(question path, a valid answer) for each question of the quiz, read from its form."""
        for position in range(1, size + 1):
            url = f"{attempt}/items/{position}"
            status, _, page = self.request("setup", "GET", url)
            if status != 200:
                return
            form = FormReader()
            form.feed(page)
            yield url, {**pick_answer(form, self.rng), "csrf_token": form.csrf}

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def answers_needed(students: int, think: float, duration: float, margin: float) -> int:
    """Answers a run of ``students`` may send: offered rate x duration x answer share."""
    offered = students / think if think > 0 else students * 100
    return int(offered * duration * QUIZ / PER_QUIZ * margin) + 20


def prepare_accounts(port: int, outbox: Path, count: int, answers: int, seed: int) -> list:
    """``count`` accounts holding ``answers`` prepared answers between them (4 threads)."""
    stats = Stats()
    each = -(-answers // (count * QUIZ)) * QUIZ  # whole quizzes: a part-quiz is never sent
    accounts = [
        Account(i, port, stats, float("inf"), 10**9, seed * 10_000 + i, outbox=outbox)
        for i in range(count)
    ]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda a: a.prepare(each), accounts))
    if stats.server_errors:
        raise AssertionError(f"the server failed while preparing: {stats.server_errors[:5]}")
    return accounts


def request_lines(accounts: list, seed: int) -> list[str]:
    """The students' requests in order, load.py's quiz mix, quizzes dealt round the accounts.

    "METHOD<TAB>PATH<TAB>BODY<TAB>COOKIE"; each prepared answer appears once.
    """
    rng = random.Random(seed)
    lines: list[str] = []
    queues = [list(a.answers) for a in accounts]
    n = 0
    while any(len(q) >= QUIZ for q in queues):
        k = n % len(accounts)
        n += 1
        account, queue = accounts[k], queues[k]
        if len(queue) < QUIZ:
            continue
        cookie = account.cookie()
        section = rng.choice(SECTIONS)
        body = urlencode({"size": str(QUIZ), "csrf_token": account.start_token})
        lines += [f"GET\t/quiz/{section}\t\t{cookie}", f"POST\t/quiz/{section}\t{body}\t{cookie}"]
        for _ in range(QUIZ):
            url, answer = queue.pop(0)
            lines += [
                f"GET\t{rng.choice(account.open_pages)}\t\t{cookie}",
                f"POST\t{url}\t{answer}\t{cookie}",
                f"GET\t{rng.choice(account.feedback_pages)}\t\t{cookie}",
            ]
        lines += [
            f"GET\t{rng.choice(account.results_pages)}\t\t{cookie}",
            f"GET\t/dashboard\t\t{cookie}",
        ]
    return lines


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User+system CPU seconds of each process, from /proc/PID/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


def postgres_backends(url: str) -> Callable[[], list[int]]:
    """A function listing the PostgreSQL backends connected to ``url``'s database (the
    server's pools), when that server runs on this machine (else none)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def pids() -> list[int]:
        with engine.connect() as conn:
            found = conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
            return [p for p in found if Path(f"/proc/{p}/stat").exists()]

    return pids


def raise_open_files(needed: int) -> None:
    """wrk holds one socket per student: lift the soft limit on open files (to the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise SystemExit(f"{needed} open files needed, the hard limit is {hard}: raise ulimit -n")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


@dataclass
class Run:
    students: int
    offered: float
    achieved: float
    requests: int
    p50: float
    p95: float
    p99: float
    socket_errors: dict[str, int]
    statuses: dict[int, int]
    wrk_cpu: float  # per cent of one core over the run
    server_cpu: float
    database_cpu: float | None  # PostgreSQL's backends for this database; None on SQLite
    seconds: float

    @property
    def bad_statuses(self) -> dict[int, int]:
        return {s: n for s, n in self.statuses.items() if s not in OK_STATUSES and s != 422}

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values()) + sum(self.bad_statuses.values())

    @property
    def ok(self) -> bool:
        return self.p95 < TARGET_MS and self.errors == 0


def run_wrk(
    server: Gunicorn,
    lines: list[str],
    students: int,
    think: float,
    duration: float,
    seed: int,
    *,
    wrk_threads: int = 1,
    warmup: bool = False,
    database_pids: Callable[[], list[int]] = list,
) -> Run:
    """One run of ``students`` wrk connections over ``lines`` (a warm-up may spend them),
    on as many wrk threads as divide ``students``, at most ``wrk_threads``."""
    raise_open_files(students + 1024)
    threads = threads_for(students, wrk_threads)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    server_pids = [server.proc.pid, *server.worker_pids()]
    server_before = cpu_seconds(server_pids)
    database_before = cpu_seconds(database_pids())
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{students}", f"-d{duration:g}s", "--latency"]
            + ["--timeout", "10s", "-s", str(LUA), server.base, "--", f.name]
            + [str(round(think * 1000)), str(students), str(seed), str(threads)],
            capture_output=True,
            text=True,
            timeout=duration + 60,
        )
    finally:
        os.unlink(f.name)
    seconds = time.monotonic() - started
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = cpu_seconds(server_pids)
    database_after = cpu_seconds(database_pids())
    out = completed.stdout
    if completed.returncode != 0 or "capacity " not in out:
        raise AssertionError(f"wrk failed ({completed.returncode}):\n{out}\n{completed.stderr}")
    wrk_cpu = (wrk_after.ru_utime - wrk_before.ru_utime) + (
        wrk_after.ru_stime - wrk_before.ru_stime
    )
    server_cpu = sum(server_after[p] - server_before[p] for p in server_after if p in server_before)
    # A backend that connected during the run counts whole (its life is within the run).
    database_cpu = sum(t - database_before.get(p, 0.0) for p, t in database_after.items())
    line = re.search(r"^capacity (\d+) (\d+) (\d+) (\d+) (\w+) ?(\S*)$", out, re.M)
    assert line, out
    p50, p95, p99, _sent, spent, statuses_text = line.groups()
    if spent == "spent" and not warmup:
        raise SystemExit(
            f"{students} students: the prepared requests ran out before {duration:g} s; "
            "the run is void: prepare more (raise --margin)"
        )
    statuses = {int(s): int(n) for s, n in (p.split("=") for p in statuses_text.split(",") if p)}
    socket_errors = {}
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if found:
        socket_errors = dict(
            zip(("connect", "read", "write", "timeout"), map(int, found.groups()), strict=True)
        )
        socket_errors = {k: v for k, v in socket_errors.items() if v}
    return Run(
        students=students,
        offered=students / think if think > 0 else float("inf"),
        achieved=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        p50=int(p50) / 1000,
        p95=int(p95) / 1000,
        p99=int(p99) / 1000,
        socket_errors=socket_errors,
        statuses=statuses,
        wrk_cpu=100 * wrk_cpu / seconds,
        server_cpu=100 * server_cpu / seconds,
        database_cpu=100 * database_cpu / seconds if database_after else None,
        seconds=seconds,
    )


def threads_for(students: int, most: int) -> int:
    """wrk threads for ``students`` connections: the most, up to ``most``, that divide them
    (wrk gives each thread connections // threads and drops the rest)."""
    return max(t for t in range(1, max(1, min(most, students)) + 1) if students % t == 0)


@dataclass
class Settings:
    database_url: str | None
    think: float
    duration: float
    workers: int
    worker_class: str
    threads: int
    accounts: int
    margin: float
    backlog: int | None
    seed: int
    warmup: int = 12
    wrk_threads: int = 4


def measure(settings: Settings, students: list[int], search: tuple[int, int] | None, steps: int):
    """Start the server once, then run each N (or bisect); yield each Run as it ends."""
    if shutil.which("wrk") is None:
        raise SystemExit("capacity.py needs wrk: apt-get install -y wrk")
    largest = max(search or students)
    backlog = settings.backlog or max(2048, largest + 1024)
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    if backlog > somaxconn:
        print(
            f"! --backlog {backlog} is capped by net.core.somaxconn = {somaxconn}: "
            "past that many students, waiting ones are accepted early and tie workers up",
            file=sys.stderr,
        )
    args = ["-c", str(DEFER_CONF), "--backlog", str(backlog), "--worker-class"]
    args.append(settings.worker_class)
    if settings.worker_class == "gthread":
        args += ["--threads", str(settings.threads)]
    defer = max(30, int(settings.think * 3) + 5)  # longer than the longest think time
    with (
        scratch_database(settings.database_url) as url,
        tempfile.TemporaryDirectory(prefix="quiz-capacity-mail-") as mail,
    ):
        prepare(url)
        outbox = Path(mail)
        env = {**server_env(outbox), "CAPACITY_DEFER_ACCEPT": str(defer)}
        with Gunicorn(url, workers=settings.workers, env=env, args=args) as server:
            seed = settings.seed
            backends = list if database_name(url) == "SQLite" else postgres_backends(url)
            cold = [True]

            def one(n: int) -> Run:
                nonlocal seed
                seed += 1
                needed = answers_needed(n, settings.think, settings.duration, settings.margin)
                warm = settings.warmup * QUIZ if cold[0] else 0
                needed += warm
                started = time.monotonic()
                accounts = prepare_accounts(
                    server.port, outbox, min(settings.accounts, n), needed, seed
                )
                lines = request_lines(accounts, seed)
                if warm:  # not measured: each worker's first answers load the graders' data
                    cold[0] = False
                    warmup, lines = (
                        lines[: warm // QUIZ * PER_QUIZ],
                        lines[warm // QUIZ * PER_QUIZ :],
                    )
                    run_wrk(server, warmup, 6, 0.001, 3, seed, wrk_threads=1, warmup=True)
                print(
                    f"  {n} students: {len(lines)} requests prepared "
                    f"({needed} answers) in {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
                run = run_wrk(
                    server,
                    lines,
                    n,
                    settings.think,
                    settings.duration,
                    seed,
                    wrk_threads=settings.wrk_threads,
                    database_pids=backends,
                )
                print(
                    f"  {n} students: {row(run)} statuses {dict(sorted(run.statuses.items()))}",
                    file=sys.stderr,
                    flush=True,
                )
                if run.bad_statuses or any(s >= 500 for s in run.statuses):
                    raise ServerFailure(run)
                return run

            if search is None:
                for n in students:
                    yield one(n)
                return
            lo, hi = search
            for _ in range(steps):
                mid = round((lo + hi) / 2 / 10) * 10
                if mid <= lo or mid >= hi:
                    break
                run = one(mid)
                yield run
                if run.ok:
                    lo = mid
                else:
                    hi = mid


class ServerFailure(Exception):
    """A run saw a 5xx or a status the students never expect."""

    def __init__(self, run: Run) -> None:
        super().__init__(f"{run.students} students: unexpected responses {run.bad_statuses}")
        self.run = run


def row(run: Run) -> str:
    errors = ", ".join(f"{k} {v}" for k, v in run.socket_errors.items())
    bad = ", ".join(f"{s}: {n}" for s, n in sorted(run.bad_statuses.items()))
    errors = "; ".join(x for x in (errors, bad) if x) or "0"
    rejected = run.statuses.get(422, 0)
    verdict = "yes" if run.ok else "**no**"
    database = "in gunicorn" if run.database_cpu is None else f"{run.database_cpu:.0f}%"
    return (
        f"| {run.students} | {run.offered:.0f} | {run.achieved:.0f} | {run.requests} | "
        f"{run.p50:.1f} | {run.p95:.1f} | {run.p99:.1f} | {errors} | {rejected} | "
        f"{run.wrk_cpu:.0f}% | {run.server_cpu:.0f}% | {database} | {verdict} |"
    )


def report(settings: Settings, runs: list[Run], search: tuple[int, int] | None) -> str:
    name = database_name(settings.database_url)
    kind = settings.worker_class + (
        f" ({settings.threads} threads each)" if settings.worker_class == "gthread" else ""
    )
    lines = [
        f"- gunicorn, {settings.workers} {kind} workers, {name}, accept deferred until the "
        f"request (TCP_DEFER_ACCEPT); {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        f"- wrk, {settings.wrk_threads} threads at most (as many as divide N), one connection "
        f"per student; think time {settings.think:g} s "
        f"(0.5x-1.5x, arrivals spread over the first think time); {settings.duration:g} s "
        f"per N; mix per quiz: start page, start, {QUIZ} x (question page, answer, "
        f"feedback page), results page, dashboard ({PER_QUIZ} requests, {QUIZ} answers); "
        f"{settings.accounts} accounts at most",
        "- offered = students / think; latencies are wrk's over every request; errors = "
        "socket errors and statuses other than 200/302 (422 = an answer refused as "
        "unreadable, counted apart); CPU in per cent of one core over the run: wrk's, "
        "gunicorn's (master and workers) and PostgreSQL's backends serving this database "
        "(SQLite works inside gunicorn)",
        "",
        "| students | offered rps | achieved rps | requests | p50 ms | p95 ms | p99 ms | "
        "errors | 422 | wrk CPU | gunicorn CPU | database CPU | p95 < 100 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    lines += [row(r) for r in runs]
    passing = [r.students for r in runs if r.ok]
    if search is not None:
        lines.append("")
        if passing:
            lines.append(
                f"Largest N found with p95 < 100 ms and no error: **{max(passing)}** "
                f"(bisection between {search[0]} and {search[1]})"
            )
        else:
            lines.append(f"No N tried between {search[0]} and {search[1]} kept p95 < 100 ms")
    return "\n".join(lines)


def database_name(url: str | None) -> str:
    return "PostgreSQL" if url and not url.startswith("sqlite") else "SQLite"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument(
        "--students", type=int, nargs="+", default=[1000], metavar="N", help="runs, in turn"
    )
    parser.add_argument(
        "--search",
        type=int,
        nargs=2,
        metavar=("LO", "HI"),
        help="bisect for the largest N with p95 < 100 ms between LO and HI",
    )
    parser.add_argument("--steps", type=int, default=5, help="bisection steps (--search)")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between actions")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per N")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument(
        "--wrk-threads",
        type=int,
        default=4,
        help="wrk threads at most (default 4; fewer when they do not divide N)",
    )
    parser.add_argument("--accounts", type=int, default=40, help="student accounts at most")
    parser.add_argument(
        "--margin", type=float, default=1.3, help="answers prepared / answers expected"
    )
    parser.add_argument("--backlog", type=int, help="listen backlog (default N + 1024)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--warmup",
        type=int,
        default=12,
        metavar="QUIZZES",
        help="quizzes sent before the first run, not measured (6 connections, no think "
        "time, 3 s): each worker's first answers load the graders' data",
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    if args.think <= 0:
        parser.error("--think must be positive: this measures capacity, not a queue")
    settings = Settings(
        database_url=args.database_url,
        think=args.think,
        duration=args.duration,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        accounts=args.accounts,
        margin=args.margin,
        backlog=args.backlog,
        seed=args.seed,
        warmup=args.warmup,
        wrk_threads=args.wrk_threads,
    )
    search = tuple(args.search) if args.search else None
    runs: list[Run] = []
    failure = None
    try:
        for run in measure(settings, args.students, search, args.steps):
            runs.append(run)
    except ServerFailure as exc:
        runs.append(exc.run)
        failure = str(exc)
    text = report(settings, runs, search)
    print(text)
    if failure:
        print(f"FAIL: {failure}")
        return 1
    if not args.no_write:
        name = database_name(settings.database_url)
        write_block(
            f"capacity-{name.lower()}",
            f"## Capacity on {name} (`bench/capacity.py`)\n\n"
            f"`{command_line()}`, {stamp()}:\n\n{text}",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
