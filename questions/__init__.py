"""The question bank: model, loader, validation, grading and export. No web framework here."""

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
from .loader import BANK_DIR, Bank, BankError, load_bank, load_file, parse_bank_text
from .stats import bank_stats, format_stats
from .validation import Problem, validate_item, validate_question

__all__ = [
    "ARTICLE_TITLE",
    "BANK_DIR",
    "Bank",
    "BankError",
    "CHOICE_KINDS",
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
    "format_stats",
    "load_bank",
    "load_file",
    "parse_bank_text",
    "validate_item",
    "validate_question",
]
