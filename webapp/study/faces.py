"""Card faces: what the front of a flashcard shows for each kind of question.

The back shows the bank's own wording of the answer (``questions.grading.expected_answer``),
the explanation and the source; only the presentation choices of the front live here.
Text is escaped before any markup is added: question text is user input.
"""

from __future__ import annotations

import random

from markupsafe import Markup, escape

from questions import Question
from questions.model import CLOZE_PATTERN


def cloze_front(prompt: str) -> Markup:
    """The cloze text with each deletion blanked: "[…]", or "[hint]" when it has one."""
    out: list[Markup] = []
    pos = 0
    for m in CLOZE_PATTERN.finditer(prompt):
        out.append(escape(prompt[pos : m.start()]))
        out.append(Markup('<span class="cloze-gap">[{}]</span>').format(m.group(3) or "…"))
        pos = m.end()
    out.append(escape(prompt[pos:]))
    return Markup("").join(out)


def scrambled_items(question: Question) -> list[str]:
    """An ordering question's items in a fixed order that is not the answer."""
    items = list(question.items)
    scrambled = items[:]
    random.Random(question.id).shuffle(scrambled)
    if scrambled == items and len(items) > 1:
        scrambled = scrambled[1:] + scrambled[:1]
    return scrambled


def sorted_rights(question: Question) -> list[str]:
    """A matching question's right-hand texts, distractors included, alphabetically."""
    return sorted(question.right_texts, key=str.casefold)
