"""Benchmark: flashcard study pages with a large history against a small one, same run.

Two SQLite databases, built the same way: a *small* one (40 questions, a student with 40
cards and 200 reviews) and a *large* one (4,000 questions, a student with 4,000 cards and
100,000 reviews over 400 days, plus 20 other students' histories). The next-card page and
the dashboard are requested through the Flask test client, alternately on each side.
Target: median ratio large / small of the process's CPU time <= 3.0 for each page (CPU
time, since wall time swings with other work on the machine; the wall-time ratio is shown
too), and the same number of SQL statements on both sides (queries stay flat as the bank
and the history grow).

    .venv/bin/python bench/bench_study.py [--repeat 15] [--no-write]

Prints the figures and records them in bench/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_block  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from questions import SECTIONS  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    Question,
    QuestionRevision,
    ReviewLog,
    StudyCard,
    StudyDay,
    User,
)
from webapp.timezones import study_day  # noqa: E402

# The large side has 100 times the bank and 500 times the history. The next card and the
# progress figures read an index entry or a row per day; the per-section counts of the
# study home read each of the student's cards once, so some growth there is expected.
TARGET = 3.0
PASSWORD = "bench-password"
NOW = datetime.now(UTC)


def _build(path: str, *, questions: int, reviews_per_card: int, days: int, others: int) -> object:
    """An app on a fresh SQLite file holding the bank and the histories."""
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )
    with app.app_context():
        db.create_all()
        db.session.execute(
            insert(Question),
            [
                {
                    "id": i + 1,
                    "uid": f"bench-{i}",
                    "section": SECTIONS[i % len(SECTIONS)].slug,
                    "kind": "basic",
                    "status": "published",
                    "origin": "bank",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(questions)
            ],
        )
        db.session.execute(
            insert(QuestionRevision),
            [
                {
                    "id": i + 1,
                    "question_id": i + 1,
                    "number": 1,
                    "content_hash": "x" * 64,
                    "created_at": NOW,
                    "summary": "",
                    "data": {
                        "id": f"bench-{i}",
                        "kind": "basic",
                        "section": SECTIONS[i % len(SECTIONS)].slug,
                        "paragraphs": [1],
                        "difficulty": 1,
                        "tags": [],
                        "prompt": f"Front {i} <b>?</b>",
                        "answer": f"Back {i}",
                        "explanation": "Why.",
                    },
                }
                for i in range(questions)
            ],
        )
        db.session.execute(db.update(Question).values(current_revision_id=Question.id))
        users = []
        for n in range(1 + others):
            user = User(email=f"user{n}@example.com", role="student", settings={})
            user.set_password(PASSWORD)
            db.session.add(user)
            users.append(user)
        db.session.flush()
        card_id = log_id = 0
        for n, user in enumerate(users):
            cards, logs = [], []
            owned = questions if n == 0 else questions // 4
            for q in range(owned):
                card_id += 1
                due = NOW + timedelta(hours=(q * 37) % (24 * 30)) - timedelta(days=3)
                cards.append(
                    {
                        "id": card_id,
                        "user_id": user.id,
                        "question_id": q + 1,
                        "state": 2,
                        "step": None,
                        "stability": 10.0,
                        "difficulty": 5.0,
                        "due": due,
                        "last_review": NOW - timedelta(days=1),
                        "reps": reviews_per_card,
                        "lapses": 0,
                        "created_at": NOW,
                    }
                )
                for r in range(reviews_per_card):
                    log_id += 1
                    when = NOW - timedelta(days=(q + r * 13) % days, minutes=q % 600)
                    logs.append(
                        {
                            "id": log_id,
                            "card_id": card_id,
                            "user_id": user.id,
                            "question_id": q + 1,
                            "review_number": r + 1,
                            "rating": 1 if (q + r) % 9 == 0 else 3,
                            "reviewed_at": when,
                            "state_before": 2,
                            "state_after": 2,
                            "elapsed_days": 3,
                            "due_after": due,
                            "stability_after": 10.0,
                            "difficulty_after": 5.0,
                        }
                    )
            db.session.execute(insert(StudyCard), cards)
            if logs:
                db.session.execute(insert(ReviewLog), logs)
                # what record_rating counts as it logs each review
                per_day: dict = {}
                for log in logs:
                    row = per_day.setdefault(study_day(log["reviewed_at"]), [0, 0, 0])
                    row[0] += 1
                    row[1] += 1  # every bench review is of a card in review state
                    row[2] += log["rating"] != 1
                db.session.execute(
                    insert(StudyDay),
                    [
                        {"user_id": user.id, "day": day, "reviews": n, "known": known, "kept": kept}
                        for day, (n, known, kept) in per_day.items()
                    ],
                )
        db.session.commit()
        db.session.remove()
    return app


def _client(app):
    client = app.test_client()
    response = client.post("/login", data={"email": "user0@example.com", "password": PASSWORD})
    assert response.status_code == 302, "bench login failed"
    return client


def _timed_get(client, url: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one GET."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, cpu


def _statements(app, client, url: str) -> int:
    with app.app_context():
        engine = db.engine
    count = []

    def _listen(conn, cursor, statement, *rest):  # noqa: ARG001
        if not statement.lstrip().upper().startswith("PRAGMA"):
            count.append(statement)

    event.listen(engine, "before_cursor_execute", _listen)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", _listen)
    return len(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        small = _build(
            os.path.join(tmp, "small.sqlite"), questions=40, reviews_per_card=5, days=30, others=0
        )
        large = _build(
            os.path.join(tmp, "large.sqlite"),
            questions=4000,
            reviews_per_card=25,
            days=400,
            others=20,
        )
        clients = {"small": _client(small), "large": _client(large)}
        apps = {"small": small, "large": large}
        lines = [
            "- small: 40 questions; one student with 40 cards and 200 reviews",
            "- large: 4,000 questions; the student has 4,000 cards and 100,000 reviews over "
            "400 days; 20 other students 1,000 cards and 25,000 reviews each",
            f"- repetitions: {args.repeat}, alternating small and large",
        ]
        met = True
        for label, url in (
            ("next card (`/study/session`)", "/study/session"),
            ("study home (`/study/`)", "/study/"),
            ("dashboard (`/dashboard`)", "/dashboard"),
        ):
            for side in ("small", "large"):
                _timed_get(clients[side], url)  # warm-up
            wall: dict[str, list[float]] = {"small": [], "large": []}
            cpu: dict[str, list[float]] = {"small": [], "large": []}
            for _ in range(args.repeat):
                for side in ("small", "large"):
                    w, c = _timed_get(clients[side], url)
                    wall[side].append(w)
                    cpu[side].append(c)
            ratio = statistics.median(cpu["large"]) / statistics.median(cpu["small"])
            wall_ratio = statistics.median(wall["large"]) / statistics.median(wall["small"])
            queries = {side: _statements(apps[side], clients[side], url) for side in apps}
            ok = ratio <= TARGET and queries["small"] == queries["large"]
            met = met and ok
            lines.append(
                f"- {label}: CPU time small {statistics.median(cpu['small']) * 1000:.1f} ms, "
                f"large {statistics.median(cpu['large']) * 1000:.1f} ms, ratio {ratio:.2f}x "
                f"(target <= {TARGET}x; wall-time ratio {wall_ratio:.2f}x); SQL statements "
                f"{queries['small']} vs {queries['large']}: {'met' if ok else 'NOT met'}"
            )
        lines.append(
            f"- load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()

    print("\n".join(lines))
    if not args.no_write:
        _record(args, lines)
    return 0 if met else 1


def _record(args: argparse.Namespace, lines: list[str]) -> None:
    command = "`.venv/bin/python bench/bench_study.py"
    if args.repeat != 15:
        command += f" --repeat {args.repeat}"
    command += "`"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "## Flashcard study (`bench/bench_study.py`)",
            "",
            f"{command}, {when}, Python {sys.version.split()[0]}, SQLite:",
            "",
            *lines,
        ]
    )
    write_block("bench_study", body)


if __name__ == "__main__":
    sys.exit(main())
