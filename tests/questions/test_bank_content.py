"""The real bank in questions/bank/: every file present is valid, and the content bar."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from questions import BANK_DIR, DIGESTS_FILE, SECTIONS, grade, load_bank
from questions.loader import bank_files
from tests.questions.samples import key_response

ROOT = Path(__file__).resolve().parents[2]


def test_every_bank_file_present_loads_without_a_problem():
    bank = load_bank()
    problems = [
        p
        for p in bank.problems
        if p.message != "no such directory" and "no bank files" not in p.message
    ]
    assert problems == [], "\n".join(map(str, problems))
    expected = {f"{s.number:02d}-{s.slug}.yaml" for s in SECTIONS}
    assert {p.name for p in bank_files()} <= expected


def test_every_question_in_the_bank_grades_its_own_key_as_right():
    wrong = [q.id for q in load_bank().questions if not grade(q, key_response(q)).correct]
    assert wrong == []


def test_every_bank_file_and_the_digests_pass_the_overlap_check():
    # The team's shared folder sits beside the checkout, in CI as on a developer's machine.
    tool = ROOT.parent / "shared" / "tools" / "overlap_check.py"
    files = [*bank_files(), DIGESTS_FILE]  # the paragraph digests are in our words too
    if not tool.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the overlap check, but {tool} is missing")
        pytest.skip(f"the shared overlap tool {tool} is not on this machine")
    if not files:
        pytest.skip("no bank files yet in questions/bank/")
    result = subprocess.run(
        [sys.executable, str(tool), *map(str, files)], capture_output=True, text=True, check=False
    )
    assert result.stdout == "" and result.returncode == 0, result.stdout + result.stderr


# CONTENT BAR: the finished bank, as the bank issue sets it.
def test_content_bar_the_bank_has_all_sections_and_kinds():
    assert {p.name for p in bank_files(BANK_DIR)} == {
        f"{s.number:02d}-{s.slug}.yaml" for s in SECTIONS
    }
    out = subprocess.run(
        [sys.executable, "-m", "questions", "stats", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    stats = json.loads(out)
    assert stats["total"] >= 160
    assert all(stats["sections"][s.slug] >= 12 for s in SECTIONS), stats["sections"]
    assert sum(1 for n in stats["kinds"].values() if n >= 8) >= 7, stats["kinds"]
    validate = subprocess.run(
        [sys.executable, "-m", "questions", "validate"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert validate.returncode == 0, validate.stdout
