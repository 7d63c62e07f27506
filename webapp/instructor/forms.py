"""Instructor forms: one question form for every kind, import, life cycle buttons.

A question form checks its field shapes with WTForms, then hands the bank mapping it
builds to ``questions.validate_item`` and shows each problem at the field it names, so a
form and ``python -m questions validate`` can never disagree.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from flask_wtf.form import _Auto
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs: 3.2
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, ValidationError

from questions import SECTIONS, Kind, validate_item
from questions.formats import DECIMAL_CHOICES, IMPORT_FORMATS
from questions.validation import LIST_LIMITS, MAX_PARTS, TEXT_LIMITS, whole_number

from ..extensions import db
from ..models import Question, Status
from ..quiz.presenters import Presenter, presenter

DIFFICULTY_LABELS = {1: "1 · recall", 2: "2 · connect two facts", 3: "3 · argument or judgement"}


def _choices(pairs: Any) -> list[SelectChoice]:
    """WTForms 3.3 wants ``SelectChoice`` objects rather than tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


SECTION_PAIRS = [(s.slug, f"{s.number}. {s.title}") for s in SECTIONS]
# Rows a new question starts with; "add another" buttons (and the script) add more.
START_ROWS = {"options": 4, "items": 4, "pairs": 3}
# The tags field: room for a few dozen tags of the bank's longest length.
_TAGS_FIELD = 1000
# The row lists: more than MAX_PARTS rows is refused (FieldList would drop the rest
# silently); a form that sent 60,000 option rows once took a worker for seconds.
_ROW_LISTS = ("options", "items", "pairs")
_SPLIT_LIST = re.compile(r"[,\s]+")
MAX_PARAGRAPHS = 50  # ticked boxes read (a section has a handful)


class OptionForm(Form):
    """One option row (no CSRF of its own: it lives inside the question form)."""

    text = StringField("Option text", validators=[Length(max=TEXT_LIMITS["options"])])
    correct = BooleanField("Correct")
    feedback = StringField("Feedback when picked", validators=[Length(max=TEXT_LIMITS["options"])])


# A typed answer in a row of its own: the CSV import's mini-syntax (``2=US|2=USA``) has
# no meaning in a row, and saved as typed it would be one odd variant nobody types.
_ROW_NUMBER = re.compile(r"^\s*\d+\s*=")
MAX_ROW = 200


def one_answer_a_row(form: Form, field: StringField) -> None:
    """Refuse a ``|`` or a leading ``N=`` in a row that holds one typed answer."""
    text = (field.data or "").strip()
    if "|" in text:
        parts = [_ROW_NUMBER.sub("", p).strip() for p in text.split("|") if p.strip()]
        shown = " and ".join(f"“{p}”" for p in parts[:3])
        raise ValidationError(
            f"One answer a row: this row holds {len(parts)} ({shown}). "
            "Put each in a row of its own; a | does not separate answers here."
        )
    found = _ROW_NUMBER.match(text)
    if found:
        number = getattr(getattr(form, "number", None), "data", None) or found.group(0)
        raise ValidationError(
            f"Leave out “{found.group(0).strip()}”: this row already belongs to blank {number}."
        )


class BlankForm(Form):
    """One blank of a gap text: its number, rows of answers also right, rows marked wrong.

    The blank's own answer is in the prompt; the presenter of the kind lines the blanks up
    with the prompt's deletions on every submit.
    """

    number = HiddenField()
    accept = FieldList(
        StringField("Also right", validators=[Length(max=MAX_ROW), one_answer_a_row]),
        max_entries=50,
    )
    reject = FieldList(
        StringField("Marked wrong", validators=[Length(max=MAX_ROW), one_answer_a_row]),
        max_entries=50,
    )
    add_accept = SubmitField("Add a row")
    add_reject = SubmitField("Add a row")


class PairForm(Form):
    """One matching pair row."""

    left = StringField("Left", validators=[Length(max=TEXT_LIMITS["pairs"])])
    right = StringField("Right", validators=[Length(max=TEXT_LIMITS["pairs"])])


class QuestionForm(FlaskForm):
    """Create or edit a question of one kind (the kind is fixed when the form is built)."""

    uid = StringField(
        "Id",
        validators=[Length(max=TEXT_LIMITS["id"])],
        description="Lowercase words joined by hyphens, e.g. history-1896-railway. Leave it "
        "empty to have it made from the prompt; it never changes once saved.",
    )
    section = SelectField("Section", choices=_choices(SECTION_PAIRS))
    # The picker's ticked paragraph numbers (checkboxes named "paragraphs"), and the
    # section whose paragraphs the picker showed: without JavaScript a section changed
    # in the form still shows the old one's paragraphs until the form is shown again.
    paragraphs = SelectMultipleField(
        "Paragraphs",
        validate_choice=False,
        description="Tick the paragraphs of the section the question comes from.",
    )
    paragraphs_section = HiddenField(validators=[Optional(), Length(max=60)])
    show_paragraphs = SubmitField("Show this section's paragraphs")
    difficulty = SelectField("Difficulty", coerce=int, choices=_choices(DIFFICULTY_LABELS.items()))
    tags = StringField(
        "Tags",
        validators=[Length(max=_TAGS_FIELD)],
        description="Words separated by commas (may be empty).",
    )
    prompt = TextAreaField("Prompt", validators=[Length(max=TEXT_LIMITS["prompt"])])
    options = FieldList(FormField(OptionForm), label="Options", max_entries=MAX_PARTS)
    # the row number of the one right option, where a kind keys by radio button
    key = StringField("Right option", validators=[Optional(), Length(max=4)])
    answer_bool = RadioField(
        "The statement is",
        choices=_choices([("true", "True"), ("false", "False")]),
        validators=[Optional()],
    )
    answer_text = StringField("Answer", validators=[Length(max=TEXT_LIMITS["answer"])])
    answer_number = StringField("Answer (a number)", validators=[Length(max=50)])
    tolerance = StringField(
        "Tolerance",
        validators=[Length(max=50)],
        description="How far from the answer still counts as right (0 for exact).",
    )
    unit = StringField("Unit", validators=[Length(max=TEXT_LIMITS["unit"])])
    accept = TextAreaField("Other accepted answers", validators=[Length(max=LIST_LIMITS["accept"])])
    reject = TextAreaField(
        "Answers to mark wrong",
        validators=[Length(max=LIST_LIMITS["reject"])],
        description="One per line: wrong however close they come to a right answer.",
    )
    exact = BooleanField(
        "Exact: no tolerance",
        description="Only case, accents, punctuation and spaces are forgiven (no slips, "
        "spelling pairs or plurals).",
    )
    items = FieldList(
        StringField("Item", validators=[Length(max=TEXT_LIMITS["items"])]),
        label="Items, in the correct order",
        max_entries=MAX_PARTS,
    )
    pairs = FieldList(FormField(PairForm), label="Pairs", max_entries=MAX_PARTS)
    gaps = FieldList(FormField(BlankForm), label="Blanks", max_entries=MAX_PARTS)
    update_gaps = SubmitField("Update the blanks from the prompt")
    distractors = TextAreaField(
        "Extra right-hand choices",
        validators=[Length(max=LIST_LIMITS["distractors"])],
        description="One per line: choices that match no left.",
    )
    explanation = TextAreaField(
        "Explanation",
        validators=[Length(max=TEXT_LIMITS["explanation"])],
        description="One to three sentences that teach why the key is right.",
    )
    note = TextAreaField("Note (optional)", validators=[Length(max=TEXT_LIMITS["note"])])
    save = SubmitField("Save")
    preview = SubmitField("Preview")
    add_option = SubmitField("Add another option")
    add_item = SubmitField("Add another item")
    add_pair = SubmitField("Add another pair")

    def __init__(self, *args: Any, kind: Kind, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.new = new
        self.presenter = presenter(kind)
        self.accept.description = self.presenter.accept_hint
        self.reject.description = self.presenter.reject_hint
        self.too_many_rows = _rows_sent(self.meta.wrap_formdata(self, _Auto))

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' rules, and no more than ``MAX_PARTS`` rows of any list."""
        fine = super().validate(extra_validators)
        for name, sent in self.too_many_rows.items():
            self.form_errors.append(
                f"The form sent {sent:,} {name} rows; a question has at most {MAX_PARTS}. "
                "Nothing was saved."
            )
        return fine and not self.too_many_rows

    # --- which rows the "add another" buttons asked for ---------------------------------
    def added_row(self) -> bool:
        """Append an empty row if an "add another" button was pressed; True if so.

        True also when the form must be shown again rather than saved: the kind's
        presenter brought its own rows in line (a gap text's blanks with its prompt) at
        the press of one of its buttons, or the paragraph picker must show another
        section's paragraphs.
        """
        moved = self.picked_elsewhere()
        if self.presenter.rework_rows(self) or moved or self.show_paragraphs.data:
            return True
        for button, rows in (
            (self.add_option, self.options),
            (self.add_item, self.items),
            (self.add_pair, self.pairs),
        ):
            if button.data:
                if len(rows.entries) >= MAX_PARTS:  # FieldList would raise past max_entries
                    self.form_errors.append(f"A question has at most {MAX_PARTS} rows here.")
                else:
                    rows.append_entry()
                return True
        return False

    def picked_elsewhere(self) -> bool:
        """Whether the paragraphs were ticked in another section's list than the one chosen.

        Without JavaScript the picker still shows the section the page was drawn with; its
        ticks mean nothing for the new section, so they are cleared and the form is shown
        again (not saved) with the chosen section's paragraphs; unless the instructor asked
        for just that, the field says why.
        """
        shown = (self.paragraphs_section.data or "").strip()
        chosen = self.section.data or ""
        self.paragraphs_section.data = chosen
        if not shown or shown == chosen:
            return False
        self.paragraphs.data = []
        if not self.show_paragraphs.data:
            self.paragraphs.errors = [
                f"The paragraphs shown were those of {_section_name(shown)}: tick those of "
                f"{_section_name(chosen)}, shown now."
            ]
        return True

    # --- the bank mapping ---------------------------------------------------------------
    def to_mapping(self, *, uid: str) -> dict[str, Any]:
        """The bank item the form describes, for ``validate_item`` and saving."""
        data: dict[str, Any] = {
            "id": uid,
            "kind": self.kind.value,
            "section": self.section.data,
            "paragraphs": [
                _maybe_int(p)
                for ticked in (self.paragraphs.data or [])[:MAX_PARAGRAPHS]
                for p in _SPLIT_LIST.split(ticked)
                if p
            ],
            "difficulty": self.difficulty.data,
            "tags": [t.strip() for t in (self.tags.data or "").split(",") if t.strip()],
            "prompt": (self.prompt.data or "").strip(),
        }
        data.update(self.presenter.to_mapping(self))
        data["explanation"] = (self.explanation.data or "").strip()
        note = (self.note.data or "").strip()
        if note:
            data["note"] = note
        return data

    def validate_uid(self, field: StringField) -> None:
        uid = (field.data or "").strip()
        if not self.new or not uid:
            return  # an empty id is the bank's rule to report ("id is required")
        taken = db.session.scalar(db.select(Question.id).where(Question.uid == uid))
        if taken is not None:
            raise ValidationError("A question with this id exists already; choose another.")

    def validate_accept(self, field: TextAreaField) -> None:
        message = self.presenter.validate_form(self).get("accept")
        if message:
            raise ValidationError(message)

    def validate_reject(self, field: TextAreaField) -> None:
        message = self.presenter.validate_form(self).get("reject")
        if message:
            raise ValidationError(message)

    def check_with_bank_rules(self, *, uid: str) -> dict[str, Any] | None:
        """Run the bank's rules on the mapping; put each problem at its field.

        Returns the mapping when it passes, else None (the errors are on the form).
        """
        mapping = self.to_mapping(uid=uid)
        problems = [
            dataclasses.replace(p, message=plain_message(p.message, kind=self.kind))
            for p in validate_item(mapping)
        ]
        for p in problems:
            name = _form_field(self.presenter, p.field)
            field = getattr(self, name, None) if name else None
            if field is None:
                self.form_errors.append(p.message)
                continue
            field.errors = [*field.errors, p.message]
        return None if problems else mapping

    @staticmethod
    def data_for(q: dict[str, Any]) -> dict[str, Any]:
        """Form data that shows a stored question (its bank mapping)."""
        return {
            "uid": q["id"],
            "section": q["section"],
            "paragraphs": [str(p) for p in q.get("paragraphs", [])],
            "paragraphs_section": q["section"],
            "difficulty": q.get("difficulty", 1),
            "tags": ", ".join(q.get("tags", [])),
            "prompt": q.get("prompt", ""),
            **presenter(q["kind"]).form_data(q),
            "explanation": q.get("explanation", ""),
            "note": q.get("note") or "",
        }


# "<field> is required" from the bank's rules, as the form says it.
_REQUIRED = {
    "id": "Give the question an id, or leave it empty to have one made from the prompt.",
    "paragraphs": "Give the number of the paragraph the question comes from, e.g. 1 or 1, 2.",
    "prompt": "Write the question.",
    "explanation": "Write one to three sentences that teach why the answer is right.",
    "answer": "Give the right answer.",
    "options": "Write the options.",
    "items": "Write the items, in the right order.",
    "pairs": "Write the pairs.",
}
_IS_REQUIRED = re.compile(r"^(\w+) is required\b")
# A gap text's answers for a blank the prompt no longer has, as the form's rows show it.
_NO_SUCH_BLANK = re.compile(r"^(?:accept|reject) names deletion (\d+), which the prompt")


def plain_message(message: str, *, kind: Kind) -> str:
    """A bank rule's message in the words of the form: no field names or kind codes.

    The command line keeps the bank's wording ("paragraphs is required: ..."), which
    names the file's keys; the form names what to do, one sentence per problem.
    """
    blank = _NO_SUCH_BLANK.match(message)
    if blank:
        n = blank.group(1)
        return f"Blank {n} is no longer in the prompt: empty its rows or put {{{{c{n}::…}}}} back."
    required = _IS_REQUIRED.match(message)
    if required:
        return _REQUIRED.get(required.group(1), f"Fill in the {required.group(1)}.")
    label = kind.spec.noun
    said = ("an " if label[:1] in "aeiou" else "a ") + label
    for article in ("a", "an"):
        for noun in ("item", "prompt"):
            message = message.replace(f"{article} {kind.value} {noun}", f"{said} {noun}")
    message = message.replace(f"{label} item", f"{label} question")
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# Bank fields the form edits under the same name; a kind's presenter names the others.
_SAME_NAME = {"section", "paragraphs", "difficulty", "tags", "prompt", "explanation", "note"}


def _form_field(kind_presenter: Presenter, bank_field: str | None) -> str | None:
    """The form field that edits a bank field, or None when the form has none for it."""
    if bank_field == "id":
        return "uid"
    if bank_field in _SAME_NAME:
        return bank_field
    if bank_field is None:
        return None
    named = kind_presenter.field_of.get(bank_field, bank_field)
    return named if named in kind_presenter.edit_fields else None


def _section_name(slug: str) -> str:
    found = next((s for s in SECTIONS if s.slug == slug), None)
    return f"“{found.number}. {found.title}”" if found else "another section"


def _rows_sent(formdata: Any) -> dict[str, int]:
    """Row lists sent with more than ``MAX_PARTS`` rows, and how many rows each had."""
    if not formdata:
        return {}
    rows: dict[str, set[str]] = {name: set() for name in _ROW_LISTS}
    for key in formdata:
        name, dash, rest = str(key).partition("-")
        if dash and name in rows:
            rows[name].add(rest.partition("-")[0])
    return {name: len(found) for name, found in rows.items() if len(found) > MAX_PARTS}


def _maybe_int(text: str) -> int | str:
    number = whole_number(text)
    return text if number is None else number


class StatusForm(FlaskForm):
    """A life-cycle button: move a question to ``status``."""

    status = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Apply")

    def validate_status(self, field: HiddenField) -> None:
        if field.data not in {s.value for s in Status}:
            raise ValidationError("Unknown status.")


class ImportForm(FlaskForm):
    """Upload a file of questions in one of the import formats."""

    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
    format = SelectField(
        "Format", choices=_choices((k, label) for k, (label, _) in IMPORT_FORMATS.items())
    )
    section = SelectField(
        "Section for items that name none",
        choices=_choices([("", "— none: each item names its own —"), *SECTION_PAIRS]),
    )
    paragraph = StringField(
        "Paragraph for items that name none",
        validators=[Optional()],
        description="A paragraph number in that section, e.g. 1.",
    )
    difficulty = SelectField(
        "Difficulty for items that name none",
        coerce=int,
        choices=_choices(DIFFICULTY_LABELS.items()),
    )
    decimal = SelectField(
        "Numbers in a spreadsheet",
        choices=_choices(DECIMAL_CHOICES),
        default="",
        description="How the file writes a number with a comma: 1,5 or 1,500.",
    )
    status = SelectField(
        "Import as",
        choices=_choices(
            [(Status.DRAFT.value, "Drafts (publish later)"), (Status.PUBLISHED.value, "Published")]
        ),
    )
    submit = SubmitField("Check and import")

    def validate_paragraph(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if text and whole_number(text) is None:
            raise ValidationError("Give one paragraph number, e.g. 1.")


class FilterForm(FlaskForm):
    """Search and filters of the question list (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)])
    section = SelectField(
        "Section", choices=_choices([("", "All sections"), *SECTION_PAIRS]), validators=[Optional()]
    )
    kind = SelectField(
        "Kind",
        choices=_choices([("", "All kinds"), *[(k.value, k.label) for k in Kind]]),
        validators=[Optional()],
    )
    difficulty = SelectField(
        "Difficulty",
        choices=_choices(
            [("", "Any difficulty"), *[(str(v), t) for v, t in DIFFICULTY_LABELS.items()]]
        ),
        validators=[Optional()],
    )
    status = SelectField(
        "State",
        choices=_choices([("", "Any state"), *[(s.value, s.value.capitalize()) for s in Status]]),
        validators=[Optional()],
    )
    flagged = BooleanField("Flagged for review only")
    no_explanation = BooleanField("No explanation only")


class StatsFilterForm(FlaskForm):
    """Filters of the item statistics (GET, so no CSRF)."""

    class Meta:
        csrf = False

    section = SelectField(
        "Section", choices=_choices([("", "All sections"), *SECTION_PAIRS]), validators=[Optional()]
    )
    flagged = BooleanField("Flagged for review only")


class DecisionForm(FlaskForm):
    """Accept or reject one group of typed responses (the button pressed names which)."""

    key = HiddenField(validators=[DataRequired(), Length(max=600)])
    decision = HiddenField(validators=[DataRequired(), AnyOf(["accept", "reject"])])


class ResetLinkForm(FlaskForm):
    """A student's email, to mail them a password reset link."""

    email = EmailField("Student's email", validators=[DataRequired(), Email(), Length(max=254)])
