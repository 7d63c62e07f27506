"""cloze: fill the gaps of a text.

Bank fields: ``prompt`` holds the text with Anki's deletions, ``{{c1::answer}}`` or
``{{c1::answer::hint}}``; ``accept`` maps a deletion number to more accepted answers
(``{1: [USA, US]}``); ``reject`` maps a deletion number to variants that are wrong, and
``exact: true`` switches tolerance off. Response: one text per gap, in text order. Score:
the share of gaps filled right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..display import cloze_blanked, cloze_filled, html_escape
from ..grading import Grade, Mark, UnreadableAnswer, fold, graded
from ..model import CLOZE_PATTERN, Question
from ..quoting import shown
from ..typed import match_text
from ..validation import Collector, check_string_list, check_typeable, is_int, whole_number
from . import Kind
from ._typed import OPPOSITE, SAMPLE_WRONG_TEXT, validate_exact
from .base import AnkiCard, CsvRow, KindSpec, MoodleQuestion, MoodleXmlWriter

# Moodle's embedded answers (qtype_multianswer): {N:TYPE:answers}, answers split at ~,
# each =right or %weight%, then #feedback; \} \~ \# escape.
_EMBEDDED = re.compile(r"\{(\d{0,9}):([A-Z_]{1,20}):((?:\\.|[^{}\\])*)\}")  # linear
_SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
_NUMBER = {"NUMERICAL", "NM"}
_CHOICE = {
    "MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH",
    "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS",
}  # fmt: skip
_GAP = "\ue010{}\ue011"


class Cloze(KindSpec):
    kind = Kind.CLOZE
    label = "Fill in the blanks"
    noun = "cloze"  # for instructors and authors: what the bank calls it
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
    moodle_types = ("cloze", "multianswer")

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
                    f"{field} names deletion {shown(key)}, which the prompt does not have "
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

    def sample_right(self, q: Question) -> Any:
        return self.expected(q)

    def sample_wrong(self, q: Question) -> Any:
        # The first gap wrong (a variant marked wrong, if the gap has one), the last of
        # three or more left empty, the others right: every mark shows.
        reject = dict(q.reject or {})
        answers: list[str | None] = [answer for _, answer, _ in q.cloze_deletions]
        if not answers:
            return None
        number = q.cloze_deletions[0][0]
        answers[0] = (reject.get(number) or (SAMPLE_WRONG_TEXT,))[0]
        if len(answers) >= 3:
            answers[-1] = None
        return answers

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
            gap = whole_number(number)
            if not eq or gap is None:
                row.bad(
                    "accept", f"{self.kind.value} variant {shown(part)} needs the form N=variant"
                )
                continue
            accept.setdefault(gap, []).append(variant.strip())
        mapping: dict[str, Any] = {"accept": accept} if accept else {}
        reject: dict[int, list[str]] = {}
        for part in row.split("reject"):
            number, eq, variant = part.partition("=")
            gap = whole_number(number)
            if not eq or gap is None:
                row.bad(
                    "reject", f"{self.kind.value} variant {shown(part)} needs the form N=variant"
                )
                continue
            reject.setdefault(gap, []).append(variant.strip())
        if reject:
            mapping["reject"] = reject
        if row.get("exact").casefold() in ("true", "yes", "1"):
            mapping["exact"] = True
        return mapping

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        # Each gap becomes a deletion: a short answer's right answers, a number, or a
        # choice's right option (typed, with the options as the hint).
        gaps: list[tuple[str, list[str], str | None]] = []

        def mark(found: re.Match[str]) -> str:
            gaps.append(_gap(mq, found.group(2), found.group(3), number=len(gaps) + 1))
            return _GAP.format(len(gaps))

        marked = _EMBEDDED.sub(mark, mq.raw_text)
        if not gaps:
            mq.fail("a cloze question without any {1:SHORTANSWER:...} gap")
        text = mq.text(marked, mq.text_format)
        accept: dict[int, list[str]] = {}
        for n, (answer, variants, hint) in enumerate(gaps, 1):
            deletion = f"{{{{c{n}::{answer}" + (f"::{hint}}}}}" if hint else "}}")
            text = text.replace(_GAP.format(n), deletion)
            if variants:
                accept[n] = variants
        mapping: dict[str, Any] = {"prompt": text}
        if accept:
            mapping["accept"] = accept
        return mapping

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        accept = dict(q.accept or {})

        def gap(found: re.Match[str]) -> str:
            n, answer, hint = int(found.group(1)), found.group(2), found.group(3)
            if hint:
                out.note(f"the hint of gap {n} has no place in Moodle's embedded answers")
            texts = [answer, *accept.get(n, ())]
            return "{1:SHORTANSWER:" + "~".join(f"={_embed_escape(t)}" for t in texts) + "}"

        return "cloze", [out.text("questiontext", CLOZE_PATTERN.sub(gap, q.prompt))]


def _embed_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in "}~#":
        out = out.replace(char, "\\" + char)
    return out


def _embed_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()


def _gap(
    mq: MoodleQuestion, kind: str, body: str, *, number: int
) -> tuple[str, list[str], str | None]:
    """One embedded answer: (the deletion's answer, accepted variants, hint)."""
    answers = []
    for part in re.split(r"(?<!\\)~", body):
        weight = 0.0
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        else:
            found = re.match(r"%(-?\d+(?:\.\d+)?)%", part)
            if found:
                weight, part = float(found.group(1)), part[found.end() :]
        pieces = re.split(r"(?<!\\)#", part, maxsplit=1)
        text, feedback = pieces[0], pieces[1] if len(pieces) > 1 else ""
        answers.append((weight, mq.text(_embed_unescape(text), mq.text_format), feedback))
    right = [t for w, t, _ in answers if w >= 99.99 and t and t != "*"]
    if any(f.strip() for _, _, f in answers):
        mq.note(f"gap {number}: the feedback per answer was dropped (the bank has none)")
    if any(0 < w < 99.99 for w, _, _ in answers):
        mq.note(f"gap {number}: partial credit was dropped")
    if not right:
        mq.fail(f"gap {number} ({kind}) has no answer worth 100%")
    if kind in _SHORT:
        if kind in ("SHORTANSWER_C", "SAC", "MWC"):
            mq.note(f"gap {number}: Moodle matched case; the bank ignores case")
        return right[0], right[1:], None
    if kind in _NUMBER:
        value, _, tolerance = right[0].partition(":")
        try:
            float(value)
            float(tolerance or 0)
        except ValueError:
            mq.fail(f"gap {number} ({kind}): {shown(right[0])} is not a number")
        if float(tolerance or 0):
            mq.note(f"gap {number}: the tolerance ±{tolerance.strip()} was dropped")
        return value.strip(), [], None
    if kind in _CHOICE:
        if len(right) > 1:
            mq.fail(f"gap {number} ({kind}) has {len(right)} right options; a gap has one")
        options = [t for _, t, _ in answers if t]
        if len(options) < 2:
            mq.fail(f"gap {number} ({kind}) has only one choice")
        mq.note(f"gap {number}: its choices became a hint; the student types the answer")
        return right[0], [], " / ".join(options)
    mq.fail(f"gap {number} is a {kind} gap, which the bank's cloze cannot hold")


SPEC = Cloze()
