"""numeric: type a number; right within the tolerance.

Bank fields: ``answer`` (a number), ``tolerance`` (>= 0) and ``unit`` (optional; "year"
makes the answer a calendar year, shown "2010"). Response: a number, or text the grader
reads as one ("1,000", "$40", "in 2010", "100 km").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..display import format_amount, html_escape
from ..grading import Grade, Mark, graded, read_number
from ..model import Question
from ..validation import Collector, check_text, is_number
from . import Kind
from .base import AnkiCard, CsvRow, GiftBlock, KindSpec


class Numeric(KindSpec):
    kind = Kind.NUMERIC
    label = "A number"
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
    answer_fields = frozenset({"answer", "tolerance", "unit"})
    csv_columns = frozenset({"answer", "tolerance", "unit"})
    gift_priority = 20

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {"answer": q.answer, "tolerance": q.tolerance}
        if q.unit:
            d["unit"] = q.unit
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

    def grade(self, q: Question, response: Any) -> Grade:
        value = read_number(response, unit=q.unit)
        answer = float(q.answer)
        if abs(value - answer) <= float(q.tolerance) + 1e-9 * max(1.0, abs(answer)):
            return graded(1.0, self.expected(q), [Mark.RIGHT])
        side = "high" if value > answer else "low"
        return graded(0.0, self.expected(q), [Mark.WRONG], side=side, given=value)

    def expected(self, q: Question) -> dict[str, Any]:
        return {"value": q.answer, "tolerance": q.tolerance, "unit": q.unit}

    def expected_lines(self, q: Question) -> list[str]:
        return [format_amount(q.answer, unit=q.unit, tolerance=q.tolerance)]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            value: Any = read_number(response, unit=q.unit)
        except ValueError:
            return [str(response)]
        return [format_amount(value, unit=q.unit)]

    def remark(self, q: Question, grade: Grade) -> str:
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
