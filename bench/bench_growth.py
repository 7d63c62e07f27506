"""CPU time per request of the daily pages as the bank and a student's history grow.

    .venv/bin/python bench/bench_growth.py [--database-url postgresql://...]
        [--banks 222,2000,20000] [--histories 10,1000,10000] [--repeat 15]

For each bank size (generated single-choice questions, as ``bench_queries.py`` makes
them) and each history (a student with that many answers, written directly and counted
by ``aggregates.rebuild``, as ``flask stats rebuild`` would), every page of issue 18's
table is requested in-process through the test client, the pages taking turns
(interleaved), and the median CPU time (``time.process_time``) per request is reported,
with ``/healthz`` in the same run for scale. Growth = largest size / smallest size; the
aim is at most 1.5x for every page (the Anki build excepted: it is cached). The quiz page
(an open question) and an answer (a POST of a well-formed answer read from the question's
own form) are also set against ``/healthz`` in each cell: the aim is at most 3x. Prints the
table and records it in bench/RESULTS.md unless ``--no-write``.

The ratio is given two ways. "In blocks" divides the page's figure above by ``/healthz``'s:
each was timed in its own run of ``--repeat`` requests, the best of 3 passes each, so the
two may come from different passes, and a request repeated back to back keeps the CPU's
caches warm for it (``/healthz``, the smallest, gains most: 0.47 ms in a block against
about 0.58 ms between other pages on SQLite). "Taking turns" times ``/healthz`` and the page
alternately, request by request (healthz, page, healthz, page...), ``--repeat`` pairs a
pass, and gives the median over 3 passes of median(page) / median(healthz): both pay the
same cold caches and the same moment's load, as in a server that serves a mix of pages.

The instructor's statistics page shows the answered questions of every student, 50 a
page. Before the first cell a classmate answers ``CLASS_ANSWERS`` questions (more than a
page of them, in every bank: the first questions by id), so that the page draws a full
page of rows in every cell. Without it the first cell (222 questions, a student with 10
answers) drew 10 rows and every later one 50, and the row reported the drawing of 40
more rows (4.7 ms against 8.3 at 222 questions and 1,000 answers on SQLite: 1.88x) as
growth: compare like with like. The measured student's pages read only their own rows.

Not measured here: 200,000 questions (building such a bank takes longer than the run is
worth on a 2-core machine; pass ``--banks 222,200000`` to try).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402
from bench_queries import PASSWORD, _token, grow_bank, make_student  # noqa: E402
from load import FormReader, pick_answer  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from tests.serving import scratch_database  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Role, User  # noqa: E402

STUDENT_PAGES = {
    "healthz": "/healthz",
    "home, student": "/",
    "dashboard": "/dashboard",
    '"my mistakes" start': "/quiz/mistakes",
    "/study/": "/study/",
    "/study/session": "/study/session",
    "quiz start page, whole article": "/quiz/all",
    "Anki download, cached": "/anki/deck.apkg",
}
DRAW = "quiz start (draw), whole article"
QUIZ_PAGE = "quiz page (an open question)"
ANSWER = "answer (POST)"
TURNS = "taking turns: "  # the key prefix of a ratio timed alternately with /healthz
INSTRUCTOR_PAGES = {
    "instructor list": "/instructor/",
    "instructor search": "/instructor/?q=number+12",
    "instructor statistics": "/instructor/statistics",
}
# A classmate's answers, so that the statistics page is full (50 rows) in every cell.
CLASS_ANSWERS = 250


def _login(app, email: str):  # noqa: ANN202
    client = app.test_client()
    page = client.get("/login").text
    r = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": _token(page)}
    )
    assert r.status_code == 302, r.status_code
    return client


def _cpu_ms(client, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.get(url)
        times.append(time.process_time() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def _draw_ms(client, repeat: int) -> float:
    """CPU ms of starting a 10-question quiz on the whole article (the draw), POST."""
    token = _token(client.get("/quiz/all").text)
    times = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.post("/quiz/all", data={"size": "10", "csrf_token": token})
        times.append(time.process_time() - started)
        assert response.status_code == 302, response.status_code
    return statistics.median(times) * 1000


def _prepared_answers(client, n: int) -> tuple[str, list[tuple[str, dict]]]:
    """An open question's URL, and ``n`` well-formed answers to other open questions
    (read from each question's own form, as a student's browser would send them)."""
    rng = random.Random(18)
    open_page = ""
    answers: list[tuple[str, dict]] = []
    while len(answers) < n:
        token = _token(client.get("/quiz/all").text)
        response = client.post("/quiz/all", data={"size": "40", "csrf_token": token})
        assert response.status_code == 302, response.status_code
        attempt = response.headers["Location"].rsplit("/", 1)[1]
        for position in range(1, 41):
            url = f"/attempts/{attempt}/items/{position}"
            form = FormReader()
            form.feed(client.get(url).text)
            if not open_page:
                open_page = url  # kept open: the quiz page timed
                continue
            answers.append((url, {**pick_answer(form, rng), "csrf_token": form.csrf}))
    return open_page, answers[:n]


def _answer_ms(client, answers: list[tuple[str, dict]]) -> float:
    """CPU ms of answering an open question (the POST and its redirect, not followed)."""
    times = []
    for url, data in answers:
        started = time.process_time()
        response = client.post(url, data=data)
        times.append(time.process_time() - started)
        assert response.status_code == 302, (url, response.status_code)
    return statistics.median(times) * 1000


def _one_ms(request) -> float:  # noqa: ANN001
    started = time.process_time()
    request()
    return (time.process_time() - started) * 1000


def _turns_ratio(client, page, repeat: int) -> float:  # noqa: ANN001
    """median(page) / median(/healthz), the two timed alternately, ``repeat`` pairs."""
    health, timed = [], []
    for _ in range(repeat):
        health.append(_one_ms(lambda: _ok(client.get("/healthz"), 200)))
        timed.append(_one_ms(page))
    return statistics.median(timed) / statistics.median(health)


def _answer_once(client, answer: tuple[str, dict]) -> None:  # noqa: ANN001
    url, data = answer
    _ok(client.post(url, data=data), 302)


def _ok(response, status: int):  # noqa: ANN001, ANN202
    assert response.status_code == status, (response.request.path, response.status_code)
    return response


def measure(app, email: str, repeat: int) -> dict[str, float]:
    student = _login(app, email)
    teacher = _login(app, "teacher@example.com")
    student.get("/anki/deck.apkg")  # built once; the cached download is what is timed
    open_page, answers = _prepared_answers(student, 6 * repeat)
    answers, turn_answers = answers[: 3 * repeat], iter(answers[3 * repeat :])
    out: dict[str, list[float]] = {}
    for n in range(3):  # interleaved: every page in each pass
        for name, url in STUDENT_PAGES.items():
            out.setdefault(name, []).append(_cpu_ms(student, url, repeat))
        out.setdefault(QUIZ_PAGE, []).append(_cpu_ms(student, open_page, repeat))
        out.setdefault(ANSWER, []).append(_answer_ms(student, answers[n::3]))
        out.setdefault(DRAW, []).append(_draw_ms(student, repeat))
        for name, url in INSTRUCTOR_PAGES.items():
            out.setdefault(name, []).append(_cpu_ms(teacher, url, repeat))
        out.setdefault(TURNS + QUIZ_PAGE, []).append(
            _turns_ratio(student, lambda: _ok(student.get(open_page), 200), repeat)
        )
        out.setdefault(TURNS + ANSWER, []).append(
            _turns_ratio(student, lambda: _answer_once(student, next(turn_answers)), repeat)
        )
    best = {name: min(values) for name, values in out.items() if not name.startswith(TURNS)}
    turns = {name: statistics.median(v) for name, v in out.items() if name.startswith(TURNS)}
    return best | turns


def _settle(app) -> None:  # noqa: ANN001
    """Before a cell is measured, finish the background work its load left behind: a cell
    measures the tables as a deployment has them between bulk loads, not the aftermath of
    loading thousands of rows on the same two cores.

    On PostgreSQL, ``VACUUM ANALYZE`` what the cell loaded, then ``CHECKPOINT``: the load's
    and the vacuum's dirty pages are written now, not by the checkpointer while the next
    cells run. With the vacuum alone the cells right after the bank grew still read slow
    for most pages (at e4de29a: the quiz page 2.5 and 3.2 ms against 1.7-2.1 in the
    others, and the dashboard grew 1.66x in one run); with the checkpoint too (2026-11-30
    03:05) every page grew at most 1.03x. ``CHECKPOINT`` needs a superuser (or
    pg_checkpoint); without one the cell is measured after the vacuum alone.

    SQLite has no background work: a checkpoint of its WAL before each cell (``PRAGMA
    wal_checkpoint(TRUNCATE)``, tried at 03:16) left every figure where it was.
    """
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
            try:
                conn.exec_driver_sql("CHECKPOINT")
            except DBAPIError:
                pass


def run(database_url: str | None, banks: list[int], histories: list[int], repeat: int) -> dict:
    results: dict[tuple[int, int], dict[str, float]] = {}
    with scratch_database(database_url) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            teacher = User(email="teacher@example.com", role=Role.INSTRUCTOR.value)
            teacher.set_password(PASSWORD)
            db.session.add(teacher)
            db.session.commit()
        try:
            for bank in banks:
                grow_bank(app, bank)
                if not results:
                    make_student(app, "classmate@example.com", CLASS_ANSWERS)
                for history in histories:
                    email = f"s-{bank}-{history}@example.com"
                    make_student(app, email, history)
                    _settle(app)
                    results[(bank, history)] = measure(app, email, repeat)
                    print(bank, history, results[(bank, history)], flush=True)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return results


def report(name: str, results: dict) -> str:
    columns = list(results)
    first, last = columns[0], columns[-1]
    head = " | ".join(f"{b:,} q / {h:,} a" for b, h in columns)
    lines = [
        f"CPU ms per request on {name}, in-process (test client), median of the repeats, "
        "best of 3 interleaved passes; q = questions in the bank, a = the student's answers.",
        "",
        f"| page | {head} | growth |",
        "|---|" + "---:|" * len(columns) + "---:|",
    ]
    for page in [*STUDENT_PAGES, QUIZ_PAGE, ANSWER, DRAW, *INSTRUCTOR_PAGES]:
        cells = " | ".join(f"{results[c][page]:.1f}" for c in columns)
        growth = results[last][page] / results[first][page]
        lines.append(f"| {page} | {cells} | {growth:.2f}x |")
    lines += [
        "",
        "Against `/healthz` in the same cell (aim: at most 3x); in blocks, the figures above "
        "divided; taking turns, each page timed alternately with `/healthz`, request by "
        "request (the median over 3 passes of median(page) / median(healthz)):",
        "",
        f"| page | {head} | worst |",
        "|---|" + "---:|" * len(columns) + "---:|",
    ]
    for page in (QUIZ_PAGE, ANSWER):
        blocks = [results[c][page] / results[c]["healthz"] for c in columns]
        turns = [results[c][TURNS + page] for c in columns]
        for how, ratios in (("in blocks", blocks), ("taking turns", turns)):
            cells = " | ".join(f"{r:.2f}x" for r in ratios)
            lines.append(f"| {page}, {how} | {cells} | {max(ratios):.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--banks", default="222,2000,20000")
    parser.add_argument("--histories", default="10,1000,10000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    name = (
        "PostgreSQL"
        if args.database_url and not args.database_url.startswith("sqlite")
        else "SQLite"
    )
    banks = [int(x) for x in args.banks.split(",")]
    histories = [int(x) for x in args.histories.split(",")]
    text = report(name, run(args.database_url, banks, histories, args.repeat))
    print(text)
    if not args.no_write:
        write_block(
            f"bench_growth-{name.lower()}",
            f"## Page cost as the bank and the history grow on {name} "
            f"(`bench/bench_growth.py`)\n\n`{command_line()}`, {stamp()}:\n\n{text}",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
