"""Import and export formats of the bank: bank YAML, CSV, GIFT, Moodle XML and Quizlet.

Every parser has the same shape, ``parse(text, *, filename, defaults, taken_ids) ->
(items, problems)``: the valid questions with the line where each starts, and every
problem with its line. Callers import nothing unless ``problems`` is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Question
from ..validation import Problem, limit_problems
from .bank_yaml import (
    dump_bank,
    dump_question,
    dump_section_file,
    parse_bank_yaml,
    section_filename,
)
from .common import NO_DEFAULTS, ImportDefaults, ParsedItem, UploadError, decode_upload
from .csv import COLUMNS as CSV_COLUMNS
from .csv import SAMPLE_CSV, parse_csv
from .gift import dump_gift, parse_gift
from .moodle_xml import dump_moodle_xml, parse_moodle_xml
from .numbers import DECIMAL_CHOICES
from .quizlet import parse_quizlet

Parser = Callable[..., tuple[list[ParsedItem], list[Problem]]]

# Format key -> (label shown on the import page, parser).
IMPORT_FORMATS: dict[str, tuple[str, Parser]] = {
    "bank": ("Bank YAML (one section file)", parse_bank_yaml),
    "csv": ("CSV or TSV (documented columns; comma, semicolon or tab)", parse_csv),
    "gift": ("Moodle GIFT", parse_gift),
    "moodle_xml": ("Moodle XML", parse_moodle_xml),
    "quizlet": ("Quizlet export (term, tab, definition)", parse_quizlet),
}

Dumper = Callable[[Sequence[Question]], tuple[str, list[str]]]

# Format key -> (label, writer, file name, MIME type): the exports beside bank files. Each
# writer returns the file's text and what the format could not hold, one line a question.
EXPORT_FORMATS: dict[str, tuple[str, Dumper, str, str]] = {
    "gift": ("Moodle GIFT", dump_gift, "questions.gift.txt", "text/plain"),
    "moodle-xml": ("Moodle XML", dump_moodle_xml, "questions.xml", "application/xml"),
}


def parse_upload(
    fmt: str,
    data: bytes,
    *,
    filename: str,
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Decode an uploaded file and read it in format ``fmt``.

    Raises ``UploadError`` for a file that is not UTF-8 text and ``KeyError`` for an
    unknown format key.
    """
    _, parser = IMPORT_FORMATS[fmt]
    text = decode_upload(data)
    if not text.strip():
        raise UploadError("the file is empty")
    items, problems = parser(text, filename=filename, defaults=defaults, taken_ids=taken_ids)
    return items, limit_problems(problems)


__all__ = [
    "CSV_COLUMNS",
    "DECIMAL_CHOICES",
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "SAMPLE_CSV",
    "ImportDefaults",
    "ParsedItem",
    "UploadError",
    "decode_upload",
    "dump_bank",
    "dump_gift",
    "dump_moodle_xml",
    "dump_question",
    "dump_section_file",
    "parse_bank_yaml",
    "parse_csv",
    "parse_gift",
    "parse_moodle_xml",
    "parse_quizlet",
    "parse_upload",
    "section_filename",
]
