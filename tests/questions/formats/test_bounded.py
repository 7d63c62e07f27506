"""A 1 MB upload of any format is read in bounded time and memory, however it is built.

Each input below once made a parser rescan the rest of the text from every delimiter
(quadratic) or check hundreds of thousands of parts one by one; the limits are the
upload size (1 MB), MAX_ITEMS questions a file and MAX_PARTS answers a question.
"""

import time
import tracemalloc

import pytest

from questions.formats import ImportDefaults, parse_upload
from questions.formats.common import MAX_ITEMS, MAX_PARTS

MB = 1_000_000
DEFAULTS = ImportDefaults(section="history", paragraphs=(1,))
# Generous for a shared, loaded CI machine; a quadratic parser takes minutes.
SECONDS = 10


def _fill(head: str, unit: str, tail: str) -> bytes:
    return (head + unit * ((MB - len(head) - len(tail)) // len(unit)) + tail).encode()


CASES = {
    "gift markdown stars": ("gift", _fill("[markdown]", "*a _b [c ", "{T}")),
    "gift answers": ("gift", _fill("Q {", "~a ", "=b}")),
    "gift unclosed tags": ("gift", _fill("[html]", "<a ", "{T}")),
    "gift escapes": ("gift", _fill("Q ", "\\\\\\{", "{T}")),
    "gift tag comments": ("gift", _fill("", "// [tag:x [id:y\n", "Q {T}")),
    "gift questions": ("gift", _fill("", "Q {T}\n\n", "")),
    "csv cells": ("csv", _fill("kind,prompt,answer\nnumeric,P,", "1,", "5\n")),
    "quizlet rows": ("quizlet", _fill("", "t\td;", "")),
    "xml open gaps": (
        "moodle_xml",
        _fill(
            '<quiz><question type="cloze"><questiontext><text>',
            "{1:SA:",
            "</text></questiontext></question></quiz>",
        ),
    ),  # fmt: skip
    "xml answers": (
        "moodle_xml",
        _fill(
            '<quiz><question type="multichoice">',
            '<answer fraction="0"><text>x</text></answer>',
            "</question></quiz>",
        ),
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_1mb_upload_is_read_in_bounded_time(name):
    fmt, data = CASES[name]
    assert len(data) <= MB
    start = time.monotonic()
    parse_upload(fmt, data, filename="x", defaults=DEFAULTS)
    assert time.monotonic() - start < SECONDS


def test_too_many_questions_or_answers_is_one_problem():
    _, problems = parse_upload("quizlet", CASES["quizlet rows"][1], filename="x")
    assert [f"more than {MAX_ITEMS} questions" in p.message for p in problems] == [True]
    _, problems = parse_upload("gift", CASES["gift answers"][1], filename="x", defaults=DEFAULTS)
    assert [f"more than {MAX_PARTS} answers" in p.message for p in problems] == [True]


def test_peak_memory_of_a_1mb_moodle_xml_import_stays_small():
    body = "".join(
        f'<question type="truefalse"><name><text>T{i}</text></name><questiontext><text>'
        f'X{i}</text></questiontext><answer fraction="100"><text>true</text></answer></question>'
        for i in range(2500)
    )
    data = f"<quiz>{body}</quiz>".encode()
    tracemalloc.start()
    try:
        items, _ = parse_upload("moodle_xml", data, filename="x", defaults=DEFAULTS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(items) == 2500 and peak < 200 * MB


CASES["bank items"] = (
    "bank",
    _fill("section: history\nquestions:\n", "  - {id: q, kind: basic, prompt: P}\n", ""),
)
CASES["bank long line of spaces"] = ("bank", _fill("section: history\nquestions:\n", " ", "x\n"))
CASES["bank run of dots"] = (
    "bank",
    _fill(
        "section: history\nquestions:\n  - id: history-dots\n    kind: basic\n"
        "    paragraphs: [1]\n    difficulty: 1\n    tags: []\n    prompt: P\n"
        "    answer: A\n    explanation: a",
        ".",
        "b\n",
    ),
)
CASES["csv cloze with many ::"] = (
    "csv",
    _fill("kind,prompt\ncloze,{{c1::", "::", "\n"),
)
CASES["csv same prompt, made-up ids"] = ("csv", _fill("kind,prompt,answer\n", "basic,x,y\n", ""))
# Peak memory while reading 1 MB: the text, its parse tree and MAX_ITEMS small questions.
PEAK_BYTES = 150 * MB


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_1mb_upload_is_read_in_bounded_memory(name):
    fmt, data = CASES[name]
    tracemalloc.start()
    try:
        parse_upload(fmt, data, filename="x", defaults=DEFAULTS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES


def test_ids_made_up_for_look_alike_questions_take_linear_time():
    data = ("x,y\n" * MAX_ITEMS).encode()  # one card each, all with the prompt "x"
    start = time.monotonic()
    items, problems = parse_upload("quizlet", data, filename="x", defaults=DEFAULTS)
    assert time.monotonic() - start < SECONDS
    assert problems == [] and len({i.question.id for i in items}) == MAX_ITEMS


def test_making_20000_ids_for_one_prompt_takes_linear_time():
    """The issue's 80 KB CSV of 20,000 ``x,y`` rows, past the file cap: ids alone."""
    from questions.formats.common import _new_id

    taken: set[str] = set()
    suffixes: dict[str, int] = {}
    start = time.monotonic()
    for _ in range(20_000):
        taken.add(
            _new_id(
                {"section": "history", "prompt": "x"}, title=None, taken=taken, suffixes=suffixes
            )
        )
    assert time.monotonic() - start < SECONDS
    assert len(taken) == 20_000 and "history-x-20000" in taken
