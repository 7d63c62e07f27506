"""The registry of question kinds: the closed set of names, and one module per kind.

Each kind lives in ``questions/kinds/<value>.py`` and defines ``SPEC``, an instance of
:class:`~questions.kinds.base.KindSpec` that holds everything the bank knows about the
kind: its answer fields and their rules, grading, how its answer reads, its Anki card and
its columns in the import formats. Nothing else in ``questions/`` switches on a kind.

Adding a kind: a member below, a module here with its ``SPEC``, a presenter in
``webapp/quiz/presenters/`` and a macro file in ``templates/kinds/`` (README,
"Architecture"); ``tests/questions/test_kinds.py`` checks every hook is there.
"""

from __future__ import annotations

import enum
import functools
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import KindSpec


class Kind(str, enum.Enum):
    """The closed set of question kinds, with the spelling used in bank files."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_SELECT = "multiple_select"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    MATCHING = "matching"
    CLOZE = "cloze"
    BASIC = "basic"

    @property
    def label(self) -> str:
        """The kind's name for people: "Single choice", "Fill in the gaps"..."""
        return spec(self).label

    @property
    def spec(self) -> KindSpec:
        """Everything the bank knows about this kind."""
        return spec(self)


@functools.cache
def spec(kind: Kind | str) -> KindSpec:
    """The ``KindSpec`` of a kind, from its module (imported on first use).

    Modules are imported lazily, by the kind's value, so ``questions.model`` can import
    ``Kind`` while the kind modules import the model.
    """
    found: KindSpec = per_kind(__name__, kind, "SPEC")
    return found


def per_kind(package: str, kind: Kind | str, name: str) -> Any:
    """``<package>.<kind value>.<name>``: a kind's object in a package of one module per
    kind (the specs here, the presenters of the web app), checked to be for that kind."""
    kind = Kind(kind)
    module = importlib.import_module(f"{package}.{kind.value}")
    found = getattr(module, name)
    if found.kind is not kind:
        raise RuntimeError(f"{module.__name__}.{name} is for {found.kind}, not {kind}")
    return found


def all_specs() -> list[KindSpec]:
    """Every kind's spec, in the order of ``Kind``."""
    return [spec(k) for k in Kind]


__all__ = ["Kind", "all_specs", "per_kind", "spec"]
