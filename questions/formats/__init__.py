"""Import and export formats of the bank: bank YAML files, CSV and Moodle GIFT.

Every parser has the same shape, ``parse(text, *, filename, defaults, taken_ids) ->
(items, problems)``: the valid questions with the line where each starts, and every
problem with its line. Callers import nothing unless ``problems`` is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..validation import Problem
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
from .gift import parse_gift
from .numbers import DECIMAL_CHOICES
from .quizlet import parse_quizlet

Parser = Callable[..., tuple[list[ParsedItem], list[Problem]]]

# Format key -> (label shown on the import page, parser).
IMPORT_FORMATS: dict[str, tuple[str, Parser]] = {
    "bank": ("Bank YAML (one section file)", parse_bank_yaml),
    "csv": ("CSV or TSV (documented columns; comma, semicolon or tab)", parse_csv),
    "gift": ("Moodle GIFT", parse_gift),
    "quizlet": ("Quizlet export (term, tab, definition)", parse_quizlet),
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
    return parser(text, filename=filename, defaults=defaults, taken_ids=taken_ids)


__all__ = [
    "CSV_COLUMNS",
    "DECIMAL_CHOICES",
    "IMPORT_FORMATS",
    "SAMPLE_CSV",
    "ImportDefaults",
    "ParsedItem",
    "UploadError",
    "decode_upload",
    "dump_bank",
    "dump_question",
    "dump_section_file",
    "parse_bank_yaml",
    "parse_csv",
    "parse_gift",
    "parse_quizlet",
    "parse_upload",
    "section_filename",
]
