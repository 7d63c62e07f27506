"""Benchmark: SQL statements of a class's gradebook, small class against a big one.

    .venv/bin/python bench/bench_gradebook.py [--database-url postgresql://...] [--no-write]

Builds one class of 3 students with 1 assignment and one of 300 students with 40
assignments (every student with a finished attempt at every assignment, a third of them
with a second one, so "best" and "last" have something to choose), then counts the SQL
statements of the gradebook page and of its CSV for each, and times them (median of 5).
Target: the same number of statements for both classes (ratio 1.00). The time ratio is
printed for information: the big class has 4,000 times the cells.

Prints the table and records it in bench/RESULTS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from _signin import sign_in  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from tests.serving import scratch_database  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    Assignment,
    Attempt,
    ClassInstructor,
    Classroom,
    Membership,
    Role,
    User,
)

WHEN = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
SIZES = ((3, 1), (300, 40))
REPEAT = 5


def make_class(prof_id: int, *, students: int, assignments: int, tag: str) -> int:
    """A class taught by ``prof_id`` with its students, assignments and attempts; its id."""
    classroom = Classroom(name=f"Class {tag}", time_zone="UTC", join_code=f"BENCH{tag}"[:8])
    db.session.add(classroom)
    db.session.flush()
    db.session.add(ClassInstructor(class_id=classroom.id, user_id=prof_id))
    db.session.execute(
        insert(User),
        [
            {
                "email": f"{tag}-s{i}@example.com",
                "password_hash": "x",
                "role": Role.STUDENT.value,
                "created_at": WHEN,
                "settings": {},
            }
            for i in range(students)
        ],
    )
    user_ids = list(
        db.session.scalars(db.select(User.id).where(User.email.like(f"{tag}-s%")).order_by(User.id))
    )
    db.session.execute(
        insert(Membership),
        [
            {"class_id": classroom.id, "user_id": u, "name": f"Student {n}", "joined_at": WHEN}
            for n, u in enumerate(user_ids)
        ],
    )
    db.session.execute(
        insert(Assignment),
        [
            {
                "class_id": classroom.id,
                "title": f"Week {n + 1} quiz",
                "source": "sections",
                "sections": ["history"],
                "question_ids": [],
                "size": 10,
                "opens_at": WHEN + timedelta(days=7 * n),
                "due_at": WHEN + timedelta(days=7 * n + 6),
                "attempts_allowed": None,
                "counts": "best" if n % 2 else "last",
                "show_answers": "each",
                "late_policy": "accept",
                "created_at": WHEN,
            }
            for n in range(assignments)
        ],
    )
    assignment_ids = list(
        db.session.scalars(db.select(Assignment.id).where(Assignment.class_id == classroom.id))
    )
    rows = []
    for n, user_id in enumerate(user_ids):
        for k, assignment_id in enumerate(assignment_ids):
            tries = 2 if (n + k) % 3 == 0 else 1
            for t in range(tries):
                start = WHEN + timedelta(days=7 * k + 1, hours=t)
                rows.append(
                    {
                        "user_id": user_id,
                        "mode": "mixed",
                        "sections": ["history"],
                        "size": 10,
                        "started_at": start,
                        "finished_at": start + timedelta(minutes=12),
                        "score": ((n * 7 + k * 3 + t) % 11) / 10,
                        "assignment_id": assignment_id,
                    }
                )
    db.session.execute(insert(Attempt), rows)
    db.session.commit()
    return classroom.id


def measure(app, prof_id: int, class_id: int) -> dict[str, tuple[int, float]]:
    """Statements and median milliseconds of the gradebook page and CSV."""
    client = app.test_client()
    sign_in(app, client, prof_id)
    out = {}
    for name, path in (
        ("gradebook page", f"/instructor/classes/{class_id}/gradebook"),
        ("gradebook.csv", f"/instructor/classes/{class_id}/gradebook.csv"),
    ):
        assert client.get(path).status_code == 200  # warm the templates
        counts, times = [], []
        for _ in range(REPEAT):
            statements: list[str] = []

            def _count(*args: object, _into: list[str] = statements) -> None:
                _into.append(str(args[2]))

            with app.app_context():
                event.listen(db.engine, "before_cursor_execute", _count)
                begin = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - begin) * 1000)
                event.remove(db.engine, "before_cursor_execute", _count)
            assert response.status_code == 200, response.status_code
            counts.append(
                sum(
                    1
                    for s in statements
                    if not s.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE"))
                )
            )
        assert len(set(counts)) == 1, counts
        out[name] = (counts[0], statistics.median(times))
    return out


def run(database_url: str | None) -> tuple[str, dict]:
    name = "PostgreSQL" if database_url and not database_url.startswith("sqlite") else "SQLite"
    results = {}
    with scratch_database(database_url) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        try:
            with app.app_context():
                db.create_all()
                prof = User(email="prof@example.com", role=Role.INSTRUCTOR.value, password_hash="x")
                db.session.add(prof)
                db.session.commit()
                prof_id = prof.id
                ids = {
                    size: make_class(prof_id, students=size[0], assignments=size[1], tag=str(n))
                    for n, size in enumerate(SIZES)
                }
            for size, class_id in ids.items():
                results[size] = measure(app, prof_id, class_id)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return name, results


def report(name: str, results: dict) -> tuple[str, bool]:
    small, big = SIZES
    lines = [
        f"Statements per request on {name} (median time in ms in brackets), a class of "
        f"{small[0]} students x {small[1]} assignment against one of {big[0]} x {big[1]}.",
        "",
        f"| request | {small[0]} x {small[1]} | {big[0]} x {big[1]} | statements ratio "
        "| time ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    flat = True
    for page in results[small]:
        (n_small, t_small), (n_big, t_big) = results[small][page], results[big][page]
        flat &= n_small == n_big
        lines.append(
            f"| {page} | {n_small} ({t_small:.1f}) | {n_big} ({t_big:.1f}) "
            f"| {n_big / n_small:.2f} | {t_big / t_small:.1f}x |"
        )
    lines += [
        "",
        "Target: the same statements in both columns (ratio 1.00): "
        + ("met" if flat else "NOT met"),
    ]
    return "\n".join(lines), flat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    name, results = run(args.database_url)
    text, flat = report(name, results)
    print(text)
    if not args.no_write:
        write_block(
            f"bench_gradebook-{name.lower()}",
            f"## Gradebook statements on {name} (`bench/bench_gradebook.py`)\n\n"
            f"`{command_line()}`, {stamp()}:\n\n{text}",
        )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
