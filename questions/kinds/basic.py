"""basic: a flashcard, front and back; typed in a quiz like a short answer.

Bank fields: ``prompt`` (front), ``answer`` (back) and ``accept`` (variants a typed
recall may match).
"""

from __future__ import annotations

from . import Kind
from ._typed import TypedSpec


class Basic(TypedSpec):
    kind = Kind.BASIC
    label = "Recall"  # for students: a flashcard is "basic" only to Anki users
    noun = "basic card"  # for instructors and authors: what the bank calls it
    term_cards = True  # a Quizlet term and definition: front and typed answer


SPEC = Basic()
