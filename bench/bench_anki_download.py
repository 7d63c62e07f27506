"""Benchmark: the site's deck download, built versus reused from the per-process cache.

A throwaway SQLite database gets a synthetic bank of published questions; the whole deck
is downloaded through the Flask test client with the cache emptied before each request
(the package is built) and with it kept (one query, no rebuild). Reports both medians and
their ratio (target: a reused download costs at most a tenth of a built one), and the SQL
statements per download at two bank sizes, which must not differ.

    .venv/bin/python bench/bench_anki_download.py [--questions 2000] [--repeat 7]

Prints the figures and records them in bench/RESULTS.md (between this benchmark's
markers, so other benchmarks' sections stay as they are).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_block  # noqa: E402

from questions import SECTIONS, Question  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.bank_sync import sync_bank  # noqa: E402
from webapp.extensions import db  # noqa: E402

URL = "/anki/deck.apkg"


def synthetic_bank(n: int) -> list[Question]:
    """``n`` single-choice questions spread over the sections."""
    return [
        Question.from_dict(
            {
                "id": f"bench-{i}",
                "kind": "single_choice",
                "section": SECTIONS[i % len(SECTIONS)].slug,
                "paragraphs": [1],
                "difficulty": 1 + i % 3,
                "tags": ["bench"],
                "prompt": f"Synthetic question number {i}: which option is right?",
                "options": [
                    {"text": f"Right {i}", "correct": True},
                    {"text": f"Wrong {i}"},
                    {"text": f"Other {i}"},
                ],
                "explanation": f"Option one is right for question {i}.",
            }
        )
        for i in range(n)
    ]


def _app(folder: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _load(app, n: int) -> None:
    with app.app_context():
        sync_bank(synthetic_bank(n))
        db.session.commit()


def _download(client, *, fresh: bool) -> float:
    if fresh:
        client.application.extensions.pop("anki_decks", None)
    start = time.perf_counter()
    response = client.get(URL)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status
    return elapsed


def _statements(app, client, *, fresh: bool) -> int:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):  # noqa: ANN001, ARG001
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        _download(client, fresh=fresh)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        client = app.test_client()
        _load(app, 100)
        small = (_statements(app, client, fresh=True), _statements(app, client, fresh=False))
        _load(app, args.questions)
        large = (_statements(app, client, fresh=True), _statements(app, client, fresh=False))
        _download(client, fresh=True)  # warm-up
        built, reused = [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both sides alike
            built.append(_download(client, fresh=True))
            reused.append(_download(client, fresh=False))
        size = len(client.get(URL).data)

    ratio = statistics.median(reused) / statistics.median(built)
    lines = [
        f"- questions: {args.questions:,}, repetitions: {args.repeat}, package {size / 1e6:.2f} MB",
        f"- download, package built: median {statistics.median(built) * 1000:.1f} ms",
        f"- download, package reused: median {statistics.median(reused) * 1000:.1f} ms",
        f"- ratio reused / built: {ratio:.3f}x; target <= 0.1x: "
        f"{'met' if ratio <= 0.1 else 'NOT met'}",
        f"- SQL statements per download (built, reused): {small} with 100 questions, "
        f"{large} with {args.questions:,}: {'flat' if small == large else 'NOT flat'}",
    ]
    print("\n".join(lines))
    if not args.no_write:
        _record(args, lines)
    return 0 if small == large else 1


def _record(args: argparse.Namespace, lines: list[str]) -> None:
    command = "`.venv/bin/python bench/bench_anki_download.py"
    if args.questions != 2000 or args.repeat != 7:
        command += f" --questions {args.questions} --repeat {args.repeat}"
    command += "`"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "## Anki deck download (`bench/bench_anki_download.py`)",
            "",
            f"{command}, {when}, Python {sys.version.split()[0]}:",
            "",
            *lines,
        ]
    )
    write_block("bench_anki_download", body)


if __name__ == "__main__":
    raise SystemExit(main())
