"""What the two choice kinds share: options with keys, picked from a shuffled list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..display import html_escape, html_instruction, html_list, random_order, seeded_shuffle
from ..grading import Grade, Mark, UnreadableAnswer, graded
from ..model import Option, Question
from ..quoting import shown
from ..validation import Collector, check_unique, count_word, is_scalar_text, type_name
from .base import (
    AnkiCard,
    CsvRow,
    GiftBlock,
    GiftWriter,
    KindSpec,
    MoodleQuestion,
    MoodleXmlWriter,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ChoiceSpec(KindSpec):
    """Options with one or more keys; a response names options by canonical index."""

    answer_fields = frozenset({"options"})
    csv_columns = frozenset({"options", "correct"})
    option_count: ClassVar[tuple[int, int]]
    single: ClassVar[bool]  # exactly one key, one pick
    moodle_types = ("multichoice",)

    def answer_dict(self, q: Question) -> dict[str, Any]:
        return {"options": [_option_dict(o) for o in q.options]}

    def validate(self, c: Collector, data: Mapping[str, Any]) -> None:
        low, high = self.option_count
        name = self.kind.value
        options = data.get("options")
        if not isinstance(options, list) or not options:
            c.add(
                "options",
                f"options is required: a list of {low}-{high} mappings "
                "with text (and correct: true on the key)",
            )
            return
        keys = 0
        texts: list[str] = []
        for n, opt in enumerate(options, 1):
            if not isinstance(opt, Mapping):
                c.add(
                    "options",
                    f"option {n} must be a mapping like {{text: ..., correct: true}}, "
                    f"not {type_name(opt)}",
                )
                continue
            for key in opt:
                if key not in ("text", "correct", "feedback"):
                    c.add(
                        "options",
                        f"option {n} has an unknown key {shown(key)} "
                        "(an option has text, correct and feedback)",
                    )
            if "feedback" in opt and not is_scalar_text(opt["feedback"]):
                c.add("options", f"option {n}: feedback must be non-empty text")
            text = opt.get("text")
            if not is_scalar_text(text):
                c.add("options", f"option {n} needs a non-empty text")
            else:
                texts.append(str(text))
            correct = opt.get("correct", False)
            if not isinstance(correct, bool):
                c.add("options", f"option {n}: correct must be true or false, not {shown(correct)}")
            elif correct:
                keys += 1
        if len(options) < 2:
            c.add("options", f"a {name} item needs at least two options, not {len(options)}")
        elif not low <= len(options) <= high:
            c.style("options", f"a {name} item needs {low}-{high} options, not {len(options)}")
        check_unique(c, "options", texts, what="option texts")
        if self.single and keys != 1:
            marked = "no option is" if keys == 0 else f"{count_word(keys)} options are"
            c.add("options", f"{marked} marked correct; a {name} item needs exactly one")
        if not self.single:
            if keys == 0:
                c.add("options", f"no option is marked correct; a {name} item needs at least one")
            elif keys == len(options):
                c.add(
                    "options",
                    f"every option is marked correct; a {name} item needs "
                    "at least one wrong option",
                )

    # --- grading ------------------------------------------------------------------------
    def picks(self, q: Question, response: Any) -> set[int]:
        """The canonical option indices a response picked."""
        raise NotImplementedError

    def grade(self, q: Question, response: Any) -> Grade:
        picks = self.picks(q, response)
        keys = set(q.keys)
        if not keys:
            raise UnreadableAnswer("this question has no key")
        right, wrong = len(picks & keys), len(picks - keys)
        marks = [
            (Mark.RIGHT if i in picks else Mark.MISSED)
            if i in keys
            else (Mark.WRONG if i in picks else None)
            for i in range(len(q.options))
        ]
        return graded(max(0.0, (right - wrong) / len(keys)), self.expected(q), marks)

    def expected(self, q: Question) -> list[int]:
        return list(q.keys)

    def sample_right(self, q: Question) -> Any:
        return q.keys[0] if self.single else sorted(q.keys)

    def sample_wrong(self, q: Question) -> Any:
        # The first distractor; where several are right, it with the first key (a student
        # who found one and guessed another).
        keys = list(q.keys)
        others = [i for i in range(len(q.options)) if i not in keys]
        if self.single:
            return others[0] if others else None
        return sorted(keys[:1] + others[:1]) if others else keys[:1]

    def expected_lines(self, q: Question) -> list[str]:
        return [o.text for o in q.options if o.correct]

    def response_lines(self, q: Question, response: Any) -> list[str]:
        try:
            return [q.options[i].text for i in sorted(self.picks(q, response))]
        except UnreadableAnswer:
            return ["(unreadable answer)"]

    def presentation(self, q: Question) -> dict[str, list[int]]:
        return {"options": random_order(len(q.options))}

    def option_picks(self, q: Question, response: Any) -> list[int]:
        try:
            return sorted(self.picks(q, response))
        except UnreadableAnswer:
            return []

    # --- exports and imports ------------------------------------------------------------
    def anki_card(self, q: Question) -> AnkiCard:
        prompt = html_escape(q.prompt)
        if not self.single and "all that apply" not in q.prompt.lower():
            prompt += html_instruction("Select all that apply.")
        # Shown in an order fixed by the id and the options, so a re-export of an unchanged
        # item is the same, and the key's letter says nothing (in file order it is mostly A).
        seed = "anki/" + q.id + "/" + "\x1f".join(o.text for o in q.options)
        shown = seeded_shuffle(q.options, seed, avoid_identity=False)
        options = html_list((o.text for o in shown), letters=True)
        keys = [f"{LETTERS[i]}. {html_escape(o.text)}" for i, o in enumerate(shown) if o.correct]
        answer = "<br>".join(keys)
        notes = [
            f"<li>{LETTERS[i]}. {html_escape(o.feedback)}</li>"
            for i, o in enumerate(shown)
            if o.feedback
        ]
        if notes:
            answer += f'<ul class="option-feedback">{"".join(notes)}</ul>'
        return AnkiCard(prompt, options, answer)

    def from_csv(self, row: CsvRow) -> dict[str, Any]:
        texts = row.split("options")
        keys = set(row.ints("correct"))
        for k in sorted(keys):
            if not 1 <= k <= len(texts):
                row.bad("correct", f"correct names option {k}, but there are {len(texts)} options")
        return {
            "options": [
                {"text": t, "correct": True} if i in keys else {"text": t}
                for i, t in enumerate(texts, start=1)
            ]
        }

    def from_gift(self, block: GiftBlock) -> dict[str, Any] | None:
        # Moodle: a block with ~ is multiple choice; any = makes it single-answer, and
        # without one, every positive weight marks a right answer.
        if "~" not in block.body or self.single != ("=" in block.body):
            return None
        options = []
        for a in block.answers(block.body):
            text = block.text(a.text)
            right = a.full if self.single else (a.weight or 0) > 0
            if self.single and not right and a.weight:
                block.note(
                    f"{shown(text)} gave {_percent(a.weight)} in Moodle; the bank's single choice "
                    "has one key, so it now scores 0 (partial credit dropped)"
                )
            option: dict[str, Any] = {"text": text}
            if right:
                option["correct"] = True
            feedback = block.text(a.feedback) if a.feedback else ""
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        keys = sum(1 for o in options if o.get("correct"))
        if keys == 0:
            block.fail("no right answer: mark one with = (or give ~%50%-style weights)")
        if self.single and keys > 1:
            block.fail(
                f"{count_word(keys)} answers are fully right (=) in a single-answer question; "
                "the bank's single choice has one key: keep one =, or give every right "
                "answer a ~%N% weight and no = to make it a multiple select"
            )
        return {"options": options}

    def from_moodle_xml(self, mq: MoodleQuestion) -> dict[str, Any] | None:
        # Moodle: <single>true</single> (the default) is one answer; fraction 100 is the
        # key, any other positive fraction partial credit; multiple answers: fraction > 0.
        single = mq.get("single").lower() not in ("false", "0")
        if single != self.single:
            return None
        options = []
        for a in mq.answers:
            if not a.text:
                continue
            right = a.fraction >= 99.99 if self.single else a.fraction > 0
            if self.single and not right and a.fraction:
                mq.note(
                    f"{shown(a.text)} gave {_percent(a.fraction)} in Moodle; the bank's single "
                    "choice has one key, so it now scores 0 (partial credit dropped)"
                )
            option: dict[str, Any] = {"text": a.text}
            if right:
                option["correct"] = True
            if a.feedback:
                option["feedback"] = a.feedback
            options.append(option)
        keys = sum(1 for o in options if o.get("correct"))
        if keys == 0:
            mq.fail("no answer has a fraction of 100 (no key)")
        if self.single and keys > 1:
            mq.fail(f"{count_word(keys)} answers are fully right in a single-answer question")
        return {"options": options}

    def _fractions(self, q: Question) -> list[float]:
        # Multiple answers: each key 1/k, each wrong -1/k, as the bank scores (right -
        # wrong) / keys; one answer: the key 100, the rest 0.
        if self.single:
            return [100.0 if o.correct else 0.0 for o in q.options]
        share = 100 / max(1, len(q.keys))
        return [share if o.correct else -share for o in q.options]

    def to_moodle_xml(self, q: Question, out: MoodleXmlWriter) -> tuple[str, list[Any]] | None:
        children = [
            out.element("single", "true" if self.single else "false"),
            out.element("shuffleanswers", "1"),
            out.element("answernumbering", "abc"),
        ]
        for o, fraction in zip(q.options, self._fractions(q), strict=True):
            children.append(out.answer(float(f"{fraction:.7f}"), o.text, o.feedback))
        return "multichoice", children

    def to_gift(self, q: Question, out: GiftWriter) -> str | None:
        parts = []
        for o, fraction in zip(q.options, self._fractions(q), strict=True):
            if self.single:
                mark = "=" if o.correct else "~"
            else:
                mark = f"~%{fraction:.5f}".rstrip("0").rstrip(".") + "%"
            feedback = f"#{out.escape(o.feedback)}" if o.feedback else ""
            parts.append(f"\t{mark}{out.escape(o.text)}{feedback}\n")
        return "\n" + "".join(parts)


def _option_dict(o: Option) -> dict[str, Any]:
    d: dict[str, Any] = {"text": o.text}
    if o.correct:
        d["correct"] = True
    if o.feedback:
        d["feedback"] = o.feedback
    return d


def _percent(weight: float) -> str:
    return f"{weight:g}%"
