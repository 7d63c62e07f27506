"""SQL statements per page as the bank and a student's history grow.

    .venv/bin/python bench/bench_queries.py [--database-url postgresql://...]

Counts the statements sent to the database (and the median time) for the home page, a
quiz page, an answer submission (a wrong answer, measured on each of its two paths: the
student has no flashcard for the question and one is created, or the card exists and is
made due) and the dashboard, for a bank of 200 and of 20,000
questions and a student with 10 and with 10,000 answers. Target: the same counts in every
column. Prints the table and records it in bench/RESULTS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from sqlalchemy import event  # noqa: E402

from questions import SECTIONS, Question  # noqa: E402
from tests.serving import scratch_database  # noqa: E402
from webapp import aggregates, create_app  # noqa: E402
from webapp.bank_sync import sync_bank  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Answer, Attempt, AttemptItem, Role, StudyCard, User, utcnow  # noqa: E402
from webapp.models import Question as QuestionRow  # noqa: E402
from webapp.study.scheduling import new_card_state  # noqa: E402

PAGES = ("home", "quiz page", "submission, new card", "submission, card exists", "dashboard")
PASSWORD = "bench password"


def generated(start: int, stop: int) -> list[Question]:
    """Distinct single-choice questions spread over the article's sections."""
    return [
        Question.from_dict(
            {
                "id": f"bench-{i}",
                "kind": "single_choice",
                "section": SECTIONS[i % len(SECTIONS)].slug,
                "paragraphs": [1],
                "difficulty": 1,
                "tags": [],
                "prompt": f"Generated benchmark question number {i}?",
                "options": [
                    {"text": f"Right {i}", "correct": True},
                    {"text": f"Wrong {i}"},
                    {"text": f"Other {i}"},
                ],
                "explanation": f"Question {i} is generated.",
            }
        )
        for i in range(start, stop)
    ]


def grow_bank(app, size: int) -> None:
    with app.app_context():
        have = db.session.scalar(db.select(db.func.count(QuestionRow.id)))
        sync_bank(generated(0, size))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(QuestionRow.id))) == size, have


def make_student(app, email: str, answers: int) -> None:
    """A student with ``answers`` answers spread over finished 5-question attempts."""
    with app.app_context():
        user = User(email=email, role=Role.STUDENT.value)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        questions = list(
            db.session.execute(
                db.select(QuestionRow.id, QuestionRow.current_revision_id)
                .order_by(QuestionRow.id)
                .limit(2000)
            )
        )
        for start in range(0, answers, 5):
            n = min(5, answers - start)
            attempt = Attempt(
                user_id=user.id,
                mode="section",
                sections=["history"],
                size=n,
                started_at=utcnow(),
                finished_at=utcnow(),
                score=0.6,
            )
            for position in range(1, n + 1):
                qid, rev = questions[(start + position) % len(questions)]
                correct = (start + position) % 3 != 0
                item = AttemptItem(
                    position=position,
                    question_id=qid,
                    revision_id=rev,
                    presentation={"options": [0, 1, 2]},
                )
                item.answer = Answer(
                    response=0 if correct else 1,
                    score=float(correct),
                    correct=correct,
                    answered_at=utcnow(),
                )
                attempt.items.append(item)
            db.session.add(attempt)
            if start % 2000 == 0:
                db.session.flush()
        aggregates.rebuild()  # the history was written behind the app's back
        db.session.commit()


def _wrong_choice(html: str) -> str:
    """The radio value of the generated question's "Wrong" option on a quiz page."""
    match = re.search(r'name="choice" value="(\d+)"[^>]*>\s*<span[^>]*>Wrong ', html)
    if match is None:
        raise AssertionError("no 'Wrong' option on the quiz page")
    return match.group(1)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


class Counter:
    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine, self.n = engine, 0

    def _on(self, *args) -> None:  # noqa: ANN002
        statement = args[2]
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            self.n += 1

    def __enter__(self) -> Counter:
        self.n = 0
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on)


def measure(app, email: str, repeats: int = 5) -> dict[str, tuple[int, float]]:
    """(statements, median ms) per page for the student ``email``."""
    client = app.test_client()
    r = client.post(
        "/login",
        data={
            "email": email,
            "password": PASSWORD,
            "csrf_token": _token(client.get("/login").text),
        },
    )
    assert r.status_code == 302, r.status_code
    with app.app_context():
        engine = db.engine
        user_id = db.session.scalar(db.select(User.id).where(User.email == email))
    out: dict[str, tuple[int, float]] = {}

    def timed(name: str, call, expect: int) -> None:  # noqa: ANN001
        counts, times = [], []
        for _ in range(repeats):
            with Counter(engine) as c:
                started = time.perf_counter()
                response = call()
                times.append(time.perf_counter() - started)
            assert response.status_code == expect, (name, response.status_code)
            counts.append(c.n)
        assert len(set(counts)) == 1, (name, counts)
        out[name] = (counts[0], statistics.median(times) * 1000)

    timed("home", lambda: client.get("/"), 200)
    # Quizzes whose first questions are all different, one set for each submission path:
    # a wrong answer makes a flashcard due in study, creating it when the student has none
    # (an INSERT) or moving the one there is (an UPDATE). Each path is measured on purpose.
    urls: list[str] = []
    firsts: list[int] = []
    seen: set[int] = set()
    for _ in range(repeats * 20):
        if len(urls) == 2 * repeats:
            break
        page = client.get("/quiz/history").text
        r = client.post("/quiz/history", data={"size": "5", "csrf_token": _token(page)})
        location = r.headers["Location"]
        with app.app_context():
            first = db.session.scalar(
                db.select(AttemptItem.question_id).where(
                    AttemptItem.attempt_id == int(location.rsplit("/", 1)[1]),
                    AttemptItem.position == 1,
                )
            )
        if first not in seen:
            seen.add(first)
            firsts.append(first)
            urls.append(location + "/items/1")
    assert len(urls) == 2 * repeats, "not enough different questions drawn"
    token = _token(client.get(urls[0]).text)
    timed("quiz page", lambda: client.get(urls[0]), 200)
    new_card = [(url, _wrong_choice(client.get(url).text)) for url in urls[:repeats]]
    old_card = [(url, _wrong_choice(client.get(url).text)) for url in urls[repeats:]]
    with app.app_context():
        db.session.execute(db.delete(StudyCard).where(StudyCard.user_id == user_id))
        now = utcnow()
        for question_id in firsts[repeats:]:
            card = StudyCard(user_id=user_id, question_id=question_id, created_at=now)
            card.apply(new_card_state(now))
            db.session.add(card)
        db.session.commit()

    def submitter(pending: list[tuple[str, str]]):  # noqa: ANN202
        def submit():  # noqa: ANN202
            url, choice = pending.pop()
            return client.post(url, data={"choice": choice, "csrf_token": token})

        return submit

    timed("submission, new card", submitter(new_card), 302)
    timed("submission, card exists", submitter(old_card), 302)
    timed("dashboard", lambda: client.get("/dashboard"), 200)
    return out


def run(database_url: str | None) -> tuple[str, dict]:
    name = "PostgreSQL" if database_url and not database_url.startswith("sqlite") else "SQLite"
    results = {}
    with scratch_database(database_url) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
        try:
            grow_bank(app, 200)
            make_student(app, "few@example.com", 10)
            make_student(app, "many@example.com", 10_000)
            results[(200, 10)] = measure(app, "few@example.com")
            results[(200, 10_000)] = measure(app, "many@example.com")
            grow_bank(app, 20_000)
            make_student(app, "few2@example.com", 10)
            results[(20_000, 10)] = measure(app, "few2@example.com")
            results[(20_000, 10_000)] = measure(app, "many@example.com")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return name, results


def report(name: str, results: dict) -> tuple[str, bool]:
    columns = list(results)
    head = " | ".join(f"{b:,} q / {h:,} a" for b, h in columns)
    lines = [
        f"Statements per page on {name} (median time in ms in brackets); "
        "q = questions in the bank, a = the student's answers.",
        "",
        f"| page | {head} | same counts |",
        "|---|" + "---:|" * len(columns) + "---|",
    ]
    flat = True
    for page in PAGES:
        counts = [results[c][page][0] for c in columns]
        same = len(set(counts)) == 1
        flat &= same
        cells = " | ".join(f"{results[c][page][0]} ({results[c][page][1]:.1f})" for c in columns)
        lines.append(f"| {page} | {cells} | {'yes' if same else 'NO'} |")
    lines.append("")
    lines.append(f"Target (the same counts in every column): {'met' if flat else 'NOT met'}.")
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
            f"bench_queries-{name.lower()}",
            f"## SQL statements per page on {name} (`bench/bench_queries.py`)\n\n"
            f"`{command_line()}`, {stamp()}:\n\n{text}",
        )
    return 0 if flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
