"""short_answer: one text box."""

from __future__ import annotations

from questions import Kind

from ._typed import TypedPresenter


class ShortAnswerPresenter(TypedPresenter):
    kind = Kind.SHORT_ANSWER


PRESENTER = ShortAnswerPresenter()
