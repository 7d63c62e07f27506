"""The paragraph digests (questions/article/digests.yaml) and related: ids between items."""

import subprocess
import sys
from pathlib import Path

import pytest

from questions import DIGESTS_FILE, SECTIONS, BankError, Question, load_bank, load_digests
from questions.__main__ import main
from questions.digests import parse_digests_text
from questions.loader import bank_files
from tests.questions.samples import bank_text, good_item

ROOT = Path(__file__).resolve().parents[2]


def full_digests(skip=(), extra=""):
    lines = []
    for s in SECTIONS:
        lines.append(f"{s.slug}:")
        lines.extend(
            f"  {n}: Digest of {s.slug} {n}."
            for n in range(1, s.paragraphs + 1)
            if (s.slug, n) not in skip
        )
    return "\n".join(lines) + "\n" + extra


# --- digests ---------------------------------------------------------------------------------


def test_the_real_digests_cover_every_paragraph_and_nothing_else():
    digests = load_digests()
    expected = {(s.slug, n) for s in SECTIONS for n in range(1, s.paragraphs + 1)}
    assert set(digests) == expected
    assert all(text.strip() for text in digests.values())


def test_the_digests_file_is_not_a_bank_file():
    assert DIGESTS_FILE.resolve() not in {p.resolve() for p in bank_files()}
    assert DIGESTS_FILE.parent.name == "article"


def test_the_real_digests_pass_the_overlap_check():
    tool = ROOT.parent / "shared" / "tools" / "overlap_check.py"
    if not tool.exists():
        pytest.skip(f"the shared overlap tool {tool} is not on this machine")
    result = subprocess.run(
        [sys.executable, str(tool), str(DIGESTS_FILE)], capture_output=True, text=True, check=False
    )
    assert result.stdout == "" and result.returncode == 0, result.stdout


def test_a_complete_digests_text_has_no_problem():
    digests, problems = parse_digests_text(full_digests(), "d.yaml")
    assert problems == [] and len(digests) == sum(s.paragraphs for s in SECTIONS)


def test_a_missing_paragraph_is_reported_with_file_and_line():
    _, problems = parse_digests_text(full_digests(skip={("history", 2)}), "d.yaml")
    assert [str(p) for p in problems] == [
        "d.yaml:6: history: no digest for paragraph(s) 2 of 'history'"
    ]


def test_a_paragraph_that_does_not_exist_is_reported_at_its_line():
    text = full_digests().replace("  3: Digest of history 3.\n", "  3: x.\n  4: Extra.\n")
    _, problems = parse_digests_text(text, "d.yaml")
    assert len(problems) == 1
    assert problems[0].line == 10 and "paragraph 4 does not exist" in problems[0].message


def test_unknown_sections_empty_and_long_digests_are_reported():
    text = (
        full_digests()
        .replace("Digest of coronavirus 1.", "''")
        .replace("Digest of coronavirus 2.", "One. Two. Three.")
    )
    _, problems = parse_digests_text(text + "nowhere:\n  1: x\n", "d.yaml")
    messages = [p.message for p in problems]
    assert any("must be non-empty text" in m for m in messages)
    assert any("3 sentences" in m for m in messages)
    assert any("unknown section 'nowhere'" in m for m in messages)
    assert not any("no digest" in m for m in messages)  # the empty one is not reported twice


def test_load_digests_raises_with_every_problem(tmp_path):
    path = tmp_path / "digests.yaml"
    path.write_text(full_digests(skip={("conclusion", 1)}), encoding="utf-8")
    with pytest.raises(BankError, match="no digest for paragraph"):
        load_digests(path)


def test_validate_reports_a_broken_digests_file(tmp_path, capsys):
    (tmp_path / "01-history.yaml").write_text(bank_text([good_item("basic")]), encoding="utf-8")
    digests = tmp_path / "digests.yaml"
    digests.write_text(full_digests(skip={("security", 1)}), encoding="utf-8")
    assert main(["validate", str(tmp_path), "--digests", str(digests)]) == 1
    assert "no digest for paragraph(s) 1 of 'security'" in capsys.readouterr().out


# --- related ---------------------------------------------------------------------------------


def test_related_round_trips_through_to_dict_and_from_dict():
    raw = good_item(
        "basic", related=["history-tf", "history-short"], lint_waive={"key-length": "why"}
    )
    q = Question.from_dict(raw, section="history")
    assert q.related == ("history-tf", "history-short")
    assert q.lint_waive == (("key-length", "why"),)
    d = q.to_dict()
    assert d["related"] == ["history-tf", "history-short"]
    assert d["lint_waive"] == {"key-length": "why"}
    assert Question.from_dict(d) == q


def test_items_without_related_keep_their_dict_unchanged():
    d = Question.from_dict(good_item("basic"), section="history").to_dict()
    assert "related" not in d and "lint_waive" not in d


def test_related_ids_must_exist_somewhere_in_the_bank(tmp_path):
    items = [
        good_item("basic", related=["history-tf", "conclusion-x"]),
        good_item("true_false"),
    ]
    (tmp_path / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    (tmp_path / "07-conclusion.yaml").write_text(
        bank_text([good_item("basic", id="conclusion-x")], section="conclusion"),
        encoding="utf-8",
    )
    assert load_bank(tmp_path).problems == []
    items[0]["related"] = ["history-tf", "history-nowhere"]
    (tmp_path / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    (problem,) = load_bank(tmp_path).problems
    assert problem.file.endswith("01-history.yaml") and problem.line is not None
    assert problem.item == "history-card" and problem.field == "related"
    assert "'history-nowhere', which no bank item has" in problem.message


@pytest.mark.parametrize(
    "related, message",
    [
        ("history-tf", "related must be a list"),
        (["Not An Id"], "is not an id"),
        (["history-card"], "names the item itself"),
        (["history-tf", "history-tf"], "listed twice"),
    ],
)
def test_related_has_the_shape_of_a_list_of_other_ids(tmp_path, related, message):
    items = [good_item("basic", related=related), good_item("true_false")]
    (tmp_path / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    problems = load_bank(tmp_path).problems
    assert any(p.field == "related" and message in p.message for p in problems), problems


@pytest.mark.parametrize("waive", [["key-length"], {"key-length": ""}, {}])
def test_lint_waive_maps_rules_to_reasons(tmp_path, waive):
    (tmp_path / "01-history.yaml").write_text(
        bank_text([good_item("basic", lint_waive=waive)]), encoding="utf-8"
    )
    problems = load_bank(tmp_path).problems
    assert any(p.field == "lint_waive" for p in problems), problems
