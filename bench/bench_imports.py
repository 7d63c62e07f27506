"""Benchmark: the worst upload one can build under the import limits, per format.

For each import format, reads a normal file (the history section's 33 questions, or the
import page's sample CSV) and the costliest file found under the limits (1 MB, 5,000
questions, 100 answers a question, 20,000 YAML values, the form's text lengths), and
reports the median time and the peak memory (tracemalloc) of each, and the worst as a
ratio of the normal file measured in the same run.

    .venv/bin/python bench/bench_imports.py [--runs 3]

Prints the figures and records them in bench/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import yaml  # noqa: E402
from _results import command_line, stamp, write_block  # noqa: E402

from questions import load_bank  # noqa: E402
from questions.formats import (  # noqa: E402
    SAMPLE_CSV,
    ImportDefaults,
    dump_gift,
    dump_moodle_xml,
    parse_upload,
)
from questions.loader import MAX_YAML_VALUES  # noqa: E402
from questions.validation import MAX_ITEMS, TEXT_LIMITS  # noqa: E402

MB = 1_000_000
DEFAULTS = ImportDefaults(section="history", paragraphs=(1,))
BANK = Path(__file__).resolve().parents[1] / "questions" / "bank"


def _fill(head: str, unit: str, tail: str = "") -> bytes:
    return (head + unit * ((MB - len(head) - len(tail)) // len(unit)) + tail).encode()


def _normal() -> dict[str, bytes]:
    history = [q for q in load_bank(BANK).questions if q.section == "history"]
    return {
        "bank": (BANK / "01-history.yaml").read_bytes(),
        "csv": SAMPLE_CSV.encode(),
        "gift": dump_gift(history)[0].encode(),
        "moodle_xml": dump_moodle_xml(history)[0].encode(),
        "quizlet": "".join(f"{q.prompt}\tanswer {i}\n" for i, q in enumerate(history)).encode(),
    }


def _bank_worst() -> bytes:
    # Valid single-choice items up to the YAML value limit: each one is loaded and checked.
    item = (
        "  - id: history-q{n}\n    kind: single_choice\n    paragraphs: [1]\n"
        "    difficulty: 1\n    tags: [a]\n    prompt: Which one is right?\n    options:\n"
        "      - {{text: one, correct: true}}\n      - {{text: two, correct: false}}\n"
        "      - {{text: three, correct: false}}\n    explanation: Because.\n"
    )
    one = "section: history\nquestions:\n" + item.format(n=0)
    per_item = sum(1 for _ in yaml.parse(one)) - 10  # the document's own events aside
    n = (MAX_YAML_VALUES - 10) // per_item
    return ("section: history\nquestions:\n" + "".join(item.format(n=i) for i in range(n))).encode()


# Candidates per format; the costliest (by time) is reported as the worst.
WORST: dict[str, dict[str, Callable[[], bytes]]] = {
    "bank": {
        "valid items up to the value limit": _bank_worst,
        "a run of dots in an explanation": lambda: _fill(
            "section: history\nquestions:\n  - id: history-dots\n    kind: basic\n"
            "    prompt: P\n    answer: A\n    explanation: a",
            ".",
            "b\n",
        ),
        "a line of spaces": lambda: _fill("section: history\nquestions:\n", " ", "x\n"),
    },
    "csv": {
        f"{MAX_ITEMS} valid look-alike rows": lambda: (
            "kind,prompt,options,correct\n"
            + "single_choice,Which one is right?,one|two|three|four,1\n" * MAX_ITEMS
        ).encode(),
        "longest prompts": lambda: (
            "kind,prompt,answer\n"
            + f"true_false,{'x' * (TEXT_LIMITS['prompt'] - 1)}.,true\n" * (MB // 4_020)
        ).encode(),
    },
    "gift": {
        f"{MAX_ITEMS} questions": lambda: _fill("", "Q {T}\n\n"),
        "markdown stars": lambda: _fill("[markdown]", "*a _b [c ", "{T}"),
        "escapes": lambda: _fill("Q ", "\\\\\\{", "{T}"),
    },
    "moodle_xml": {
        f"{MAX_ITEMS} true/false questions": lambda: (
            "<quiz>"
            + "".join(
                f'<question type="truefalse"><questiontext><text>X{i}</text></questiontext>'
                '<answer fraction="100"><text>true</text></answer></question>'
                for i in range(MAX_ITEMS)
            )
            + "</quiz>"
        ).encode(),
        "100 answers each": lambda: _fill(
            "<quiz>",
            '<question type="multichoice"><questiontext><text>Q</text></questiontext>'
            + '<answer fraction="0"><text>x</text></answer>' * 99
            + '<answer fraction="100"><text>y</text></answer></question>',
            "</quiz>",
        ),
    },
    "quizlet": {
        f"{MAX_ITEMS} cards": lambda: "".join(
            f"term {i}\tdefinition {i}\n" for i in range(MAX_ITEMS)
        ).encode(),
        "longest cards": lambda: (f"{'t' * 490}\t{'d' * 490}\n" * (MB // 982)).encode(),
    },
}


def _time(fmt: str, data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_upload(fmt, data, filename="bench", defaults=DEFAULTS)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak(fmt: str, data: bytes) -> int:
    tracemalloc.start()
    try:
        parse_upload(fmt, data, filename="bench", defaults=DEFAULTS)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    normal = _normal()
    rows = []
    for fmt in sorted(WORST):
        base_t, base_m = _time(fmt, normal[fmt], args.runs), _peak(fmt, normal[fmt])
        timed = {name: _time(fmt, build(), 1) for name, build in WORST[fmt].items()}
        name = max(timed, key=lambda n: timed[n])
        data = WORST[fmt][name]()
        worst_t, worst_m = _time(fmt, data, args.runs), _peak(fmt, data)
        rows.append(
            f"| {fmt} | {len(normal[fmt]) / 1000:.0f} KB | {base_t * 1000:.0f} ms | "
            f"{base_m / MB:.1f} MB | {name} ({len(data) / 1000:.0f} KB) | "
            f"{worst_t * 1000:.0f} ms | {worst_m / MB:.1f} MB | "
            f"{worst_t / base_t:.0f}× | {worst_m / base_m:.0f}× |"
        )
        print(rows[-1], flush=True)
    body = "\n".join(
        [
            "## Worst imports under the limits (`bench/bench_imports.py`)",
            "",
            f"{stamp()}, `{command_line()}`. Median of {args.runs} reads; peak memory by",
            "tracemalloc. The normal file is the history section (33 questions) or the",
            "import page's sample CSV; the worst is the costliest candidate under the limits",
            "(1 MB, 5,000 questions, 100 answers, 20,000 YAML values, the form's lengths).",
            "",
            "| format | normal file | time | peak | worst file | time | peak "
            "| time ratio | memory ratio |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    )
    write_block("bench_imports", body)


if __name__ == "__main__":
    main()
