"""Benchmark: the Anki exporter against bare genanki on a synthetic bank of 10,000 questions.

Both sides write the same notes (same note types, fields, tags and GUIDs) in the same
process; the baseline gets its field strings pre-rendered, so the ratio shows what our
rendering, escaping, per-note modification times and atomic write cost on top of genanki.
Target: median ratio <= 1.5 (genanki's public API only; downloads are cached anyway).
Also reports package sizes and peak memory (tracemalloc).

    .venv/bin/python bench/bench_anki_export.py [--questions 10000] [--repeat 11]

Prints the figures and records them in bench/RESULTS.md (between this benchmark's
markers, so other benchmarks' sections stay as they are).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import genanki

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_block  # noqa: E402

from questions import SECTIONS, Kind, Option, Pair, Question  # noqa: E402
from questions import anki as exporter  # noqa: E402

TIMESTAMP = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def synthetic_bank(n: int) -> list[Question]:
    """n questions cycling through every kind and section, with text that needs escaping."""
    kinds = list(Kind)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        section = SECTIONS[i % len(SECTIONS)]
        base = dict(
            id=f"bench-{i}",
            kind=kind,
            section=section.slug,
            paragraphs=(1,),
            prompt=f"Question {i}: which of these <treaties> & deals came first?",
            explanation=f'Explanation {i}, one or two sentences "quoted" & short.',
            difficulty=1 + i % 3,
            tags=("bench", f"t{i % 7}"),
        )
        if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_SELECT):
            base["options"] = (
                Option(f"Option A{i}", True),
                Option(f"Option B{i}", i % 2 == 0),
                Option(f"Option C{i}"),
                Option(f"Option D{i}"),
            )
        elif kind is Kind.TRUE_FALSE:
            base["answer"] = i % 2 == 0
        elif kind in (Kind.SHORT_ANSWER, Kind.BASIC):
            base["answer"] = f"Answer {i}"
            base["accept"] = (f"answer {i}",)
        elif kind is Kind.NUMERIC:
            base.update(answer=1000 + i, tolerance=5, unit="billion USD")
        elif kind is Kind.ORDERING:
            base["items"] = tuple(f"Step {j} of {i}" for j in range(5))
        elif kind is Kind.MATCHING:
            base["pairs"] = tuple(Pair(f"Left {j}/{i}", f"Right {j}/{i}") for j in range(4))
            base["distractors"] = (f"Extra {i}",)
        elif kind is Kind.CLOZE:
            year = 1990 + i % 30
            base["prompt"] = f"In {{{{c1::{year}}}}} the {{{{c2::treaty {i}::what}}}} held."
            base["accept"] = {1: (f"year {i}",)}
        out.append(Question(**base))
    return out


def ours(bank: list[Question], modified: dict, path: str) -> None:
    exporter.export_anki(bank, path, modified=modified, timestamp=TIMESTAMP)


def baseline_notes(bank: list[Question], modified: dict):
    """(deck id, deck name, model, fields, tags, guid) per note, rendered ahead of time."""
    plain = {
        exporter.QA_MODEL_ID: genanki.Model(
            exporter.QA_MODEL_ID,
            exporter.QA_MODEL.name,
            fields=exporter.QA_MODEL.fields,
            templates=exporter.QA_MODEL.templates,
            css=exporter.CSS,
        ),
        exporter.CLOZE_MODEL_ID: genanki.Model(
            exporter.CLOZE_MODEL_ID,
            exporter.CLOZE_MODEL.name,
            fields=exporter.CLOZE_MODEL.fields,
            templates=exporter.CLOZE_MODEL.templates,
            css=exporter.CSS,
            model_type=genanki.Model.CLOZE,
        ),
    }
    by_slug = {s.slug: s for s in SECTIONS}
    rows = []
    for i, q in enumerate(bank):
        note = exporter._note_for(q, mod=None, due=i)
        section = by_slug[q.section]
        rows.append(
            (
                exporter.deck_id_for(q.section),
                exporter.deck_name_for(section),
                plain[note.model.model_id],
                list(note.fields),
                list(note.tags),
                note.guid,
            )
        )
    return rows


def bare_genanki(rows, path: str) -> None:
    decks: dict[int, genanki.Deck] = {}
    for i, (deck_id, name, model, fields, tags, guid) in enumerate(rows):
        deck = decks.get(deck_id) or decks.setdefault(deck_id, genanki.Deck(deck_id, name))
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid, due=i))
    genanki.Package(list(decks.values())).write_to_file(path, timestamp=TIMESTAMP)


def _timed(fn, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def _peak(fn, *args) -> int:
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _inputs(n: int, *, rows: bool = True):
    bank = synthetic_bank(n)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    modified = {q.id: base + timedelta(seconds=i) for i, q in enumerate(bank)}
    return bank, modified, (baseline_notes(bank, modified) if rows else [])


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _rss_child(side: str, n: int) -> int:
    """In this (fresh) process: peak RSS during one export above the RSS before, in bytes.

    tracemalloc sees Python objects only, not SQLite's own memory; this sees everything.
    Linux: the peak (VmHWM) is reset through /proc/self/clear_refs just before the export.
    """
    bank, modified, rows = _inputs(n, rows=side == "bare")
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.apkg")
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        before = _status_kib("VmRSS")
        if side == "ours":
            ours(bank, modified, path)
        else:
            bare_genanki(rows, path)
        peak = _status_kib("VmHWM")
    return (peak - before) * 1024


def _rss(side: str, n: int) -> int | None:
    if not os.path.exists("/proc/self/clear_refs"):
        return None
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", side, "--questions", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--rss-child", choices=("ours", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        print(_rss_child(args.rss_child, args.questions))
        return 0

    bank, modified, rows = _inputs(args.questions)

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, bare_path = os.path.join(tmp, "ours.apkg"), os.path.join(tmp, "bare.apkg")
        ours(bank, modified, ours_path)  # warm-up: imports, caches
        bare_genanki(rows, bare_path)
        ratios, cpu_ratios, ours_times, bare_times = [], [], [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both sides alike
            t_bare, c_bare = _timed(bare_genanki, rows, bare_path)
            t_ours, c_ours = _timed(ours, bank, modified, ours_path)
            bare_times.append(t_bare)
            ours_times.append(t_ours)
            ratios.append(t_ours / t_bare)
            cpu_ratios.append(c_ours / c_bare)
        ours_size, bare_size = os.path.getsize(ours_path), os.path.getsize(bare_path)
        ours_peak = _peak(ours, bank, modified, ours_path)
        bare_peak = _peak(bare_genanki, rows, bare_path)

    ratio = statistics.median(ratios)
    lines = [
        f"- questions: {args.questions:,}, repetitions: {args.repeat}",
        f"- ours (render + build + write): median {statistics.median(ours_times):.3f} s",
        f"- bare genanki (pre-rendered fields): median {statistics.median(bare_times):.3f} s",
        f"- ratio ours / bare genanki: median {ratio:.2f}x "
        f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x); target <= 1.5x: "
        f"{'met' if ratio <= 1.5 else 'NOT met'}",
        f"- ratio of best times (least disturbed by other load): "
        f"{min(ours_times) / min(bare_times):.2f}x",
        f"- ratio of CPU times (process_time; leaves out genanki's waits on disk): "
        f"median {statistics.median(cpu_ratios):.2f}x",
        f"- load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
        f"- package size: ours {ours_size / 1e6:.2f} MB (deflated), "
        f"bare genanki {bare_size / 1e6:.2f} MB (stored)",
        f"- peak traced memory (Python objects, tracemalloc): ours {ours_peak / 1e6:.1f} MB, "
        f"bare genanki {bare_peak / 1e6:.1f} MB",
        _rss_line(args.questions),
    ]
    print("\n".join(lines))
    if not args.no_write:
        _record(args, lines)
    return 0


def _rss_line(n: int) -> str:
    ours_rss, bare_rss = _rss("ours", n), _rss("bare", n)
    if ours_rss is None or bare_rss is None:
        return "- peak RSS growth: not measured (needs Linux /proc)"
    return (
        "- peak RSS growth during one export (fresh process each, SQLite included): "
        f"ours {ours_rss / 1e6:.1f} MB, bare genanki {bare_rss / 1e6:.1f} MB"
    )


def _record(args: argparse.Namespace, lines: list[str]) -> None:
    command = "`.venv/bin/python bench/bench_anki_export.py"
    if args.questions != 10_000 or args.repeat != 11:
        command += f" --questions {args.questions} --repeat {args.repeat}"
    command += "`"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "## Anki export (`bench/bench_anki_export.py`)",
            "",
            f"{command}, {when}, Python {sys.version.split()[0]}, "
            f"genanki {getattr(genanki, '__version__', '0.13')}:",
            "",
            *lines,
        ]
    )
    write_block("bench_anki_export", body)


if __name__ == "__main__":
    raise SystemExit(main())
