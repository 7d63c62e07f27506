"""Load test: simulated students take quizzes against gunicorn; no answer may be lost.

    .venv/bin/python bench/load.py --students 50 --duration 60
    .venv/bin/python bench/load.py --students 50 --duration 60 \\
        --database-url postgresql://postgres@127.0.0.1:5432/quiz --kill-worker-at 20

Each student registers, then until the time is up starts 5-question quizzes, opens each
question, answers it (a valid answer read from the form), sees the feedback, the results
and the dashboard. Students read: ``--think S`` (default 5 s) passes between a student's
actions (0.5x to 1.5x, at random; arrivals spread over the first S seconds), so the run
measures capacity (how many students the server serves at a given p95), not a queue;
``--think 0`` sends as fast as the server answers. Loopback only; bounded in time
(``--duration``) and in requests (``--max-requests``). Connection errors (a killed worker)
are retried; an answer counts as accepted only when the server confirmed it (the redirect
after the POST). Afterwards every accepted answer must be in the database, and no response
may be a 5xx.
Prints p50/p95 per endpoint and, unless ``--no-write``, records them in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402

from questions import SECTIONS as _SECTIONS  # noqa: E402
from tests.serving import UNLIMITED_RATES, Gunicorn, prepare, scratch_database  # noqa: E402

SECTIONS = [s.slug for s in _SECTIONS]
# A worker killed mid-response cuts the body short (IncompleteRead): the same as a dropped
# connection, so retried too (a repeated answer POST is refused by the one-answer rule).
RETRYABLE = (
    ConnectionError,
    http.client.RemoteDisconnected,
    http.client.BadStatusLine,
    http.client.IncompleteRead,
    TimeoutError,
    OSError,
)


def server_env(outbox: Path) -> dict[str, str]:
    """The server's environment for a load test: no per-address limits (every student comes
    from 127.0.0.1), mail saved to ``outbox`` (the students read their sign-up links)."""
    return {**UNLIMITED_RATES, "MAIL_OUTBOX_DIR": str(outbox)}


class ServerError(Exception):
    """The server answered 5xx."""


@dataclass
class Stats:
    """Shared between client threads (guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: list[str] = field(default_factory=list)
    accepted: set[tuple[int, int]] = field(default_factory=set)  # (attempt id, position)
    retries: int = 0
    requests: int = 0
    rejected: int = 0  # answers the server refused as unreadable (422): not accepted

    def record(self, label: str, seconds: float, status: int, what: str) -> None:
        with self.lock:
            self.latencies[label].append(seconds)
            self.statuses[status] += 1
            self.requests += 1
            if status >= 500:
                self.server_errors.append(f"{status} {what}")


class FormReader(HTMLParser):
    """The answer form's fields: radio/checkbox values, text inputs, selects' options."""

    def __init__(self) -> None:
        super().__init__()
        self.in_answer_form = False
        self.csrf = None
        self.radios: dict[str, list[str]] = defaultdict(list)
        self.checkboxes: dict[str, list[str]] = defaultdict(list)
        self.texts: list[str] = []
        self.numbers: list[str] = []  # text inputs that take a number (inputmode=decimal)
        self.selects: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag == "form":
            self.in_answer_form = "answer-form" in (a.get("class") or "")
        if tag == "input" and a.get("name") == "csrf_token" and self.csrf is None:
            self.csrf = a.get("value")
        if not self.in_answer_form:
            return
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if kind == "radio":
                self.radios[name].append(a["value"])
            elif kind == "checkbox":
                self.checkboxes[name].append(a["value"])
            elif kind == "text" and a.get("inputmode") == "decimal":
                self.numbers.append(name)
            elif kind == "text":
                self.texts.append(name)
        elif tag == "select":
            self._select = a["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "select":
            self._select = None
        if tag == "form":
            self.in_answer_form = False


def pick_answer(form: FormReader, rng: random.Random) -> dict[str, list[str] | str]:
    """A well-formed (right or wrong) answer for whatever form the page shows."""
    data: dict[str, list[str] | str] = {}
    for name, values in form.radios.items():
        data[name] = rng.choice(values)
    for name, values in form.checkboxes.items():
        data[name] = rng.sample(values, rng.randint(1, len(values)))
    for name in form.texts:
        data[name] = rng.choice(["42", "1991", "Moscow", "Beijing", "gas"])
    for name in form.numbers:
        data[name] = rng.choice(["42", "1991", "4,300", "7.5"])
    positions = [n for n in form.selects if n.startswith("pos-")]
    order = list(range(1, len(positions) + 1))
    rng.shuffle(order)
    for name, p in zip(positions, order, strict=True):
        data[name] = str(p)
    for name, values in form.selects.items():
        if not name.startswith("pos-"):
            data[name] = rng.choice(values)
    return data


class Student:
    """One simulated student: a cookie jar and the quiz loop."""

    def __init__(
        self,
        n: int,
        port: int,
        stats: Stats,
        deadline: float,
        budget: int,
        seed: int,
        think: float = 0.0,
        *,
        outbox: Path | None = None,
    ) -> None:
        self.n, self.port, self.stats = n, port, stats
        self.outbox = outbox  # the server's MAIL_OUTBOX_DIR: sign-up links arrive there
        self.deadline, self.budget = deadline, budget
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(seed)
        self.think = think

    def pause(self) -> None:
        """Read the page before the next action: ``think`` seconds on average (0.5x-1.5x)."""
        if self.think > 0:
            wait = self.think * self.rng.uniform(0.5, 1.5)
            time.sleep(max(0.0, min(wait, self.deadline - time.monotonic())))

    def request(
        self, label: str, method: str, path: str, data: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        """One HTTP request; connection errors are retried (a worker may have died)."""
        body = urlencode(data, doseq=True) if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(8):
            if self.stats.requests >= self.budget:
                raise TimeoutError("request budget spent")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except RETRYABLE:
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(0.05 * (attempt + 1))
                continue
            finally:
                conn.close()
            elapsed = time.perf_counter() - started
            self.stats.record(label, elapsed, response.status, f"{method} {path}")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            if response.status >= 500:
                raise ServerError(f"{response.status} {method} {path}")
            return response.status, dict(response.getheaders()), text
        raise ConnectionError(f"{method} {path}: no answer after retries")

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if not match:
            raise AssertionError("no CSRF token on the page")
        return match.group(1)

    def register(self) -> None:
        """Sign up, then follow the link mailed to the server's outbox and finish."""
        email = f"load-{self.n}-{self.rng.getrandbits(32)}@example.com"
        _, _, html = self.request("register page", "GET", "/register")
        status, _, _ = self.request(
            "register",
            "POST",
            "/register",
            {
                "email": email,
                "password": "load test password",
                "password2": "load test password",
                "csrf_token": self.csrf(html),
            },
        )
        if status != 200:
            raise AssertionError(f"register answered {status}")
        link = self._signup_link(email)
        _, _, html = self.request("sign-up link", "GET", link)
        status, _, _ = self.request("confirm", "POST", link, {"csrf_token": self.csrf(html)})
        if status != 302:
            raise AssertionError(f"confirm answered {status}")

    def _signup_link(self, email: str) -> str:
        if self.outbox is None:
            raise AssertionError("no outbox: start the server with server_env(outbox)")
        for _ in range(100):
            for mail in self.outbox.iterdir():
                text = mail.read_text(errors="replace")
                if f"To: {email}\n" in text:
                    found = re.search(r"https?://[^/\s]+(/register/\S+)", text)
                    if found:
                        return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no sign-up mail for {email}")

    def take_quiz(self) -> None:
        section = self.rng.choice(SECTIONS)
        self.pause()
        _, _, html = self.request("start page", "GET", f"/quiz/{section}")
        self.pause()
        status, headers, _ = self.request(
            "start quiz", "POST", f"/quiz/{section}", {"size": "5", "csrf_token": self.csrf(html)}
        )
        location = urlsplit(headers.get("Location", "")).path
        match = re.fullmatch(r"/attempts/(\d+)", location)
        if status != 302 or not match:
            raise AssertionError(f"start answered {status} {location}")
        attempt_id = int(match.group(1))
        for position in range(1, 6):
            if time.monotonic() > self.deadline:
                return
            url = f"/attempts/{attempt_id}/items/{position}"
            self.pause()
            status, _, html = self.request("quiz page", "GET", url)
            if status == 404:
                break  # a section with fewer questions than asked
            form = FormReader()
            form.feed(html)
            if form.csrf is None:
                raise AssertionError(f"no form on {url}")
            data = {**pick_answer(form, self.rng), "csrf_token": form.csrf}
            self.pause()
            status, headers, _ = self.request("answer", "POST", url, data)
            if status == 302 and urlsplit(headers.get("Location", "")).path == url:
                with self.stats.lock:  # the server committed it before redirecting
                    self.stats.accepted.add((attempt_id, position))
                _, _, page = self.request("feedback page", "GET", url)
                if not re.search(r"Right!|Not right|Partly right", page):
                    raise AssertionError(f"{url}: no verdict after an accepted answer")
            elif status == 422:
                with self.stats.lock:
                    self.stats.rejected += 1
            else:
                raise AssertionError(f"answer answered {status}")
        self.pause()
        self.request("results page", "GET", f"/attempts/{attempt_id}")
        self.pause()
        self.request("dashboard", "GET", "/dashboard")

    def run(self, errors: list[str]) -> None:
        try:
            # Arrivals spread over one think time, not all at the same instant.
            time.sleep(self.rng.uniform(0, self.think))
            self.register()
            while time.monotonic() < self.deadline:
                self.take_quiz()
        except TimeoutError:
            pass
        except ServerError:
            pass  # counted in stats.server_errors
        except Exception as exc:  # noqa: BLE001 - every failure is reported at the end
            errors.append(f"student {self.n}: {type(exc).__name__}: {exc}")


def missing_answers(url: str, accepted: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Accepted (attempt, position) pairs with no answer row in the database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            stored = set(
                conn.execute(
                    sa.text(
                        "SELECT ai.attempt_id, ai.position FROM answer a "
                        "JOIN attempt_item ai ON ai.id = a.attempt_item_id"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    return sorted(accepted - {(int(a), int(p)) for a, p in stored})


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class LoadResult:
    database: str
    students: int
    duration: float
    workers: int
    elapsed: float
    stats: Stats
    lost: list[tuple[int, int]]
    client_errors: list[str]
    killed: list[int]
    think: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.stats.server_errors and not self.lost and not self.client_errors

    def report(self) -> str:
        s = self.stats
        lines = [
            f"- {self.students} students x {self.duration:g} s against gunicorn "
            f"({self.workers} sync workers) on {self.database}; ran {self.elapsed:.1f} s; "
            f"think time {self.think:g} s between a student's actions (0.5x-1.5x)",
            f"- requests: {s.requests} ({s.requests / self.elapsed:.0f}/s), "
            f"retried after a connection error: {s.retries}",
            f"- answers accepted: {len(s.accepted)}, lost: {len(self.lost)}, "
            f"rejected as unreadable: {s.rejected}",
            f"- server errors (5xx): {len(s.server_errors)}; client-side failures: "
            f"{len(self.client_errors)}",
            f"- workers killed (SIGKILL) mid-run: {len(self.killed)}",
            "",
            "| endpoint | requests | p50 ms | p95 ms |",
            "|---|---:|---:|---:|",
        ]
        every = [v for values in s.latencies.values() for v in values]
        lines.insert(
            -3,
            f"- every request: p50 {percentile(every, 50) * 1000:.1f} ms, "
            f"p95 {percentile(every, 95) * 1000:.1f} ms",
        )
        for label in sorted(s.latencies):
            values = s.latencies[label]
            lines.append(
                f"| {label} | {len(values)} | {percentile(values, 50) * 1000:.1f} "
                f"| {percentile(values, 95) * 1000:.1f} |"
            )
        return "\n".join(lines)


def run_load(
    *,
    students: int,
    duration: float,
    database_url: str | None = None,
    workers: int = 3,
    kill_worker_at: float | None = None,
    max_requests: int = 200_000,
    seed: int = 1,
    think: float = 0.0,
) -> LoadResult:
    """Prepare a scratch database, start gunicorn, run the students, check the database."""
    name = "PostgreSQL" if database_url and not database_url.startswith("sqlite") else "SQLite"
    with scratch_database(database_url) as url:
        prepare(url)
        stats, errors, killed = Stats(), [], []
        outbox = Path(tempfile.mkdtemp(prefix="quiz-load-mail-"))
        with Gunicorn(url, workers=workers, env=server_env(outbox)) as server:
            started = time.monotonic()
            deadline = started + duration
            crowd = [
                Student(
                    i,
                    server.port,
                    stats,
                    deadline,
                    max_requests,
                    seed * 1000 + i,
                    think,
                    outbox=outbox,
                )
                for i in range(students)
            ]
            threads = [threading.Thread(target=s.run, args=(errors,), daemon=True) for s in crowd]
            for t in threads:
                t.start()
            if kill_worker_at is not None:
                time.sleep(max(0.0, kill_worker_at))
                pid = server.kill_one_worker()
                if pid:
                    killed.append(pid)
            for t in threads:
                t.join(timeout=duration + 120)
            if any(t.is_alive() for t in threads):
                errors.append("some students were still running after the time limit")
            elapsed = time.monotonic() - started
        lost = missing_answers(url, stats.accepted)
    return LoadResult(
        name, students, duration, workers, elapsed, stats, lost, errors, killed, think
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--kill-worker-at",
        type=float,
        metavar="S",
        help="SIGKILL one gunicorn worker S seconds into the run",
    )
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds a student reads between actions (default 5; 0 = as fast as possible)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    result = run_load(
        students=args.students,
        duration=args.duration,
        database_url=args.database_url,
        workers=args.workers,
        kill_worker_at=args.kill_worker_at,
        max_requests=args.max_requests,
        think=args.think,
    )
    text = result.report()
    print(text)
    for line in result.client_errors[:10] + result.stats.server_errors[:10]:
        print("!", line)
    if not args.no_write:
        killed = " with a worker killed" if result.killed else ""
        block = f"load-{result.database.lower()}" + ("-killed-worker" if result.killed else "")
        write_block(
            block,
            f"## Load test on {result.database}{killed} (`bench/load.py`)\n\n"
            f"`{command_line()}`, {stamp()}:\n\n{text}",
        )
    print("PASS" if result.ok else "FAIL")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
