"""Benchmark: time to grade one typed response, over every typed item of the bank.

Grades the fair and wrong response sets of tests/questions/typed_responses.py (every
typed item: short answer, numeric, cloze, basic cards) with a vocabulary of at least
10,000 known terms (the shipped world list and the bank, plus the 10,000 most frequent
English words from wordfreq), and reports the median and 99th percentile time per
response, and the time for a 10,000-character response. Caches are cleared before each
pass, so a pass grades each response as a server meeting it for the first time would.

    .venv/bin/python bench/bench_typed_grading.py [--passes 5]

Prints the figures and records them in bench/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command_line, stamp, write_block  # noqa: E402
from wordfreq import top_n_list  # noqa: E402

from questions import grade, load_bank, normalise, spec, typed, vocabulary  # noqa: E402
from tests.questions.typed_responses import FAIR, WRONG  # noqa: E402

LONG = 10_000


def _clear_caches() -> None:
    for cached in (normalise.words, normalise.meaning, typed._number_of, typed.is_common_word):
        cached.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()

    bank = {q.id: q for q in load_bank().questions}
    vocab = vocabulary.build(
        [
            *vocabulary.world_terms(),
            *vocabulary.bank_terms(bank.values()),
            *top_n_list("en", 10_000),
        ]
    )
    vocabulary.use(vocab)
    cases = [(bank[qid], r) for table in (FAIR, WRONG) for qid, rs in table.items() for r in rs]
    rng = random.Random(7)
    typed.is_common_word("warm")  # load wordfreq's list once, as a running server has it

    times: list[float] = []
    for _ in range(args.passes):
        rng.shuffle(cases)
        _clear_caches()
        for q, response in cases:
            start = time.perf_counter()
            grade(q, response)
            times.append(time.perf_counter() - start)
    times.sort()
    median = statistics.median(times) * 1e3
    p99 = times[int(0.99 * (len(times) - 1))] * 1e3

    long_times = []
    texts = ["Treaty of Good-Neighbourliness " * 400, "x" * LONG, "two " * 2_500, "1" * LONG]
    for text in texts:
        for q in bank.values():
            if spec(q.kind).typed:
                start = time.perf_counter()
                grade(q, text[:LONG])
                long_times.append(time.perf_counter() - start)
    worst_long = max(long_times) * 1e3

    lines = [
        "## Typed-answer grading (bench/bench_typed_grading.py)",
        "",
        f"Measured {stamp()} with `{command_line()}`.",
        "",
        f"- responses: {len(cases)} (fair and wrong, every typed item of the bank), "
        f"{args.passes} passes, caches cleared before each",
        f"- vocabulary: {len(vocab):,} known terms ({len(vocab.words):,} words)",
        f"- median per response: {median:.3f} ms (aim: under 1 ms)",
        f"- p99 per response: {p99:.3f} ms",
        f"- a {LONG:,}-character response, worst over {len(long_times)} item x text pairs: "
        f"{worst_long:.3f} ms",
    ]
    print("\n".join(lines))
    write_block("typed_grading", "\n".join(lines))
    vocabulary.use(None)


if __name__ == "__main__":
    main()
