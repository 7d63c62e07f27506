"""The interface every kind's presenter implements, and the shapes its hooks share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from questions import Grade, Kind, Mark, Question, spec
from questions.validation import whole_number

# A submitted form: werkzeug's ``MultiDict`` (``get`` and ``getlist``).
FormData = MultiDict[str, str]


@dataclass
class ParseResult:
    """A canonical response for ``questions.grade``, or errors by field name."""

    response: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # what to refill the form with

    @property
    def ok(self) -> bool:
        return not self.errors


def int_or_none(raw: str | None) -> int | None:
    """A whole number from a form value (ASCII digits, at most nine), or None."""
    return whole_number(raw)


def mark_at(grade: Grade | None, index: int) -> str | None:
    """The mark of part ``index`` as a word ("right", "wrong", "missed"), or None."""
    if grade is None or index >= len(grade.marks):
        return None
    found = grade.marks[index]
    return found.value if found else None


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def text_of(form_field: Any) -> str:
    """A form field's text, stripped ("" when empty)."""
    return (form_field.data or "").strip()


class Presenter:
    """How one kind is shown in a quiz, read back from the answer form, and edited.

    Form values name *displayed* positions, never canonical indices, so the page source
    says nothing about which option is the key. ``tests/webapp/test_presenters.py``
    checks every kind has a presenter with each hook and a macro file with each macro.
    """

    kind: ClassVar[Kind]
    # The instructor form's fields that edit this kind's answer (QuestionForm names).
    edit_fields: ClassVar[tuple[str, ...]] = ()
    # A bank field -> the form field that edits it, where the names differ.
    field_of: ClassVar[dict[str, str]] = {}
    # The hint under the "Other accepted answers" box, for kinds that have one.
    accept_hint: ClassVar[str] = ""
    # The hint under the "Answers to mark wrong" box (typed kinds).
    reject_hint: ClassVar[str] = "One per line: wrong however close they come."
    # The hint under the prompt box, where the kind writes its prompt in a special way.
    prompt_hint: ClassVar[str | None] = None

    @property
    def template(self) -> str:
        """The kind's macro file."""
        return f"kinds/{self.kind.value}.html"

    # --- the quiz -----------------------------------------------------------------------
    def view(self, q: Question, presentation: Mapping[str, Any]) -> dict[str, Any]:
        """What the answer form shows: texts in display order, never which one is right."""
        return {}

    def parse(self, q: Question, presentation: Mapping[str, Any], form: FormData) -> ParseResult:
        """Read a submitted answer form into the canonical response of the kind."""
        raise NotImplementedError

    def marked(
        self, q: Question, presentation: Mapping[str, Any], response: Any, grade: Grade | None
    ) -> dict[str, Any]:
        """What the ``marked`` macro shows: the question as asked, each part with its mark.

        ``response`` is canonical (None when unanswered); ``grade`` is None when unanswered.
        This default suits one-part kinds: the answer given and the key, one mark.
        """
        kind = spec(q.kind)
        given = None
        if response is not None:
            try:
                given = "; ".join(kind.response_lines(q, response))
            except (IndexError, KeyError, TypeError, ValueError):
                given = "(unreadable answer)"
        return {
            "given": given,
            "mark": mark_at(grade, 0) or (Mark.MISSED.value if given is None else None),
            "expected": kind.expected_text(q),
        }

    # --- the instructor's form ----------------------------------------------------------
    def to_mapping(self, form: Any) -> dict[str, Any]:
        """The bank's answer fields from the instructor's question form."""
        raise NotImplementedError

    def form_data(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        """Form data that shows a stored question's answer fields."""
        raise NotImplementedError

    def rework_rows(self, form: Any) -> bool:
        """Bring the kind's own rows of the form in line (on every showing and submit).

        True when one of the kind's buttons asked for a row or a fresh look, so the form
        is shown again rather than saved. Most kinds have no rows of their own.
        """
        return False

    def validate_form(self, form: Any) -> dict[str, str]:
        """Shape errors the bank's rules cannot see (form field -> message)."""
        return {}


HOOKS: tuple[str, ...] = ("parse", "to_mapping", "form_data")
MACROS: tuple[str, ...] = ("answer_fields", "marked", "front", "back", "edit_fields")
