import pytest

from questions.formats import UploadError, decode_upload, parse_upload


def test_utf8_with_bom_and_windows_line_ends_reads_as_plain_text():
    assert decode_upload("\ufeffa\r\nb\r\n".encode()) == "a\nb\n"


def test_a_binary_file_is_refused_with_a_clear_message():
    with pytest.raises(UploadError, match="binary file"):
        decode_upload(b"PK\x03\x04\x00\x00zipdata")


def test_text_that_is_not_utf8_names_the_line():
    with pytest.raises(UploadError, match="not UTF-8 text .*line 2"):
        decode_upload("kind,prompt\ncafé\n".encode("latin-1"))


def test_an_empty_upload_is_refused():
    with pytest.raises(UploadError, match="empty"):
        parse_upload("csv", b"  \n", filename="x.csv")


def test_a_file_in_another_format_gets_problems_not_a_crash():
    gift = b"Is it? {T ####Yes.}\n"
    items, problems = parse_upload("csv", gift, filename="x.csv")
    assert items == [] and problems[0].line == 1
