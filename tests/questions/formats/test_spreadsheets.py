"""Spreadsheets from any locale and Quizlet sets, made the way each program saves them."""

import pytest

from questions import Kind
from questions.formats import ImportDefaults, UploadError, decode_upload, parse_upload
from questions.formats.numbers import COMMA, POINT, read_number

PAGE = ImportDefaults(section="economy-energy", paragraphs=(2,))
HEADER = ["id", "kind", "prompt", "answer", "tolerance", "explanation"]
ROW = ["economy-pi", "numeric", "Pi to two places?", "3,14", "0,01", "Pi is 3.14."]


def _excel_german() -> bytes:
    """Excel in a German locale, "CSV UTF-8 (Trennzeichen-getrennt)": BOM, ';', CRLF."""
    lines = [";".join(HEADER), ";".join(ROW)]
    return "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n"


def _upload(data: bytes, fmt: str = "csv", **page):
    defaults = ImportDefaults(section="economy-energy", paragraphs=(2,), **page)
    return parse_upload(fmt, data, filename="upload", defaults=defaults)


def test_a_german_excel_file_reads_with_its_semicolons_and_decimal_commas():
    items, problems = _upload(_excel_german(), decimal=COMMA)
    assert problems == []
    q = items[0].question
    assert (q.kind, q.answer, q.tolerance) == (Kind.NUMERIC, 3.14, 0.01)


def test_a_decimal_comma_is_never_read_as_a_thousands_separator():
    # "3,14" can only be a decimal comma: without a choice it still reads 3.14, never 314.
    items, problems = _upload(_excel_german())
    assert problems == []
    assert (items[0].question.answer, items[0].question.tolerance) == (3.14, 0.01)


def test_a_number_that_reads_two_ways_is_an_error_at_its_line_without_a_choice():
    data = _excel_german().replace(b"3,14", b"1,500")
    items, problems = _upload(data)
    assert items == []
    assert [(p.line, p.field) for p in problems] == [(2, "answer")]
    assert "reads two ways" in problems[0].message and "import page" in problems[0].message


@pytest.mark.parametrize(("decimal", "value"), [(COMMA, 1.5), (POINT, 1500)])
def test_the_locale_choice_reads_an_ambiguous_number(decimal, value):
    data = _excel_german().replace(b"3,14", b"1,500").replace(b"0,01", b"0")
    items, problems = _upload(data, decimal=decimal)
    assert problems == [] and items[0].question.answer == value


def test_a_google_sheets_tsv_reads_with_tabs():
    rows = ["\t".join(HEADER), "\t".join(r.replace(",", ".") for r in ROW)]
    items, problems = _upload(("\r\n".join(rows) + "\r\n").encode())
    assert problems == [] and items[0].question.answer == 3.14


def test_excel_unicode_text_reads_as_utf16_with_tabs():
    rows = ["\t".join(HEADER), "\t".join(ROW)]
    data = ("\r\n".join(rows) + "\r\n").encode("utf-16")  # BOM, little-endian, as Excel
    items, problems = _upload(data, decimal=COMMA)
    assert problems == [] and items[0].question.answer == 3.14


def test_utf16_without_its_marker_says_save_as_csv_utf8():
    with pytest.raises(UploadError, match="CSV UTF-8"):
        decode_upload("kind,prompt\n".encode("utf-16-le"))


def test_a_windows_ansi_file_says_save_as_csv_utf8():
    with pytest.raises(UploadError, match="CSV UTF-8"):
        decode_upload("kind;prompt\nsingle;Caf\u00e9\n".encode("cp1252"))


def test_a_header_that_no_separator_explains_names_the_separator():
    items, problems = _upload(b"id|kind|prompt\n1|basic|x\n")
    assert "read with a comma between cells" in problems[0].message


def test_a_quizlet_export_imports_as_typed_cards_with_the_page_choices():
    data = b"Moscow\tcapital of Russia\nBeijing\tcapital of China\n"
    for fmt in ("quizlet", "csv"):
        items, problems = _upload(data, fmt=fmt)
        assert problems == []
        q = items[0].question
        assert (q.kind, q.prompt, q.answer) == (Kind.BASIC, "Moscow", "capital of Russia")
        assert (q.section, q.paragraphs) == ("economy-energy", (2,))
        assert [w.field for w in items[0].warnings] == ["explanation"]


def test_quizlet_comma_and_semicolon_separators():
    items, problems = _upload(b"Moscow,capital of Russia;Beijing,capital of China;", "quizlet")
    assert problems == []
    assert [(i.question.prompt, i.question.answer) for i in items] == [
        ("Moscow", "capital of Russia"),
        ("Beijing", "capital of China"),
    ]


def test_a_quizlet_row_without_a_definition_is_a_problem_at_its_line():
    _, problems = _upload(b"Moscow\tcapital\nBeijing\n", "quizlet")
    assert [p.line for p in problems] == [2]  # so the page imports nothing


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("2.5", "", 2.5),
        ("3,14", "", 3.14),
        ("1,234,567", "", 1234567),
        ("1.234,5", "", 1234.5),
        ("1,234.5", "", 1234.5),
        ("-0,5", "", -0.5),
        ("1.500", COMMA, 1500),
        ("1,5", COMMA, 1.5),
        ("1,500", POINT, 1500),
        ("2010", "", 2010),
    ],
)
def test_read_number(text, decimal, value):
    assert read_number(text, decimal=decimal) == value


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("1,500", ""), ("1.500", ""), ("3,14", POINT), ("2.5", COMMA), ("1,2,3", ""), ("x", "")],
)
def test_read_number_refuses_what_it_would_have_to_guess(text, decimal):
    with pytest.raises(ValueError):
        read_number(text, decimal=decimal)
