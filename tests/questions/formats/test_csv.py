import csv
import io
from pathlib import Path

from questions import Kind
from questions.formats import CSV_COLUMNS, SAMPLE_CSV, ImportDefaults, parse_csv

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_sample_file_imports_cleanly_and_covers_every_column():
    items, problems = parse_csv(SAMPLE_CSV, filename="sample.csv")
    assert problems == []
    assert {i.question.kind for i in items} >= {
        Kind.SINGLE_CHOICE,
        Kind.MULTIPLE_SELECT,
        Kind.TRUE_FALSE,
        Kind.SHORT_ANSWER,
        Kind.NUMERIC,
        Kind.ORDERING,
        Kind.MATCHING,
        Kind.CLOZE,
    }
    header = next(csv.reader(io.StringIO(SAMPLE_CSV)))
    assert tuple(header) == CSV_COLUMNS


def test_cells_map_to_the_bank_fields_of_each_kind():
    items, _ = parse_csv(SAMPLE_CSV)
    q = {i.question.id: i.question for i in items}
    select = q["history-sample-select"]
    assert select.keys == (0, 2) and select.difficulty == 2
    assert q["history-sample-numeric"].unit == "billion USD"
    assert q["history-sample-numeric"].tolerance == 5
    assert q["history-sample-matching"].distractors == ("4",)
    assert q["history-sample-cloze"].accept == {1: ("Peking",)}
    assert q["history-sample-ordering"].items == ("First step", "Second step", "Third step")


def test_an_escaped_bar_stays_in_the_text():
    text = (
        "kind,section,paragraphs,prompt,items,explanation\n"
        "ordering,history,1,Order them.,a \\| b|c|d,Because.\n"
    )
    items, problems = parse_csv(text)
    assert problems == []
    assert items[0].question.items == ("a | b", "c", "d")


def test_empty_cells_take_the_import_page_defaults():
    text = "kind,prompt,answer,explanation\ntrue_false,It is.,true,Yes.\n"
    items, problems = parse_csv(
        text, defaults=ImportDefaults(section="economy-energy", paragraphs=(2,))
    )
    assert problems == []
    q = items[0].question
    assert (q.section, q.paragraphs, q.id) == ("economy-energy", (2,), "economy-energy-it-is")


def test_malformed_rows_are_all_reported_with_the_line_they_start_on():
    text = (FIXTURES / "bad.csv").read_text()
    items, problems = parse_csv(text, filename="bad.csv")
    assert items == []
    found = [(p.line, p.field) for p in problems]
    assert (2, "correct") in found  # option 4 of 3
    assert (3, "answer") in found  # "maybe" is not true/false
    assert (5, "paragraphs") in found  # the row after a two-line cell starts on line 5
    assert (5, "answer") in found
    assert (6, "id") in found  # the id of line 2 again
    assert (7, None) in found  # too few cells
    assert (8, "pairs") in found  # "b 2" has no arrow
    assert (9, "options") in found  # a column the kind does not use
    assert all(p.file == "bad.csv" for p in problems)


def test_a_header_without_the_required_columns_is_one_clear_problem():
    _, problems = parse_csv("question,answer\nWhat?,That\n")
    assert len(problems) == 1
    assert problems[0].line == 1
    assert "missing column(s) kind, prompt" in problems[0].message
    assert "unknown column(s) 'question'" in problems[0].message


def test_an_unclosed_quote_is_reported_where_its_row_starts():
    text = 'kind,prompt,answer,explanation\ntrue_false,"It is.,true,Yes.\n'
    _, problems = parse_csv(text)
    assert [p.line for p in problems] == [2]
    assert "not readable as CSV" in problems[0].message
