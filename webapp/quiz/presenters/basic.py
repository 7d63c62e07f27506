"""basic: typed recall of the card's back in a quiz; front and back in study."""

from __future__ import annotations

from questions import Kind

from ._typed import TypedPresenter


class BasicPresenter(TypedPresenter):
    kind = Kind.BASIC


PRESENTER = BasicPresenter()
