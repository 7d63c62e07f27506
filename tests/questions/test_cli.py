"""python -m questions validate | stats: exit codes and output a user relies on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from questions.__main__ import main
from tests.questions.samples import GOOD_ITEMS, bank_text, good_item

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def good_dir(tmp_path):
    items = [good_item(kind, id=f"history-{n}") for n, kind in enumerate(GOOD_ITEMS)]
    (tmp_path / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    (tmp_path / "07-conclusion.yaml").write_text(
        bank_text([good_item("basic", id="conclusion-1")], section="conclusion"), encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def bad_dir(tmp_path):
    items = [good_item("true_false", answer="maybe"), good_item("basic", explanation=None)]
    (tmp_path / "01-history.yaml").write_text(bank_text(items), encoding="utf-8")
    (tmp_path / "02-multipolar-world.yaml").write_text(
        "section: multipolar-world\nquestions: [\n", encoding="utf-8"
    )
    return tmp_path


def test_validate_prints_one_ok_line_and_exits_0_on_a_good_bank(good_dir, capsys):
    assert main(["validate", str(good_dir)]) == 0
    out = capsys.readouterr().out
    assert out == "ok: 10 questions in 2 files, 21 paragraph digests\n"


def test_validate_prints_every_problem_and_exits_1_on_a_bad_bank(bad_dir, capsys):
    assert main(["validate", str(bad_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert any("01-history.yaml:" in ln and ": history-tf: answer: " in ln for ln in lines)
    assert any(": history-card: explanation: explanation is required" in ln for ln in lines)
    assert any("02-multipolar-world.yaml:3: not valid YAML" in ln for ln in lines)


def test_validate_runs_as_a_module_from_the_shell(bad_dir):
    bad = subprocess.run(
        [sys.executable, "-m", "questions", "validate", str(bad_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 1 and "answer" in bad.stdout
    assert "3 problem(s)" in bad.stderr


def test_stats_json_gives_totals_per_section_kind_and_difficulty(good_dir, capsys):
    assert main(["stats", "--json", "--dir", str(good_dir)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 10
    assert list(stats["sections"]) == [
        "introduction",
        "history",
        "multipolar-world",
        "international-organizations",
        "security",
        "economy-energy",
        "coronavirus",
        "conclusion",
    ]
    assert stats["sections"]["history"] == 9 and stats["sections"]["conclusion"] == 1
    assert stats["kinds"]["basic"] == 2 and stats["kinds"]["cloze"] == 1
    assert stats["difficulty"] == {"1": 6, "2": 4, "3": 0}


def test_stats_table_is_readable(good_dir, capsys):
    assert main(["stats", "--dir", str(good_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 history" in out and "Recall" in out
    assert out.splitlines()[-1].split() == ["Total", "10"]


def test_an_unknown_subcommand_is_refused(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["frobnicate"])
    assert excinfo.value.code == 2


@pytest.mark.parametrize(
    ("command", "start"), [("export-gift", "$CATEGORY"), ("export-moodle-xml", "<?xml")]
)
def test_export_gift_and_moodle_xml_write_the_bank_and_list_what_they_cannot_hold(
    good_dir, tmp_path, capsys, command, start
):
    out = tmp_path / "out.txt"
    assert main([command, "--dir", str(good_dir), "-o", str(out)]) == 0
    assert out.read_text().startswith(start)
    captured = capsys.readouterr()
    assert "wrote" in captured.out
    assert "not exported as it is: conclusion-1" in captured.err  # a flashcard


def test_export_gift_of_one_section_goes_to_stdout(good_dir, capsys):
    assert main(["export-gift", "--dir", str(good_dir), "--section", "conclusion"]) == 0
    assert "// [id:conclusion-1]" in capsys.readouterr().out
