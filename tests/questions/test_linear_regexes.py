"""Every pattern run over text from an upload or a student reads 1 MB in linear time.

Each input below made its pattern quadratic before (a worker held for minutes, or
killed): a run of dots for the sentence counter, an unclosed cloze deletion followed by
"::", a line of spaces for the bank's id lines, spaces before a bracket or a dash for the answer
normaliser. The bound is generous for a loaded machine; a quadratic pattern takes minutes.
"""

import time

import pytest

from questions.formats import bank_yaml
from questions.model import CLOZE_PATTERN
from questions.normalise import _BRACKETS, _DASHED
from questions.validation import count_sentences

MB = 1_000_000
SECONDS = 1.0

CASES = {
    "sentence counter on a run of dots": lambda: count_sentences("a" + "." * MB + "b"),
    "sentence counter on dots and spaces": lambda: count_sentences("A." + " " * MB + "x"),
    "sentence counter on stops and quotes": lambda: count_sentences("a" + '!"' * (MB // 2)),
    "cloze deletion with many ::": lambda: CLOZE_PATTERN.findall("{{c1::" + "::" * (MB // 2)),
    "many unclosed cloze deletions": lambda: CLOZE_PATTERN.findall("{{c1::a::" * (MB // 9)),
    "cloze deletion with many }": lambda: CLOZE_PATTERN.findall("{{c1::" + "}a" * (MB // 2)),
    "bank id line of spaces": lambda: bank_yaml._ID_LINE.findall(" " * MB + "x"),
    "bank id line of spaces and a dash": lambda: bank_yaml._ID_LINE.findall(
        " " * MB + "-" + " " * MB
    ),
    "answer brackets after spaces": lambda: _BRACKETS.match("a" + " " * MB + "x"),
    "answer dash after spaces": lambda: _DASHED.match("a" + " " * MB + "x"),
    "answer dash after tabs, no end": lambda: _DASHED.match("a" + "\t" * MB),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_pathological_megabyte_is_read_in_linear_time(name):
    start = time.monotonic()
    CASES[name]()
    assert time.monotonic() - start < SECONDS


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("One. Two! Three? Four...", 4),
        ("Wait... What happened.", 2),
        ("The U.S. President spoke.", 1),
        ("No stop at the end", 1),
    ],
)
def test_the_sentence_counter_still_counts_sentences(text, count):
    assert count_sentences(text) == count


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        (
            "{{c1::Moscow}} and {{c2::Beijing::a capital}}",
            [("1", "Moscow", ""), ("2", "Beijing", "a capital")],
        ),
        ("{{c1::a::b::c}}", [("1", "a", "b::c")]),
        ("{{c1::a}b}}", [("1", "a}b", "")]),
        ("{{c1::1991}}}", [("1", "1991", "")]),
        ("{{c1::unclosed:: and more", []),
    ],
)
def test_the_cloze_pattern_still_reads_deletions_and_hints(prompt, found):
    assert CLOZE_PATTERN.findall(prompt) == found
