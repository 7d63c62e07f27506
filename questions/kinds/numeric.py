"""numeric: type a number; right within the tolerance.

Bank fields: ``answer`` (a number), ``tolerance`` (>= 0) and ``unit`` (optional; "year"
makes the answer a calendar year, shown "2010"); ``accept`` and ``reject`` (texts right or
wrong whatever number they read as) and ``exact: true`` (digits only). Response: a number,
or text the grader reads as one (:mod:`questions.numbers`: "1,000", "$2 billion", "2bn",
"the year 2010", "seventeenth century", "50 percent", "two").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import numbers
from ..display import format_amount, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, fold, graded, read_number
from ..model import Question
from ..validation import Collector, check_string_list, check_text, check_typeable, is_number
from . import Kind
from ._typed import (
    MAX_VARIANTS,
    control_dict,
    controls_from_csv,
    validate_controls,
    with_listed,
)
from .base import AnkiCard, CsvRow, GiftBlock, KindSpec


class Numeric(KindSpec):
    kind = Kind.NUMERIC
    label = "Numeric"
    typed = True
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-numeric",
        "difficulty": "2",
        "prompt": "How many units does this sample expect?",
        "answer": "100",
        "tolerance": "5",
        "unit": "billion USD",
        "explanation": "Answers within the tolerance score full marks.",
    }
    answer_fields = frozenset({"answer", "tolerance", "unit", "accept", "reject", "exact"})
    csv_columns = frozenset({"answer", "tolerance", "unit", "accept", "reject", "exact"})
    gift_priority = 20
    lint_typed = True
    lint_scaled = True

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {"answer": q.answer, "tolerance": q.tolerance}
        if q.unit:
            d["unit"] = q.unit
        if q.accept:
            d["accept"] = list(q.accept)
        d.update(control_dict(q))
        return d

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        value = data.get("answer")
        if value is None:
            c.add("answer", f"a {self.kind.value} item needs answer: a number")
        elif not is_number(value):
            c.add("answer", f"answer must be a number, not {value!r}")
        if "tolerance" in data:
            tol = data["tolerance"]
            if not is_number(tol) or tol < 0:
                c.add("tolerance", f"tolerance must be a number >= 0, not {tol!r}")
        if "unit" in data:
            check_text(c, data, "unit", required=False)
        if "accept" in data:
            variants = check_string_list(c, data["accept"], "accept", what="accepted variant")
            if len(variants) > MAX_VARIANTS:
                c.add("accept", f"accept holds at most {MAX_VARIANTS} variants")
            for variant in variants:
                check_typeable(c, "accept", variant)
        validate_controls(c, data)

    def grade(self, q: Question, response: Any) -> Grade:
        if isinstance(response, str):
            # The instructor's lists come first: a text accepted or rejected in the review.
            given = fold(response)
            if any(given == fold(r) for r in q.reject):
                return graded(0.0, self.expected(q), [Mark.WRONG], rejected=True)
            if any(given == fold(a) for a in q.accept):
                return graded(1.0, self.expected(q), [Mark.RIGHT])
        if q.exact or not isinstance(response, str):
            values = [read_number(response, unit=q.unit)]
        else:
            try:
                reading = numbers.read(response, unit=q.unit, context=q.prompt)
            except numbers.NotANumber as exc:
                raise UnreadableAnswer(f"'{response[:60]}' is not a number: {exc}") from exc
            wanted = numbers.unit_currency(q.unit)
            if reading.currency and wanted and reading.currency != wanted:
                return graded(0.0, self.expected(q), [Mark.WRONG], currency=True)
            values = numbers.candidates(reading, unit=q.unit)
        answer = float(q.answer)
        slack = float(q.tolerance) + 1e-9 * max(1.0, abs(answer))
        if any(abs(v - answer) <= slack for v in values):
            return graded(1.0, self.expected(q), [Mark.RIGHT])
        if not values:
            return graded(0.0, self.expected(q), [Mark.WRONG])
        value = values[0]
        side = "high" if value > answer else "low"
        return graded(0.0, self.expected(q), [Mark.WRONG], side=side, given=value)

    def typed_parts(self, q: Question, response: Any) -> list[tuple[int | None, str]]:
        if isinstance(response, bool) or not isinstance(response, (str, int, float)):
            return []
        return [(None, str(response))]

    def with_variant(self, q: Question, part: int | None, text: str, *, field: str) -> Question:
        return with_listed(q, text, field=field)

    def expected(self, q: Question) -> dict[str, Any]:
        return {"value": q.answer, "tolerance": q.tolerance, "unit": q.unit}

    def expected_lines(self, q: Question) -> list[str]:
        return [format_amount(q.answer, unit=q.unit, tolerance=q.tolerance)]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        if isinstance(response, str):
            try:
                values = numbers.candidates(numbers.read(response, unit=q.unit), unit=q.unit)
            except numbers.NotANumber:
                return [response]  # an accepted or rejected text, shown as typed
            return [format_amount(values[0], unit=q.unit)] if values else [response]
        try:
            value: Any = read_number(response, unit=q.unit)
        except ValueError:
            return [str(response)]
        return [format_amount(value, unit=q.unit)]

    def remark(self, q: Question, grade: Grade) -> str:
        if grade.detail.get("currency"):
            return "That is another currency."
        side = grade.detail.get("side")
        return f"Too {side}." if side in ("high", "low") else ""

    def anki_card(self, q: Question) -> AnkiCard:
        answer = html_escape(format_amount(q.answer, unit=q.unit))
        if q.tolerance:
            tolerance = html_escape(format_amount(q.tolerance))
            answer += f'<div class="accepted">Accepted within &plusmn; {tolerance}</div>'
        return AnkiCard(html_escape(q.prompt), "", answer)

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        mapping: dict[str, Any] = {
            "answer": row.number("answer"),
            "tolerance": row.number("tolerance") if row.get("tolerance") else 0,
        }
        if row.get("unit"):
            mapping["unit"] = row.get("unit")
        if row.split("accept"):
            mapping["accept"] = row.split("accept")
        mapping.update(controls_from_csv(row))
        return mapping

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        stripped = block.body.strip()
        if not stripped.startswith("#"):
            return None
        rest = stripped[1:].strip()
        if rest.startswith("="):
            full = [a.text for a in block.answers(rest) if a.weight is None or a.weight >= 100]
            if not full:
                block.fail("no fully right numeric answer (= without a weight below 100%)")
            rest = full[0]
        else:
            feedback = block.find(rest, "#")
            if feedback >= 0:
                rest = rest[:feedback]
        value = block.unescape(rest)
        if ".." in value:
            low, _, high = value.partition("..")
            a, b = block.number(low), block.number(high)
            if b < a:
                block.fail(f"numeric range {value!r} runs backwards")
            return {"answer": _tidy((a + b) / 2), "tolerance": _tidy((b - a) / 2)}
        number, _, tolerance = value.partition(":")
        return {
            "answer": block.number(number),
            "tolerance": block.number(tolerance) if tolerance.strip() else 0,
        }


def _tidy(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


SPEC = Numeric()
