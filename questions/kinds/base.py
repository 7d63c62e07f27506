"""The one interface every kind implements (:class:`KindSpec`), and what its hooks share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, Protocol

if TYPE_CHECKING:
    from ..grading import Grade
    from ..model import Question
    from ..validation import Collector
    from . import Kind


class CsvRow(Protocol):
    """One CSV row as a kind reads it: cells by column, and a way to report a bad one."""

    def get(self, column: str) -> str:
        """The cell's text, stripped ("" when empty or absent)."""
        ...

    def split(self, column: str) -> list[str]:
        """The cell's ``|``-separated parts."""
        ...

    def ints(self, column: str) -> list[int]:
        """The cell's parts as whole numbers (a bad part is reported)."""
        ...

    def number(self, column: str) -> int | float | None:
        """The cell as a number (a missing or bad one is reported)."""
        ...

    def bad(self, column: str, message: str) -> None:
        """Report a problem in the cell."""
        ...


@dataclass(frozen=True)
class AnkiCard:
    """A question's Anki fields as HTML, escaped: the front/back note, or a cloze note."""

    prompt: str
    options: str = ""
    answer: str = ""
    cloze: bool = False  # a cloze note: ``prompt`` holds the {{c1::...}} text
    accepted: str = ""  # a cloze note's "also accepted" line


@dataclass(frozen=True)
class GiftAnswer:
    """One answer of a GIFT answer block: ``=`` or ``~``, its weight, text and feedback.

    ``weight`` is the percentage written as ``%50%`` (None when there is none); ``text``
    and ``feedback`` are still raw: :meth:`GiftBlock.text` reads them (format marker,
    escapes, markup).
    """

    marker: str
    weight: float | None
    text: str
    feedback: str | None = None

    @property
    def full(self) -> bool:
        """Fully right: ``=`` without a weight, or any weight of 100%."""
        return (self.marker == "=" and self.weight is None) or self.weight == 100


@dataclass(frozen=True)
class GiftBlock:
    """A GIFT answer block as the parser sees it, for the kinds to claim (Moodle's rules).

    ``body`` is the block without its general feedback, with escaped characters already
    set aside (so ``=``, ``~``, ``#`` and ``->`` found in it are GIFT's own). ``answers()``
    splits it into ``=``/``~`` answers with weights and ``#`` feedback as Moodle does for
    choice, short-answer and numeric blocks; ``text`` reads a text part (format marker,
    escapes, HTML or Markdown to plain text, reporting what is dropped); ``plain`` reads
    escapes only; ``note`` adds a warning to the import report (what the bank dropped);
    ``fail`` refuses the question; ``number`` reads a number or fails.
    """

    body: str
    answers: Callable[[str], list[GiftAnswer]]
    text: Callable[[str], str]
    plain: Callable[[str], str]
    note: Callable[[str], None]
    fail: Callable[[str], NoReturn]
    number: Callable[[str], int | float]


@dataclass(frozen=True)
class MoodleAnswer:
    """One ``<answer>`` of a Moodle XML question, its texts already plain text."""

    fraction: float  # in percent: 100 is fully right
    text: str
    feedback: str = ""
    tolerance: float = 0.0  # numerical answers


@dataclass(frozen=True)
class MoodleQuestion:
    """A Moodle XML ``<question>`` as the kinds read it (``questions/formats/moodle_xml``).

    ``type`` is Moodle's (``multichoice``, ``truefalse``...); ``raw_text`` and
    ``text_format`` are the question text as written (a cloze reads its embedded answers
    there); ``get(tag)`` is a child element's text; ``subquestions`` are matching pairs
    (left, right); ``text(raw, fmt)`` turns a part into plain text; ``note`` reports what
    the bank drops; ``fail`` refuses the question.
    """

    type: str
    raw_text: str
    text_format: str
    answers: list[MoodleAnswer]
    subquestions: list[tuple[str, str]]
    get: Callable[[str], str]
    text: Callable[[str, str], str]
    note: Callable[[str], None]
    fail: Callable[[str], NoReturn]


class MoodleXmlWriter(Protocol):
    """What a kind needs to write its part of a Moodle XML ``<question>``."""

    def element(self, tag: str, text: str = "", **attrs: str) -> Any:
        """A child element with plain text (an ``xml.etree`` Element)."""
        ...

    def text(self, tag: str, text: str) -> Any:
        """A child element holding ``<text>`` in plain-text format."""
        ...

    def answer(self, fraction: float, text: str, feedback: str | None = None) -> Any:
        """An ``<answer fraction=...>`` with its text and optional feedback."""
        ...

    def note(self, message: str) -> None:
        """Report something Moodle XML cannot hold of this question."""
        ...


class GiftWriter(Protocol):
    """What a kind needs to write its GIFT answer block: escaping, and a place for notes."""

    def escape(self, text: str) -> str:
        """The text with GIFT's special characters escaped."""
        ...

    def note(self, message: str) -> None:
        """Report something the export could not keep."""
        ...


class KindSpec:
    """Everything the bank knows about one kind of question.

    Subclasses set the class attributes and override the hooks their kind needs;
    ``tests/questions/test_kinds.py`` checks that every registered kind implements each
    abstract hook (those that raise ``NotImplementedError`` here).
    """

    kind: ClassVar[Kind]
    label: ClassVar[str]  # for students: "Choose one"
    noun: ClassVar[str]  # for instructors and authors: "single choice"
    answer_fields: ClassVar[frozenset[str]]  # bank keys beyond the common ones
    csv_columns: ClassVar[frozenset[str]]  # CSV columns beyond the common ones
    # GIFT blocks are offered to kinds in this order (lowest first); None: not from GIFT.
    gift_priority: ClassVar[int | None] = None
    # What the giveaway lint (questions/lint.py) reads: traits, so it names no kind.
    lint_statement: ClassVar[bool] = False  # the prompt is a statement judged true or false
    lint_ordered: ClassVar[bool] = False  # ``items`` are listed in their answer order
    lint_typed: ClassVar[bool] = False  # the key is typed: ``answer`` and ``accept``
    lint_word: ClassVar[bool] = False  # ...as a word or name (initials can cue it)
    lint_gaps: ClassVar[bool] = False  # the keys are deletions in the prompt
    lint_pairs: ClassVar[bool] = False  # ``pairs`` of left and right
    lint_leaks: ClassVar[bool] = True  # its key, met in another item, answers it
    lint_scaled: ClassVar[bool] = False  # a number whose unit may carry its scale
    # The kind a flashcard set's term and definition become (Quizlet imports).
    term_cards: ClassVar[bool] = False
    # A row of the sample CSV file the import page offers, or None for no sample row.
    csv_sample: ClassVar[dict[str, str] | None] = None
    # A student types the answer (graded by questions.typed; reviewed by the instructor).
    typed: ClassVar[bool] = False

    # --- the bank mapping -----------------------------------------------------------------
    def answer_dict(self, q: Question) -> dict[str, Any]:
        """The answer fields of ``q`` as bank keys, in file order."""
        raise NotImplementedError

    def read_accept(self, raw: Any) -> Any:
        """The ``accept`` field from a mapping (a tuple of texts unless the kind says)."""
        return tuple(str(x) for x in (raw or ()))

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        """Report every problem of the answer fields of a raw mapping."""
        raise NotImplementedError

    def prompt_text(self, q: Question) -> str:
        """The prompt as plain text for a reader who is not answering it (lists, feedback)."""
        return q.prompt

    # --- grading ------------------------------------------------------------------------
    def grade(self, q: Question, response: Any) -> Grade:
        """Score a non-empty response; raise ``UnreadableAnswer`` for a wrong shape."""
        raise NotImplementedError

    def expected(self, q: Question) -> Any:
        """The right answer as data (option indices, a number, texts...)."""
        raise NotImplementedError

    def expected_lines(self, q: Question) -> list[str]:
        """The right answer in words, one line per part."""
        raise NotImplementedError

    def expected_text(self, q: Question) -> str:
        """The right answer in words, on one line."""
        return "; ".join(self.expected_lines(q))

    def response_lines(self, q: Question, response: Any) -> list[str]:
        """A stored response in words, one line per part."""
        raise NotImplementedError

    def remark(self, q: Question, grade: Grade) -> str:
        """A sentence on a partly right or wrong grade beyond "your answer / the answer"."""
        return ""

    def sample_right(self, q: Question) -> Any:
        """A fully right response of the kind's own shape (the preview's right answer)."""
        raise NotImplementedError

    def sample_wrong(self, q: Question) -> Any:
        """A wrong response of the kind's own shape, as a student might give it.

        The instructor's preview grades it with :meth:`grade` and shows the feedback a
        student would get; the kind's grader must not mark it right.
        """
        raise NotImplementedError

    # --- typed responses (the instructor's review of what students type) ---------------
    def typed_parts(self, q: Question, response: Any) -> list[tuple[int | None, str]]:
        """The typed texts of a response, each with its gap number (None: the one answer).

        Empty for kinds a student does not type; the typed kinds override it.
        """
        return []

    def with_variant(self, q: Question, part: int | None, text: str, *, field: str) -> Question:
        """``q`` with ``text`` added to its ``accept`` or ``reject`` (of gap ``part``)."""
        raise ValueError(f"a {self.noun} question has no typed answer to {field}")

    # --- storage and display order ------------------------------------------------------
    def response_to_json(self, q: Question, response: Any) -> Any:
        """A response in a form JSON keeps (string keys only)."""
        return response

    def response_from_json(self, q: Question, stored: Any) -> Any:
        """The inverse of :meth:`response_to_json`."""
        return stored

    def presentation(self, q: Question) -> dict[str, list[int]]:
        """Fresh random display orders for one quiz attempt, as canonical indices."""
        return {}

    def option_picks(self, q: Question, response: Any) -> list[int]:
        """The options a response picked (choice kinds), for the option statistics."""
        return []

    # --- exports and imports ------------------------------------------------------------
    def anki_card(self, q: Question) -> AnkiCard:
        """The question's Anki fields."""
        raise NotImplementedError

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        """The answer fields of a CSV row, reporting bad cells on the row."""
        raise NotImplementedError

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        """The answer fields of a GIFT block this kind claims, or None."""
        return None

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        """The question's GIFT answer block (without braces), or None: GIFT cannot hold it."""
        return None

    # Moodle XML question types this kind may read (``from_moodle_xml`` decides).
    moodle_types: ClassVar[tuple[str, ...]] = ()

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        """The answer fields (and a changed ``prompt``) of a Moodle XML question, or None."""
        return None

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        """Moodle's type and the question's answer elements, or None: Moodle XML cannot."""
        return None


HOOKS: tuple[str, ...] = (
    "answer_dict",
    "validate",
    "grade",
    "expected",
    "expected_lines",
    "response_lines",
    "sample_right",
    "sample_wrong",
    "anki_card",
    "from_csv",
)
