"""cloze: fill the gaps of a text.

Bank fields: ``prompt`` holds the text with Anki's deletions, ``{{c1::answer}}`` or
``{{c1::answer::hint}}``; ``accept`` maps a deletion number to more accepted answers
(``{1: [USA, US]}``). Response: one text per gap, in text order. Score: the share of gaps
filled right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..display import cloze_blanked, cloze_filled, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, graded, matches
from ..model import CLOZE_PATTERN, Question
from ..validation import Collector, check_string_list, check_typeable, is_int
from . import Kind
from .base import AnkiCard, CsvRow, KindSpec


class Cloze(KindSpec):
    kind = Kind.CLOZE
    label = "Fill in the blanks"
    # A row of the sample CSV file the import page offers (every column of the kind).
    csv_sample = {
        "id": "history-sample-cloze",
        "prompt": "The sample's answer is {{c1::Beijing}}.",
        "accept": "1=Peking",
        "explanation": "Cloze variants name their deletion: 1=variant.",
    }
    answer_fields = frozenset({"accept"})
    csv_columns = frozenset({"accept"})

    def answer_dict(self, q: Question) -> dict[str, Any]:
        if not q.accept:
            return {}
        return {"accept": {int(n): list(v) for n, v in dict(q.accept).items()}}

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
        if "accept" not in data:
            return
        accept = data["accept"]
        if not isinstance(accept, Mapping):
            c.add(
                "accept",
                f"a {self.kind.value}'s accept maps a deletion number to variants, "
                "like {1: [USA, US]}",
            )
            return
        numbers = {n for n, _ in deletions}
        for key, variants in accept.items():
            if not is_int(key) or key not in numbers:
                known = ", ".join(str(n) for n in sorted(numbers)) or "none"
                c.add(
                    "accept",
                    f"accept names deletion {key!r}, which the prompt does not have "
                    f"(deletions: {known})",
                )
            for variant in check_string_list(
                c, variants, "accept", what=f"variant of deletion {key}"
            ):
                check_typeable(c, "accept", variant)

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
        marks = []
        for (number, answer, _), given in zip(q.cloze_deletions, answers, strict=True):
            if given is None or not given.strip():
                marks.append(Mark.MISSED)
            elif matches(given, [answer, *accept.get(number, ())]):
                marks.append(Mark.RIGHT)
            else:
                marks.append(Mark.WRONG)
        return graded(marks.count(Mark.RIGHT) / len(marks), self.expected(q), marks)

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
        return {"accept": accept} if accept else {}


SPEC = Cloze()
