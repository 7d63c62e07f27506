"""What the typed kinds share: variants that are right or wrong, and how strictly to compare.

Bank fields shared by every typed kind: ``accept`` (more right variants), ``reject``
(variants that must be marked wrong, however close they come) and ``exact: true`` (no
tolerance: no slips, spelling pairs, plurals or acronyms). Grading goes through
:mod:`questions.typed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import html_accepted, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, fold, graded
from ..model import Question
from ..quoting import shown
from ..typed import match_text
from ..validation import Collector, check_string_list, check_text, check_typeable
from .base import AnkiCard, CsvRow, GiftWriter, KindSpec, MoodleXmlWriter

MAX_VARIANTS = 100  # accept and reject each hold at most this many texts


def validate_controls(c: Collector, data: Mapping[str, Any]) -> None:
    """``reject`` a list of texts, ``exact`` true or false (the kinds with one answer)."""
    if "reject" in data:
        variants = check_string_list(c, data["reject"], "reject", what="rejected variant")
        if len(variants) > MAX_VARIANTS:
            c.add("reject", f"reject holds at most {MAX_VARIANTS} variants")
        for variant in variants:
            check_typeable(c, "reject", variant)
    validate_exact(c, data)


def validate_exact(c: Collector, data: Mapping[str, Any]) -> None:
    if "exact" in data and not isinstance(data["exact"], bool):
        c.add("exact", f"exact must be true or false, not {shown(data['exact'])}")


def control_dict(q: Question) -> dict[str, Any]:
    """The ``reject`` and ``exact`` keys of a question, when set."""
    d: dict[str, Any] = {}
    if q.reject:
        d["reject"] = list(q.reject)
    if q.exact:
        d["exact"] = True
    return d


def controls_from_csv(row: CsvRow) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    if row.split("reject"):
        mapping["reject"] = row.split("reject")
    if row.get("exact"):
        value = row.get("exact").casefold()
        if value not in ("true", "false", "yes", "no", "1", "0"):
            row.bad("exact", f"exact must be true or false, not {shown(row.get('exact'))}")
        elif value in ("true", "yes", "1"):
            mapping["exact"] = True
    return mapping


# The typed answer the preview shows as wrong when the question lists none of its own.
SAMPLE_WRONG_TEXT = "something else"


class TypedSpec(KindSpec):
    """``answer`` (the canonical form), ``accept`` and ``reject`` variants, ``exact``."""

    typed = True
    answer_fields = frozenset({"answer", "accept", "reject", "exact"})
    csv_columns = frozenset({"answer", "accept", "reject", "exact"})
    lint_typed = True
    lint_word = True

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {"answer": q.answer}
        if q.accept:
            d["accept"] = list(q.accept)
        d.update(control_dict(q))
        return d

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        if check_text(c, data, "answer", required=True):
            check_typeable(c, "answer", data["answer"])
        if "accept" in data:
            variants = check_string_list(c, data["accept"], "accept", what="accepted variant")
            if len(variants) > MAX_VARIANTS:
                c.add("accept", f"accept holds at most {MAX_VARIANTS} variants")
            for variant in variants:
                check_typeable(c, "accept", variant)
        validate_controls(c, data)

    def grade(self, q: Question, response: Any) -> Grade:
        if not isinstance(response, str):
            raise UnreadableAnswer("type the answer as text")
        result = match_text(
            response, [q.answer, *q.accept], reject=q.reject, exact=q.exact, context=q.prompt
        )
        spelt = [result.spelt] if result.spelt else []
        detail: dict[str, Any] = {"spelt": spelt} if spelt else {}
        if result.rejected:
            detail["rejected"] = True
        return graded(
            1.0 if result.right else 0.0,
            self.expected(q),
            [Mark.RIGHT if result.right else Mark.WRONG],
            **detail,
        )

    def sample_right(self, q: Question) -> Any:
        return self.expected(q)

    def sample_wrong(self, q: Question) -> Any:
        # An answer the instructor listed as wrong, else one that is plainly not the key.
        return q.reject[0] if q.reject else SAMPLE_WRONG_TEXT

    def expected(self, q: Question) -> str:
        return str(q.answer if q.answer is not None else "")

    def expected_lines(self, q: Question) -> list[str]:
        return [self.expected(q)]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        return [str(response)]

    def typed_parts(self, q: Question, response: Any) -> list[tuple[int | None, str]]:
        return [(None, response)] if isinstance(response, str) else []

    def with_variant(self, q: Question, part: int | None, text: str, *, field: str) -> Question:
        return with_listed(q, text, field=field)

    def anki_card(self, q: Question) -> AnkiCard:
        return AnkiCard(html_escape(q.prompt), "", html_escape(q.answer) + html_accepted(q.accept))

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        mapping: dict[str, Any] = {"answer": row.get("answer")}
        if row.split("accept"):
            mapping["accept"] = row.split("accept")
        mapping.update(controls_from_csv(row))
        return mapping

    def _as_short_answer(self, out: GiftWriter | MoodleXmlWriter) -> None:
        if not self.moodle_types:
            out.note(f"Moodle has no {self.noun} type: written as a short answer")

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        self._as_short_answer(out)
        children = [out.element("usecase", "0")]
        children += [out.answer(100, str(text)) for text in [q.answer, *q.accept]]
        return "shortanswer", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        self._as_short_answer(out)
        texts = [str(t) for t in [q.answer, *q.accept]]
        if any("->" in t for t in texts):
            out.note("an answer holds '->', which GIFT would read as a matching pair")
            return None
        return "".join(f"={out.escape(t)} " for t in texts).rstrip()


OPPOSITE = {"accept": "reject", "reject": "accept"}


def with_listed(q: Question, text: str, *, field: str) -> Question:
    """``q`` with ``text`` added to ``accept`` or ``reject`` and taken off the other list."""
    if field not in OPPOSITE:
        raise ValueError(f"no such list: {shown(field)}")
    data = q.to_dict()
    folded = fold(text)
    other = [v for v in data.get(OPPOSITE[field]) or () if fold(v) != folded]
    if other:
        data[OPPOSITE[field]] = other
    else:
        data.pop(OPPOSITE[field], None)
    listed = list(data.get(field) or ())
    if all(fold(v) != folded for v in listed):
        listed.append(text)
    data[field] = listed
    return Question.from_dict(data)
