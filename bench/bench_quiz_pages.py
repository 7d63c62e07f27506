"""Benchmark: quiz pages stay as fast with a big bank and a long history as with small ones.

Two databases in the same run: a baseline (100 questions, 300 answers of history: enough
to fill every list and the chart of the dashboard, which show at most 30 quizzes) and a
large one ten times bigger (1,000 questions, 3,000 answers). For each, the median time of
the question page, an answer submission and the dashboard through Flask's test client, and
the number of SQL statements each issues. Targets: equal statement counts everywhere;
median ratio large / baseline <= 1.5 for the question page and the answer, <= 2.0 for the
dashboard, which aggregates the student's whole history in SQL by design (mastery and
most-missed read every answer once), so ten times the history may cost more, but far from ten times.

    .venv/bin/python bench/bench_quiz_pages.py [--repeat 30]

Prints the figures and records them in bench/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_block  # noqa: E402

from tests.webapp import fixture_bank  # noqa: E402
from tests.webapp.helpers import (  # noqa: E402
    count_queries,
    csrf_from,
    item_state,
    right_form,
    start_quiz,
)
from webapp import create_app  # noqa: E402
from webapp.bank_sync import sync_bank  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Answer, Attempt, AttemptItem, Question, User, utcnow  # noqa: E402

TARGETS = {"question page": 1.5, "answer": 1.5, "dashboard": 2.0}
PASSWORD = "benchmark password"


def build(path: str, *, questions: int, answers: int):
    """An app whose database holds ``questions`` questions and ``answers`` answers."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        bank = fixture_bank.questions()
        bank += fixture_bank.generated(max(0, questions - len(bank)))
        sync_bank(bank)
        user = User(email="bench@example.com", role="student")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        rows = list(db.session.execute(db.select(Question.id, Question.current_revision_id)))
        for start in range(0, answers, 10):
            attempt = Attempt(
                user_id=user.id,
                mode="mixed",
                sections=["history"],
                size=10,
                started_at=utcnow(),
                finished_at=utcnow(),
                score=0.5,
            )
            for position in range(1, 11):
                qid, rid = rows[(start + position) % len(rows)]
                item = AttemptItem(
                    position=position, question_id=qid, revision_id=rid, presentation={}
                )
                item.answer = Answer(
                    response=None,
                    score=float(position % 2),
                    correct=bool(position % 2),
                    answered_at=utcnow(),
                )
                attempt.items.append(item)
            db.session.add(attempt)
        db.session.commit()
    client = app.test_client()
    token = csrf_from(client.get("/login").data)
    client.post(
        "/login", data={"email": "bench@example.com", "password": PASSWORD, "csrf_token": token}
    )
    return app, client


def measure(app, client, repeat: int) -> tuple[dict[str, float], dict[str, int]]:
    """Median seconds and statements per page."""
    times: dict[str, list[float]] = {"question page": [], "answer": [], "dashboard": []}
    statements: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    for _ in range(repeat):
        attempt_id = start_quiz(client, "history", size=5)
        url = f"/attempts/{attempt_id}/items/1"
        q, presentation = item_state(app, attempt_id, 1)
        token = csrf_from(client.get(url).data)
        for name, call in (
            ("question page", lambda url=url: client.get(url)),
            (
                "answer",
                lambda url=url, q=q, presentation=presentation, token=token: client.post(
                    url, data={**right_form(q, presentation), "csrf_token": token}
                ),
            ),
            ("dashboard", lambda: client.get("/dashboard")),
        ):
            with count_queries(engine) as counter:
                t0 = time.perf_counter()
                response = call()
                times[name].append(time.perf_counter() - t0)
            assert response.status_code in (200, 302), (name, response.status_code)
            statements[name] = counter.count
    return {k: statistics.median(v) for k, v in times.items()}, statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        small = build(os.path.join(tmp, "small.sqlite"), questions=100, answers=300)
        large = build(os.path.join(tmp, "large.sqlite"), questions=1000, answers=3000)
        measure(*small, 3)  # warm up templates and caches
        measure(*large, 3)
        base_t, base_q = measure(*small, args.repeat)
        big_t, big_q = measure(*large, args.repeat)
    lines = []
    ok = True
    for name in base_t:
        ratio = big_t[name] / base_t[name]
        met = ratio <= TARGETS[name] and base_q[name] == big_q[name]
        ok &= met
        lines.append(
            f"- {name}: baseline {base_t[name] * 1000:.1f} ms, large "
            f"{big_t[name] * 1000:.1f} ms, ratio {ratio:.2f}x; statements "
            f"{base_q[name]} vs {big_q[name]}; target <= {TARGETS[name]}x: "
            f"{'met' if met else 'NOT met'}"
        )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    body = "\n".join(
        [
            "## Quiz pages (`bench/bench_quiz_pages.py`)",
            "",
            f"`.venv/bin/python bench/bench_quiz_pages.py`, {when}, SQLite, "
            f"{args.repeat} repetitions; baseline 100 questions and 300 answers of history, "
            "large 1,000 questions and 3,000 answers; targets: equal statement counts, "
            "time ratios as listed:",
            "",
            *lines,
            f"- load average while measuring: {load:.2f} on {os.cpu_count()} CPUs",
        ]
    )
    print(body)
    write_block("bench_quiz_pages", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
