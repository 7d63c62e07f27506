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
from ..quoting import shown
from ..validation import Collector, check_string_list, check_text, check_typeable, is_number
from . import Kind
from ._typed import (
    MAX_VARIANTS,
    control_dict,
    controls_from_csv,
    validate_controls,
    with_listed,
)
from .base import AnkiCard, CsvRow, GiftBlock, GiftWriter, KindSpec, MoodleQuestion, MoodleXmlWriter


class Numeric(KindSpec):
    kind = Kind.NUMERIC
    label = "A number"
    noun = "numeric"  # for instructors and authors: what the bank calls it
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
    gift_priority = 10
    lint_typed = True
    lint_scaled = True
    moodle_types = ("numerical",)

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
            c.add("answer", f"answer must be a number, not {shown(value)}")
        if "tolerance" in data:
            tol = data["tolerance"]
            if not is_number(tol) or tol < 0:
                c.add("tolerance", f"tolerance must be a number >= 0, not {shown(tol)}")
        if "unit" in data:
            check_text(c, data, "unit", required=False)
        if "accept" in data:
            variants = check_string_list(c, data["accept"], "accept", what="accepted variant")
            if len(variants) > MAX_VARIANTS:
                c.add("accept", f"accept holds at most {MAX_VARIANTS} variants")
            for variant in variants:
                check_typeable(c, "accept", variant)
        validate_controls(c, data)

    def sample_right(self, q: Question) -> Any:
        return q.answer

    def sample_wrong(self, q: Question) -> Any:
        # Just outside the tolerance: the near miss a student makes (1897 for 1896).
        answer, slack = float(q.answer), float(q.tolerance)
        wrong = answer + slack + 1
        return int(wrong) if wrong.is_integer() else round(wrong, 6)

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
                raise UnreadableAnswer(f"{shown(response[:60])} is not a number: {exc}") from exc
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
        # Moodle: # then answers split at =, each "value:tolerance" or "low..high", with
        # %weights% and #feedback; text after ~ is the feedback for any other answer. The
        # first fully right answer is the key; the bank has no partial credit or feedback.
        if not block.body.startswith("#"):
            return None
        rest, tilde, wrong = block.body[1:].partition("~")
        if tilde and block.text(wrong.partition("#")[2]):
            block.note("the feedback for other answers (~#...) was dropped")
        answers = block.answers(rest)
        if not answers:
            block.fail("no numeric answer after #")
        read = [(a, self._gift_value(block, a.text)) for a in answers]
        full = [(a, value) for a, value in read if a.weight is None or a.weight == 100]
        if not full:
            block.fail("no fully right numeric answer (one without a weight below 100%)")
        for a, _ in read:
            if a is not full[0][0]:
                credit = "full credit" if a.weight is None or a.weight == 100 else f"{a.weight:g}%"
                block.note(
                    f"the answer {block.plain(a.text)} ({credit}) was dropped: "
                    "the bank keeps one right number and its tolerance"
                )
            if a.feedback and block.text(a.feedback):
                block.note("the feedback per answer was dropped (the bank has none)")
        answer, tolerance = full[0][1]
        return {"answer": answer, "tolerance": tolerance}

    def _gift_value(self, block: GiftBlock, raw: str) -> tuple[int | float, int | float]:
        value = block.plain(raw)
        if ".." in value[1:]:
            low, _, high = value.partition("..")
            a, b = block.number(low), block.number(high)
            if b < a:
                block.fail(f"numeric range {shown(value)} runs backwards")
            return _tidy((a + b) / 2), _tidy((b - a) / 2)
        number, colon, tolerance = value.partition(":")
        if colon and not number.strip():
            block.fail(f"{shown(value)} has a tolerance but no number")
        return block.number(number), abs(block.number(tolerance)) if tolerance.strip() else 0

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        read = []
        for a in mq.answers:
            if a.text.strip() == "*":
                if a.feedback:
                    mq.note("the feedback for other answers (*) was dropped")
                continue
            try:
                read.append((a, _tidy(float(a.text))))
            except ValueError:
                mq.fail(f"answer {shown(a.text)} is not a number")
        full = [(a, v) for a, v in read if a.fraction >= 99.99]
        if not full:
            mq.fail("no numeric answer has a fraction of 100")
        key, value = full[0]
        for a, other in read:
            if a is not key:
                mq.note(
                    f"the answer {other} ({a.fraction:g}%) was dropped: "
                    "the bank keeps one right number and its tolerance"
                )
        if any(a.feedback for a, _ in read):
            mq.note("the feedback per answer was dropped (the bank has none)")
        mapping: dict[str, Any] = {"answer": value, "tolerance": _tidy(key.tolerance)}
        unit = mq.get("units/unit/unit_name")
        if unit:
            mapping["unit"] = unit
        return mapping

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        answer = out.answer(100, str(q.answer))
        answer.append(out.element("tolerance", f"{q.tolerance:g}"))
        children = [answer]
        if q.unit:
            units = out.element("units")
            unit = out.element("unit")
            unit.append(out.element("multiplier", "1"))
            unit.append(out.element("unit_name", q.unit))
            units.append(unit)
            children.append(units)
        return "numerical", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        if q.unit:
            out.note(f"GIFT has no unit: {shown(q.unit)} is left out")
        tolerance = f":{_tidy(q.tolerance)}" if q.tolerance else ""
        return f"#{q.answer}{tolerance}"


def _tidy(x: float) -> int | float:
    x = float(f"{x:.12g}")  # (3.141 + 3.142) / 2 is 3.1415, as Moodle shows it
    return int(x) if x.is_integer() else x


SPEC = Numeric()
