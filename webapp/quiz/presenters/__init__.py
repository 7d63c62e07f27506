"""Per-kind presenters: how a kind's question is shown, read back from a form and edited.

One module per kind, ``webapp/quiz/presenters/<kind>.py``, defines ``PRESENTER``; its
macros live in ``templates/kinds/<kind>.html``. The registry is keyed by ``Kind`` and
loads each module by the kind's value, so no list of kinds is kept here.
"""

from __future__ import annotations

import functools

from questions import Kind
from questions.kinds import per_kind

from .base import ParseResult, Presenter

__all__ = ["ParseResult", "Presenter", "presenter"]


@functools.cache
def presenter(kind: Kind | str) -> Presenter:
    """The presenter of a kind."""
    found: Presenter = per_kind(__name__, kind, "PRESENTER")
    return found
