"""Benchmark: item statistics in SQL against loading every answer into Python.

Both sides compute the same numbers (answers, facility, discrimination per question) over
the same SQLite database of synthetic finished attempts. Ours is
``webapp.instructor.stats.item_statistics`` (sums kept as quizzes finish, rebuilt here by
``webapp.aggregates.rebuild`` after the synthetic answers are written); the
baseline selects every answer row and does the arithmetic in Python, the approach the
issue rules out. Reports the median time ratio ours / baseline (target < 1) and checks
that both agree.

    .venv/bin/python bench/bench_item_stats.py [--attempts 4000] [--repeat 11]

It also renders the statistics page (sorted by discrimination, first page) for a bank of
200 questions with 100 students and for one of 20,000 questions with 300 students, and
counts the SQL statements of each request: the page must take the same number whatever
the size (issue 13).

And it measures the statistics page's CPU time in each of its orders (and with its
filters) over 200 and over 200,000 answered questions, in turn in the same run, with the
ratio large / small (issue 18: at most 1.5x), and the page's main statement as it was
(every answered question sorted by an expression) beside the one read from an index.
``--growth-large 20000`` for a quicker run.

Prints the figures and records them in bench/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_block  # noqa: E402
from _signin import sign_in  # noqa: E402
from sqlalchemy import event, insert, update  # noqa: E402

from questions import SECTIONS  # noqa: E402
from questions import Question as BankQuestion  # noqa: E402
from webapp import aggregates, create_app  # noqa: E402
from webapp.bank_sync import sync_bank  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.instructor.stats import item_statistics, pearson  # noqa: E402
from webapp.models import (  # noqa: E402
    Answer,
    Attempt,
    AttemptItem,
    Question,
    QuestionRevision,
    QuestionStat,
    Role,
    User,
)

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
QUESTIONS, ITEMS_PER_ATTEMPT, STUDENTS = 200, 10, 100


def _bank() -> list[BankQuestion]:
    return [
        BankQuestion.from_dict(
            {
                "id": f"history-bench-{i}",
                "kind": "true_false",
                "section": "history",
                "paragraphs": [1],
                "difficulty": 1,
                "tags": [],
                "prompt": f"Statement {i}.",
                "answer": True,
                "explanation": "Benchmark item.",
            }
        )
        for i in range(QUESTIONS)
    ]


def _fill(attempts: int) -> None:
    rng = random.Random(7)
    sync_bank(_bank())
    db.session.execute(
        insert(User),
        [
            {
                "email": f"s{i}@example.com",
                "password_hash": "x",
                "role": Role.STUDENT.value,
                "created_at": WHEN,
                "settings": {},
            }
            for i in range(STUDENTS)
        ],
    )
    users = list(db.session.scalars(db.select(User.id)))
    questions = list(db.session.execute(db.select(Question.id, Question.current_revision_id)))
    db.session.execute(
        insert(Attempt),
        [
            {
                "user_id": users[a % len(users)],
                "mode": "section",
                "sections": ["history"],
                "size": ITEMS_PER_ATTEMPT,
                "started_at": WHEN,
                "finished_at": WHEN,
                "score": 0.5,
            }
            for a in range(attempts)
        ],
    )
    attempt_ids = list(db.session.scalars(db.select(Attempt.id).order_by(Attempt.id)))
    items = []
    for attempt_id in attempt_ids:
        ability = rng.random()
        for position, (qid, rev) in enumerate(rng.sample(questions, ITEMS_PER_ATTEMPT), 1):
            items.append(
                {
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_id": qid,
                    "revision_id": rev,
                    "presentation": {},
                    "_ability": ability,
                }
            )
    db.session.execute(
        insert(AttemptItem), [{k: v for k, v in i.items() if k != "_ability"} for i in items]
    )
    item_ids = list(db.session.scalars(db.select(AttemptItem.id).order_by(AttemptItem.id)))
    db.session.execute(
        insert(Answer),
        [
            {
                "attempt_item_id": item_id,
                "response": True,
                "score": float(rng.random() < 0.3 + 0.6 * i["_ability"]),
                "correct": False,
                "feedback": "",
                "answered_at": WHEN,
            }
            for item_id, i in zip(item_ids, items, strict=True)
        ],
    )
    aggregates.rebuild()  # answers written behind the app's back: the kept sums
    db.session.commit()


def _fill_large(
    *, questions: int, students: int, attempts: int, sections: int = 1, cover: bool = False
) -> None:
    """A bank of ``questions`` true/false items and ``attempts`` finished quizzes by
    ``students``, written with bulk inserts (the bank's loader would take minutes).

    ``sections``: the questions go round the article's first sections. ``cover``: the
    quizzes take the questions in turn, so that every one is answered once
    ``attempts * ITEMS_PER_ATTEMPT`` reaches the bank's size (else they draw at random).
    """
    rng = random.Random(11)
    slugs = [s.slug for s in SECTIONS[:sections]]
    db.session.execute(
        insert(Question),
        [
            {
                "uid": f"history-big-{i:06}",
                "section": slugs[i % len(slugs)],
                "kind": "true_false",
                "status": "published",
                "origin": "bank",
                "created_at": WHEN,
                "updated_at": WHEN,
            }
            for i in range(questions)
        ],
    )
    ids = list(db.session.scalars(db.select(Question.id).order_by(Question.id)))
    data = _bank()[0].to_dict()
    db.session.execute(
        insert(QuestionRevision),
        [
            {
                "question_id": qid,
                "number": 1,
                "data": {**data, "id": f"history-big-{n:06}", "prompt": f"Statement {n}."},
                "content_hash": "x",
                "search_text": f"statement {n}.",
                "created_at": WHEN,
                "summary": "bench",
            }
            for n, qid in enumerate(ids)
        ],
    )
    current = (
        db.select(QuestionRevision.id)
        .where(QuestionRevision.question_id == Question.id)
        .scalar_subquery()
    )
    db.session.execute(update(Question).values(current_revision_id=current))
    db.session.execute(
        insert(User),
        [
            {
                "email": f"big{i}@example.com",
                "password_hash": "x",
                "role": Role.STUDENT.value,
                "created_at": WHEN,
                "settings": {},
            }
            for i in range(students)
        ],
    )
    users = list(db.session.scalars(db.select(User.id).where(User.email.like("big%"))))
    per_pass = -(-questions // ITEMS_PER_ATTEMPT)  # quizzes that take every question once

    def student(a: int) -> int:
        """The student of quiz ``a``; with ``cover``, each pass shifts by one, so that a
        question's answers come from different students."""
        return (a + (a // per_pass if cover else 0)) % len(users)

    revisions = {
        qid: rev
        for qid, rev in db.session.execute(db.select(Question.id, Question.current_revision_id))
    }
    db.session.execute(
        insert(Attempt),
        [
            {
                "user_id": users[student(a)],
                "mode": "section",
                "sections": ["history"],
                "size": ITEMS_PER_ATTEMPT,
                "started_at": WHEN,
                "finished_at": WHEN,
                "score": 0.5,
            }
            for a in range(attempts)
        ],
    )
    attempt_ids = list(db.session.scalars(db.select(Attempt.id).order_by(Attempt.id)))

    def drawn(a: int) -> list[int]:
        if cover:
            return [ids[(a * ITEMS_PER_ATTEMPT + k) % len(ids)] for k in range(ITEMS_PER_ATTEMPT)]
        return rng.sample(ids, ITEMS_PER_ATTEMPT)

    items = [
        {
            "attempt_id": attempt_id,
            "position": position,
            "question_id": qid,
            "revision_id": revisions[qid],
            "presentation": {},
        }
        for a, attempt_id in enumerate(attempt_ids)
        for position, qid in enumerate(drawn(a), 1)
    ]
    db.session.execute(insert(AttemptItem), items)
    item_ids = list(db.session.scalars(db.select(AttemptItem.id)))
    db.session.execute(
        insert(Answer),
        [
            {
                "attempt_item_id": item_id,
                "response": True,
                "score": float(rng.random() < 0.6),
                "correct": False,
                "feedback": "",
                "answered_at": WHEN,
            }
            for item_id in item_ids
        ],
    )
    aggregates.rebuild()  # answers written behind the app's back: the kept sums
    db.session.commit()


def page_statements(*, questions: int, students: int, attempts: int) -> tuple[int, float]:
    """SQL statements and seconds of one statistics page over a bank of that size."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/page.sqlite", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            db.create_all()
            _fill_large(questions=questions, students=students, attempts=attempts)
            prof = User(email="prof@example.com", role=Role.INSTRUCTOR.value, password_hash="x")
            db.session.add(prof)
            db.session.commit()
            client = app.test_client()
            sign_in(app, client, prof.id)
            client.get("/instructor/statistics")  # warm the templates
            statements: list[str] = []

            def _count(*args: object) -> None:
                statements.append(str(args[2]))

            event.listen(db.engine, "before_cursor_execute", _count)
            start = time.perf_counter()
            response = client.get("/instructor/statistics?sort=discrimination&order=desc&page=2")
            seconds = time.perf_counter() - start
            event.remove(db.engine, "before_cursor_execute", _count)
            assert response.status_code == 200, response.status_code
            db.engine.dispose()
    counted = [s for s in statements if not s.lstrip().upper().startswith("PRAGMA")]
    return len(counted), seconds


# The statistics page's orders and filters (issue 18: each as cheap at 200,000 answered
# questions as at 200); "{section}" is one of the bank's four sections.
GROWTH_VIEWS = (
    ("by section (the default)", ""),
    ("by section, descending", "sort=section&order=desc"),
    ("by question, descending", "sort=question&order=desc"),
    ("by state", "sort=state"),
    ("by answers, descending", "sort=answers&order=desc"),
    ("by students", "sort=students"),
    ("by facility", "sort=facility"),
    ("by facility, descending", "sort=facility&order=desc"),
    ("by discrimination", "sort=discrimination"),
    ("by discrimination, descending", "sort=discrimination&order=desc"),
    ("by review, descending", "sort=review&order=desc"),
    ("one section, by facility descending", "sort=facility&order=desc&section={section}"),
    ("flagged, by discrimination", "flagged=y&sort=discrimination"),
)
GROWTH_SECTIONS = 4


def _growth_app(tmp: str, name: str, questions: int):  # noqa: ANN202
    """An app over a bank of ``questions``, every one answered twice (``cover``), and a
    signed-in instructor's client."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/{name}.sqlite",
            "SECRET_KEY": "bench",
            # two answering students are enough for flags: the review order has them all
            "STATS_MIN_STUDENTS": 2,
        }
    )
    with app.app_context():
        db.create_all()
        _fill_large(
            questions=questions,
            students=50,
            attempts=2 * questions // ITEMS_PER_ATTEMPT,
            sections=GROWTH_SECTIONS,
            cover=True,
        )
        prof = User(email="prof@example.com", role=Role.INSTRUCTOR.value, password_hash="x")
        db.session.add(prof)
        db.session.commit()
        answered = db.session.scalar(db.select(db.func.count()).select_from(QuestionStat))
        prof_id = prof.id
    client = app.test_client()
    sign_in(app, client, prof_id)
    return app, client, answered


def _cpu_ms(client, url: str) -> float:  # noqa: ANN001
    start = time.process_time()
    response = client.get(url)
    spent = (time.process_time() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return spent


def _old_statement_ms(app, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """CPU ms of the page's old statement for facility descending (every answered
    question sorted by the facility computed from its sums) and of the new one."""
    from webapp.instructor import stats_list
    from webapp.instructor.sorting import Sort

    qs = QuestionStat
    old = (
        db.select(qs.question_id)
        .join(Question, Question.id == qs.question_id)
        .where(qs.answers > 0)
        .order_by((qs.sx / db.func.nullif(qs.answers, 0)).desc().nulls_last(), Question.uid)
        .limit(51)
    )
    times: dict[str, list[float]] = {"old": [], "new": []}
    with app.app_context():
        for _ in range(repeat):
            start = time.process_time()
            db.session.scalars(old).all()
            times["old"].append((time.process_time() - start) * 1000)
            start = time.process_time()
            stats_list.page_ids(
                Sort("facility", descending=True),
                section=None,
                flagged=False,
                few=False,
                offset=0,
                limit=51,
            )
            times["new"].append((time.process_time() - start) * 1000)
    return statistics.median(times["old"]), statistics.median(times["new"])


def page_growth(*, small: int, large: int, repeat: int) -> tuple[list[str], bool]:
    """The statistics page's CPU time per order over ``small`` and ``large`` answered
    questions, measured in turn in the same run: the lines to record, and whether every
    view stays within 1.5x."""
    lines = []
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        app_s, client_s, answered_s = _growth_app(tmp, "small", small)
        app_l, client_l, answered_l = _growth_app(tmp, "large", large)
        section = SECTIONS[1].slug
        lines.append(
            f"- statistics page, CPU ms per request (median of {repeat}, small and large in "
            f"turn): {answered_s:,} vs {answered_l:,} answered questions (each answered "
            f"twice, over {GROWTH_SECTIONS} sections), SQLite"
        )
        for label, query in GROWTH_VIEWS:
            url = "/instructor/statistics?" + query.format(section=section)
            _cpu_ms(client_s, url)  # warm: templates, statement caches
            _cpu_ms(client_l, url)
            times_s, times_l = [], []
            for _ in range(repeat):
                times_s.append(_cpu_ms(client_s, url))
                times_l.append(_cpu_ms(client_l, url))
            ms_s, ms_l = statistics.median(times_s), statistics.median(times_l)
            worst = max(worst, ms_l / ms_s)
            lines.append(f"  - {label}: {ms_s:.1f} ms vs {ms_l:.1f} ms, ratio {ms_l / ms_s:.2f}x")
        old_ms, new_ms = _old_statement_ms(app_l, repeat)
        lines.append(
            f"  - worst ratio {worst:.2f}x (aim <= 1.5x): {'met' if worst <= 1.5 else 'NOT met'}"
        )
        lines.append(
            f"  - the page's main statement alone at {answered_l:,} answered questions, by "
            f"facility descending: {old_ms:.1f} ms as it was (sorting every answered question "
            f"by the facility computed from the sums), {new_ms:.2f} ms read from the index"
        )
        for app in (app_s, app_l):
            with app.app_context():
                db.engine.dispose()
    return lines, worst <= 1.5


def baseline() -> dict[int, tuple[int, float, float | None]]:
    """Every answer into Python, then the same statistics."""
    rows = db.session.execute(
        db.select(AttemptItem.attempt_id, AttemptItem.question_id, Answer.score)
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.finished_at.is_not(None), Attempt.user_id.is_not(None))
    ).all()
    totals: dict[int, float] = defaultdict(float)
    for attempt_id, _, score in rows:
        totals[attempt_id] += score
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0, 0.0])
    for attempt_id, qid, x in rows:
        y = totals[attempt_id] - x
        s = sums[qid]
        s[0] += 1
        s[1] += x
        s[2] += y
        s[3] += x * x
        s[4] += y * y
        s[5] += x * y
    return {
        qid: (int(n), sx / n, pearson(int(n), sx, sy, sxx, syy, sxy))
        for qid, (n, sx, sy, sxx, syy, sxy) in sums.items()
    }


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--large-attempts", type=int, default=30_000)
    parser.add_argument("--growth-small", type=int, default=200)
    parser.add_argument("--growth-large", type=int, default=200_000)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            db.create_all()
            _fill(args.attempts)
            answers = db.session.scalar(db.select(db.func.count(Answer.id)))
            ours_times, base_times, ratios = [], [], []
            for _ in range(args.repeat):
                t_ours, ours = _timed(item_statistics)
                db.session.expire_all()
                t_base, base = _timed(baseline)
                db.session.expire_all()
                ours_times.append(t_ours)
                base_times.append(t_base)
                ratios.append(t_ours / t_base)
            agree = set(ours) == set(base) and all(
                ours[q].answers == base[q][0]
                and math.isclose(ours[q].facility, base[q][1])
                and math.isclose(ours[q].discrimination or 0, base[q][2] or 0, abs_tol=1e-9)
                for q in ours
            )
            db.engine.dispose()
    ratio = statistics.median(ratios)
    small = page_statements(questions=200, students=100, attempts=400)
    large = page_statements(questions=20_000, students=300, attempts=args.large_attempts)
    flat = small[0] == large[0]
    growth, growth_flat = page_growth(
        small=args.growth_small, large=args.growth_large, repeat=args.repeat
    )
    lines = [
        f"- answers: {answers:,} ({args.attempts:,} finished attempts of {ITEMS_PER_ATTEMPT} "
        f"items over {QUESTIONS} questions), repetitions: {args.repeat}, SQLite",
        f"- ours (one grouped SQL query): median {statistics.median(ours_times) * 1000:.1f} ms",
        f"- baseline (every answer into Python): median "
        f"{statistics.median(base_times) * 1000:.1f} ms",
        f"- ratio ours / baseline: median {ratio:.2f}x (min {min(ratios):.2f}x, "
        f"max {max(ratios):.2f}x); target < 1: {'met' if ratio < 1 else 'NOT met'}",
        f"- both give the same numbers: {'yes' if agree else 'NO'}",
        f"- statistics page (sorted by discrimination, page 2): {small[0]} SQL statements "
        f"for 200 questions and 100 students ({small[1] * 1000:.0f} ms), {large[0]} for "
        f"20,000 questions and 300 students with {args.large_attempts:,} quizzes "
        f"({large[1] * 1000:.0f} ms); flat: {'yes' if flat else 'NO'}",
        *growth,
    ]
    print("\n".join(lines))
    if not args.no_write:
        _record(lines)
    return 0 if agree and ratio < 1 and flat and growth_flat else 1


def _record(lines: list[str]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "## Item statistics (`bench/bench_item_stats.py`)",
            "",
            f"`.venv/bin/python bench/bench_item_stats.py`, {stamp}, "
            f"Python {sys.version.split()[0]}:",
            "",
            *lines,
        ]
    )
    write_block("bench_item_stats", body)


if __name__ == "__main__":
    sys.exit(main())
