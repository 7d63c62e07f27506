"""Refuse passwords that are easy to guess, with a message at the field.

zxcvbn (Dropbox's estimator, MIT) knows the 30,000 most common passwords of leaked lists, plus
English words, names, keyboard walks, sequences, repeats and dates, and rates how many
guesses a password would take. Scores 0 and 1 (under about a million guesses: an online
attack gets there) are refused. It reads at most 72 characters, so a longer password is
judged by its start, which is the only part that could make it weak.
"""

from __future__ import annotations

from typing import Any

from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

MAX_CHECKED = 72  # zxcvbn refuses longer input
MIN_SCORE = 2

COMMON_MESSAGE = (
    "That password is too easy to guess: {why} Choose another, for example a few unrelated words."
)


def weakness(password: str) -> str | None:
    """Why ``password`` is too easy to guess, or None when it is good enough."""
    result = zxcvbn(password[:MAX_CHECKED])
    if result["score"] >= MIN_SCORE:
        return None
    warning = (result.get("feedback") or {}).get("warning") or ""
    return warning or "it would be found in a few guesses."


class NotCommon:
    """WTForms validator: refuse common and guessable passwords (see ``weakness``)."""

    def __call__(self, form: Any, field: Any) -> None:  # noqa: ARG002
        why = weakness(field.data or "")
        if why:
            raise ValidationError(COMMON_MESSAGE.format(why=why.rstrip(".") + "."))
