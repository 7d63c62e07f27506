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

__all__ = [
    "ARTICLE_TITLE",
    "CHOICE_KINDS",
    "KIND_LABELS",
    "SECTIONS",
    "SECTIONS_BY_SLUG",
    "Kind",
    "Option",
    "Pair",
    "Question",
    "Section",
]
