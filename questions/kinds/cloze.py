"""cloze: fill the gaps of a text.

Bank fields: ``prompt`` holds the text with Anki's deletions, ``{{c1::answer}}`` or
``{{c1::answer::hint}}``; ``accept`` maps a deletion number to more accepted answers
(``{1: [USA, US]}``); ``reject`` maps a deletion number to variants that are wrong, and
``exact: true`` switches tolerance off. Response: one text per gap, in text order. Score:
the share of gaps filled right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..display import cloze_blanked, cloze_filled, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, fold, graded
from ..model import CLOZE_PATTERN, Question
from ..typed import match_text
from ..validation import Collector, check_string_list, check_typeable, is_int
from . import Kind
from ._typed import OPPOSITE, validate_exact
from .base import AnkiCard, CsvRow, KindSpec


class Cloze(KindSpec):
    kind = Kind.CLOZE
    label = "Cloze"
    typed = True
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-cloze",
        "prompt": "The sample's answer is {{c1::Beijing}}.",
        "accept": "1=Peking",
        "explanation": "Cloze variants name their deletion: 1=variant.",
    }
    answer_fields = frozenset({"accept", "reject", "exact"})
    csv_columns = frozenset({"accept", "reject", "exact"})
    lint_gaps = True

    def answer_dict(self, q: Question) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for field in ("accept", "reject"):
            variants = getattr(q, field)
            if variants:
                d[field] = {int(n): list(v) for n, v in dict(variants).items()}
        if q.exact:
            d["exact"] = True
        return d

    def read_accept(self, raw: Any) -> Any:
        return {int(n): tuple(str(x) for x in v) for n, v in dict(raw or {}).items()}

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        prompt = data.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return  # already reported as a missing prompt
        deletions = [(int(m.group(1)), m.group(2)) for m in CLOZE_PATTERN.finditer(prompt)]
        if not deletions:
            c.add(
                "prompt",
                f"a {self.kind.value} prompt needs at least one deletion like {{{{c1::answer}}}}",
            )
        for number, answer in deletions:
            if not answer.strip():
                c.add("prompt", f"deletion c{number} has an empty answer")
            else:
                check_typeable(c, "prompt", answer)
        if "{{" in CLOZE_PATTERN.sub("", prompt):
            c.add(
                "prompt",
                "a '{{' that is not a deletion: write {{c1::answer}} or {{c1::answer::hint}}",
            )
        validate_exact(c, data)
        for field in ("accept", "reject"):
            if field in data:
                self._validate_variants(c, field, data[field], {n for n, _ in deletions})

    def _validate_variants(self, c: Collector, field: str, given: Any, numbers: set[int]) -> None:
        if not isinstance(given, Mapping):
            c.add(
                field,
                f"a {self.kind.value}'s {field} maps a deletion number to variants, "
                "like {1: [USA, US]}",
            )
            return
        for key, variants in given.items():
            if not is_int(key) or key not in numbers:
                known = ", ".join(str(n) for n in sorted(numbers)) or "none"
                c.add(
                    field,
                    f"{field} names deletion {key!r}, which the prompt does not have "
                    f"(deletions: {known})",
                )
            for variant in check_string_list(c, variants, field, what=f"variant of deletion {key}"):
                check_typeable(c, field, variant)

    def prompt_text(self, q: Question) -> str:
        return cloze_blanked(q.prompt)

    def _answers(self, q: Question, response: Any) -> list[str | None]:
        deletions = q.cloze_deletions
        if isinstance(response, str) and len(deletions) == 1:
            response = [response]
        if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
            raise UnreadableAnswer("fill each gap with text")
        answers = list(response)
        if len(answers) != len(deletions) or not all(
            a is None or isinstance(a, str) for a in answers
        ):
            raise UnreadableAnswer(f"fill each of the {len(deletions)} gap(s) with text")
        return answers

    def grade(self, q: Question, response: Any) -> Grade:
        answers = self._answers(q, response)
        accept = dict(q.accept or {})
        reject = dict(q.reject or {})
        context = cloze_blanked(q.prompt)
        marks = []
        spelt: list[str] = []
        for (number, answer, _), given in zip(q.cloze_deletions, answers, strict=True):
            if given is None or not given.strip():
                marks.append(Mark.MISSED)
                continue
            result = match_text(
                given,
                [answer, *accept.get(number, ())],
                reject=reject.get(number, ()),
                exact=q.exact,
                context=context,
            )
            marks.append(Mark.RIGHT if result.right else Mark.WRONG)
            if result.spelt:
                spelt.append(result.spelt)
        detail: dict[str, Any] = {"spelt": spelt} if spelt else {}
        return graded(marks.count(Mark.RIGHT) / len(marks), self.expected(q), marks, **detail)

    def typed_parts(self, q: Question, response: Any) -> list[tuple[int | None, str]]:
        try:
            answers = self._answers(q, response)
        except UnreadableAnswer:
            return []
        return [
            (number, given)
            for (number, _, _), given in zip(q.cloze_deletions, answers, strict=True)
            if given and given.strip()
        ]

    def with_variant(self, q: Question, part: int | None, text: str, *, field: str) -> Question:
        numbers = {n for n, _, _ in q.cloze_deletions}
        if part is None or part not in numbers or field not in OPPOSITE:
            raise ValueError(f"this cloze has no gap {part}")
        folded = fold(text)
        data = q.to_dict()
        other = {
            int(n): [v for v in vs if fold(v) != folded]
            for n, vs in dict(getattr(q, OPPOSITE[field]) or {}).items()
        }
        other = {n: vs for n, vs in other.items() if vs}
        if other:
            data[OPPOSITE[field]] = other
        else:
            data.pop(OPPOSITE[field], None)
        variants = {int(n): list(v) for n, v in dict(getattr(q, field) or {}).items()}
        if all(fold(v) != folded for v in variants.get(part, [])):
            variants.setdefault(part, []).append(text)
        data[field] = variants
        return Question.from_dict(data)

    def expected(self, q: Question) -> list[str]:
        return [answer for _, answer, _ in q.cloze_deletions]

    def expected_lines(self, q: Question) -> list[str]:
        return [cloze_filled(q.prompt)]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            answers = self._answers(q, response)
        except UnreadableAnswer:
            return ["(unreadable answer)"]
        return [" · ".join(b or "(blank)" for b in answers)]

    def remark(self, q: Question, grade: Grade) -> str:
        return f"{grade.marks.count(Mark.RIGHT)} of {len(grade.marks)} gaps are right."

    def anki_card(self, q: Question) -> AnkiCard:
        # Escaping leaves {{c1::...}} alone (no < > & " ' in the syntax), so the deletions
        # keep working and any markup inside them is inert.
        accept = dict(q.accept or {})
        parts = [
            f"gap {n}: " + ", ".join(html_escape(v) for v in accept[n])
            for n in sorted(accept)
            if accept[n]
        ]
        accepted = ("Also accepted: " + "; ".join(parts)) if parts else ""
        return AnkiCard(html_escape(q.prompt), cloze=True, accepted=accepted)

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        accept: dict[int, list[str]] = {}
        for part in row.split("accept"):
            number, eq, variant = part.partition("=")
            if not eq or not number.strip().isdigit():
                row.bad("accept", f"{self.kind.value} variant {part!r} needs the form N=variant")
                continue
            accept.setdefault(int(number), []).append(variant.strip())
        mapping: dict[str, Any] = {"accept": accept} if accept else {}
        reject: dict[int, list[str]] = {}
        for part in row.split("reject"):
            number, eq, variant = part.partition("=")
            if not eq or not number.strip().isdigit():
                row.bad("reject", f"{self.kind.value} variant {part!r} needs the form N=variant")
                continue
            reject.setdefault(int(number), []).append(variant.strip())
        if reject:
            mapping["reject"] = reject
        if row.get("exact").casefold() in ("true", "yes", "1"):
            mapping["exact"] = True
        return mapping


SPEC = Cloze()
