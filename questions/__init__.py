"""The question bank: model, loader, validation, grading and export. No web framework here."""

from .digests import DIGESTS_FILE, load_digests, read_digests
from .grading import (
    Grade,
    Mark,
    Status,
    UnreadableAnswer,
    expected_answer,
    feedback_text,
    fold,
    grade,
)
from .kinds import Kind, spec
from .loader import BANK_DIR, Bank, BankError, load_bank, load_file, parse_bank_text
from .model import (
    ARTICLE_TITLE,
    SECTIONS,
    SECTIONS_BY_SLUG,
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
    "DIGESTS_FILE",
    "SECTIONS",
    "SECTIONS_BY_SLUG",
    "Kind",
    "Mark",
    "Status",
    "UnreadableAnswer",
    "Option",
    "Pair",
    "Problem",
    "Question",
    "Section",
    "bank_stats",
    "expected_answer",
    "feedback_text",
    "fold",
    "format_stats",
    "grade",
    "load_bank",
    "load_digests",
    "load_file",
    "parse_bank_text",
    "read_digests",
    "spec",
    "validate_item",
    "validate_question",
]
