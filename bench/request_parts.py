"""Where a request's time goes: `/healthz`, the quiz page and an answer, part by part.

    .venv/bin/python bench/request_parts.py [--database-url postgresql://...]
        [--requests 1000] [--no-write]

Issue 18 asks the quiz page and the answer to cost at most 3x ``/healthz``. This says
what each costs and why: a signed-in student on a bank of 222 questions (as
``bench_growth.py``'s smallest cell) answers the questions of 40-question quizzes, read
from each question's own form as ``bench_growth.py`` prepares them; the functions a request
passes through are wrapped with a timer (``time.perf_counter``), and each part's own time
(less the wrapped parts it calls) is averaged over ``--requests`` requests of each kind,
run one kind after the other after a warm-up of each. What no wrapper covers (Flask's and Werkzeug's
request handling, the form's parsing, the redirect, the test client) is "the rest": the
wall-clock total less the parts. The ratio to ``/healthz`` is of CPU milliseconds
(``time.process_time``) of the same requests, as ``bench_growth.py`` measures (on
PostgreSQL the server's work is in the wall clock, not in the CPU time); wrapping adds
about a microsecond per wrapped call. Prints the table and records it in
bench/RESULTS.md (block ``request_parts``, or ``request_parts-postgresql``) unless
``--no-write``.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from bench_growth import _login, _prepared_answers  # noqa: E402
from bench_queries import PASSWORD, grow_bank  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

import webapp.aggregates  # noqa: E402
import webapp.auth.sessions  # noqa: E402
import webapp.quiz.service  # noqa: E402
import webapp.quiz.views  # noqa: E402
import webapp.ratelimit  # noqa: E402
from tests.serving import scratch_database  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Role, User  # noqa: E402

KINDS = ("healthz", "quiz page", "answer")
QUIZ = 40  # bench_growth's prepared answers come from 40-question quizzes


class Timer:
    """Own time per label: a wrapped call's time, less that of the wrapped calls inside."""

    def __init__(self) -> None:
        self.own: collections.Counter[str] = collections.Counter()
        self._inner: list[float] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            self._inner.append(0.0)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                inner = self._inner.pop()
                self.own[label] += spent - inner
                if self._inner:
                    self._inner[-1] += spent

        setattr(owner, name, timed)


def instrument(app: Any, timer: Timer) -> list[str]:
    """Wrap the parts of a request; their labels, in the order of a request."""
    parts = [
        (app.session_interface, "open_session", "session cookie read"),
        (webapp.auth.sessions, "load", "the student (one statement, Flask-Login)"),
        (app.extensions["csrf"], "protect", "CSRF check (reads the form)"),
        (
            webapp.quiz.service,
            "load_item",
            "the item, its attempt, answer and progress (one statement)",
        ),
        (webapp.quiz.views, "parse_form", "the answer read from the form"),
        (webapp.ratelimit, "hit", "rate-limit hit (one statement)"),
        (webapp.quiz.service, "grade", "grading"),
        (webapp.quiz.service, "record_answer", "answer INSERT (and, ending the quiz, its load)"),
        (webapp.aggregates, "note_answer", "student's figures (2 statements; 1 on PostgreSQL)"),
        (webapp.quiz.service, "note_quiz_result", "study card (one statement)"),
        (webapp.quiz.service, "_finish", f"ending the quiz (one answer in {QUIZ - 1})"),
        (Session, "commit", "commit"),
        (webapp.quiz.views, "render_template", "template"),
        (app.session_interface, "save_session", "session cookie written"),
    ]
    for owner, name, label in parts:
        timer.wrap(owner, name, label)
    return [label for _, _, label in parts]


def measure(database_url: str | None, requests: int) -> tuple[dict, dict, list[str]]:
    with scratch_database(database_url) as url:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "k9#Tq2!zLm4@Xv7$Rp1&Wn8*Ys3^Bd6e",
                "RATE_LIMITS": {
                    name: (10**9, 60, "requests") for name in ("register", "guest_quiz", "answer")
                },
            }
        )
        with app.app_context():
            db.create_all()
            user = User(email="parts@example.com", role=Role.STUDENT.value)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
        grow_bank(app, 222)
        client = _login(app, "parts@example.com")
        page, posts = _prepared_answers(client, requests + 200)
        answers = iter(posts)

        def answer() -> None:
            url, data = next(answers)
            response = client.post(url, data=data)
            assert response.status_code == 302, response.status_code

        calls: dict[str, Callable[[], Any]] = {
            "healthz": lambda: client.get("/healthz"),
            "quiz page": lambda: client.get(page),
            "answer": answer,
        }
        for kind in KINDS:  # warm-up, before the timers
            for _ in range(100):
                calls[kind]()
        timer = Timer()
        labels = instrument(app, timer)
        own: dict[str, dict[str, float]] = {}
        totals: dict[str, float] = {}
        walls: dict[str, float] = {}
        for kind in KINDS:
            timer.own.clear()
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(requests):
                calls[kind]()
            walls[kind] = (time.perf_counter() - wall) / requests * 1000
            totals[kind] = (time.process_time() - cpu) / requests * 1000
            own[kind] = {label: timer.own[label] / requests * 1000 for label in labels}
            own[kind]["wall"] = walls[kind]
        with app.app_context():
            db.engine.dispose()
    return own, totals, labels


def report(own: dict, totals: dict, labels: list[str], engine: str, command: str) -> str:
    lines = [
        f"## Where a request's time goes on {engine} (`bench/request_parts.py`)",
        "",
        f"`{command}`, {stamp()}:",
        "",
        "Milliseconds per request, in process (a signed-in student, 222 questions, "
        "40-question quizzes); each part's own time (wall clock, less the parts it calls; "
        "on PostgreSQL a statement's includes the server's work and the round trip); "
        "\"the rest\" (Flask's and Werkzeug's request handling, the form's parsing, the "
        "redirect, the test client) is the wall-clock total less the parts. The ratio to "
        "`/healthz` is of CPU time, as `bench_growth.py` measures it.",
        "",
        "| part | " + " | ".join(KINDS) + " |",
        "|---|" + "---:|" * len(KINDS),
    ]
    for label in labels:
        if any(own[kind][label] >= 0.0005 for kind in KINDS):
            cells = [
                f"{own[kind][label]:.3f}" if own[kind][label] >= 0.0005 else "" for kind in KINDS
            ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rest = [own[kind]["wall"] - sum(own[kind][label] for label in labels) for kind in KINDS]
    lines.append("| the rest | " + " | ".join(f"{r:.3f}" for r in rest) + " |")
    lines.append(
        "| total (wall clock) | " + " | ".join(f"{own[k]['wall']:.3f}" for k in KINDS) + " |"
    )
    lines.append("| **total (CPU)** | " + " | ".join(f"**{totals[k]:.3f}**" for k in KINDS) + " |")
    base = totals["healthz"]
    lines.append(
        "| against `/healthz` (aim: at most 3x) | "
        + " | ".join(f"{totals[k] / base:.2f}x" for k in KINDS)
        + " |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    own, totals, labels = measure(args.database_url, args.requests)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    body = report(own, totals, labels, engine, command_line())
    print(body)
    if not args.no_write:
        write_block("request_parts" + ("-postgresql" if args.database_url else ""), body)


if __name__ == "__main__":
    main()
