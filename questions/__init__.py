"""The question bank: model, loader, validation, grading and export. No web framework here."""

from .digests import DIGESTS_FILE, load_digests, read_digests
from .grading import Grade, expected_answer, fold, grade
from .loader import BANK_DIR, Bank, BankError, load_bank, load_file, parse_bank_text
from .model import (
    ARTICLE_TITLE,
    CHOICE_KINDS,
    KIND_LABELS,
    SECTIONS,
    SECTIONS_BY_SLUG,
    Kind,
    Option,
    Pair,
    Question,
    Section,
)
from .stats import bank_stats, format_stats
from .validation import Problem, validate_item, validate_question

__all__ = [
    "ARTICLE_TITLE",
    "BANK_DIR",
    "Bank",
    "BankError",
    "Grade",
    "CHOICE_KINDS",
    "DIGESTS_FILE",
    "KIND_LABELS",
    "SECTIONS",
    "SECTIONS_BY_SLUG",
    "Kind",
    "Option",
    "Pair",
    "Problem",
    "Question",
    "Section",
    "bank_stats",
    "expected_answer",
    "fold",
    "format_stats",
    "grade",
    "load_bank",
    "load_digests",
    "load_file",
    "parse_bank_text",
    "read_digests",
    "validate_item",
    "validate_question",
]
