"""Class and assignment forms; each carries a CSRF token and bounds its inputs."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs: 3.2
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from questions import SECTIONS

from ..extensions import db
from ..models import Counts, LatePolicy, Question, ShowAnswers, Status
from ..timezones import valid_zone, zone_names
from .assignments import MAX_ATTEMPTS, MAX_FIXED_QUESTIONS, MAX_SIZE
from .schedule import NoSuchLocalTime, to_utc

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
_SPLIT = re.compile(r"[,\s]+")
MAX_IDS_TEXT = 8000

# The form's three ways to choose questions; "article" is stored as every section.
ARTICLE, SECTIONS_CHOICE, QUESTIONS = "article", "sections", "questions"


def _choices(pairs: Any) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=120)])
    term = StringField(
        "Term (optional)", validators=[Optional(), Length(max=60)], description="e.g. Spring 2027"
    )
    time_zone = SelectField(
        "Time zone",
        validators=[DataRequired()],
        description="Opening and due times are entered and shown in this zone.",
    )
    submit = SubmitField("Create the class")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = _choices((z, z) for z in zone_names())

    def validate_time_zone(self, field: Any) -> None:
        if valid_zone(field.data) is None:
            raise ValidationError("Choose a time zone from the list.")


class JoinCodeForm(FlaskForm):
    code = StringField(
        "Class code",
        validators=[
            DataRequired(message="Type the code your instructor gave you."),
            Length(max=32),
        ],
    )
    submit = SubmitField("Find the class")


class JoinForm(FlaskForm):
    name = StringField(
        "Your name, as your instructor will see it",
        validators=[DataRequired(message="Give your name."), Length(max=120)],
    )
    submit = SubmitField("Join the class")


class InviteForm(FlaskForm):
    email = EmailField(
        "Co-instructor's email", validators=[DataRequired(), Email(), Length(max=254)]
    )
    submit = SubmitField("Add as co-instructor")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


ATTEMPT_CHOICES = [(str(n), str(n)) for n in range(1, MAX_ATTEMPTS + 1)] + [
    ("unlimited", "Unlimited")
]


class AssignmentForm(FlaskForm):
    """A new assignment; ``zone_name`` is the class's zone, which the times are read in."""

    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    source = RadioField(
        "Questions",
        choices=_choices(
            [
                (ARTICLE, "Drawn from the whole article"),
                (SECTIONS_CHOICE, "Drawn from the sections ticked below"),
                (QUESTIONS, "A fixed list of questions (ids below)"),
            ]
        ),
        default=ARTICLE,
    )
    sections = MultiCheckboxField(
        "Sections", choices=_choices((s.slug, f"{s.number}. {s.title}") for s in SECTIONS)
    )
    size = IntegerField(
        "Number of questions drawn",
        default=10,
        validators=[Optional(), NumberRange(min=1, max=MAX_SIZE)],
    )
    question_ids = TextAreaField(
        "Question ids",
        validators=[Length(max=MAX_IDS_TEXT)],
        description="For a fixed list: the ids from the question bank, separated by commas "
        f"or new lines (at most {MAX_FIXED_QUESTIONS}).",
    )
    opens_at = DateTimeLocalField("Opens", format=LOCAL_FORMAT, validators=[InputRequired()])
    due_at = DateTimeLocalField("Due", format=LOCAL_FORMAT, validators=[InputRequired()])
    attempts_allowed = SelectField(
        "Attempts allowed", choices=_choices(ATTEMPT_CHOICES), default="1"
    )
    counts = RadioField(
        "Which attempt counts",
        choices=_choices([(Counts.BEST.value, "The best"), (Counts.LAST.value, "The last")]),
        default=Counts.BEST.value,
    )
    show_answers = RadioField(
        "Right answers and explanations are shown",
        choices=_choices(
            [
                (ShowAnswers.EACH.value, "After each question"),
                (ShowAnswers.ATTEMPT.value, "After the attempt is finished"),
                (ShowAnswers.DUE.value, "After the due time"),
            ]
        ),
        default=ShowAnswers.EACH.value,
    )
    late_policy = RadioField(
        "Work after the due time",
        choices=_choices(
            [
                (LatePolicy.REFUSE.value, "Refused"),
                (LatePolicy.ACCEPT.value, "Accepted and marked late"),
            ]
        ),
        default=LatePolicy.REFUSE.value,
    )
    submit = SubmitField("Create the assignment")

    def __init__(self, *args: Any, zone_name: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name
        self.picked_ids: list[int] = []

    def _utc(self, field: Any) -> Any:
        try:
            return to_utc(field.data, self.zone_name) if field.data else None
        except NoSuchLocalTime as exc:
            raise ValidationError(str(exc)) from exc

    def validate_opens_at(self, field: Any) -> None:
        self._utc(field)

    def validate_due_at(self, field: Any) -> None:
        due = self._utc(field)
        try:
            opens = to_utc(self.opens_at.data, self.zone_name) if self.opens_at.data else None
        except NoSuchLocalTime:
            return  # reported at the opening time
        if due is not None and opens is not None and due <= opens:
            raise ValidationError("The due time must come after the opening time.")

    def validate_sections(self, field: Any) -> None:
        if self.source.data == SECTIONS_CHOICE and not field.data:
            raise ValidationError("Tick at least one section.")

    def validate_size(self, field: Any) -> None:
        if self.source.data in (ARTICLE, SECTIONS_CHOICE) and not field.data:
            raise ValidationError(f"Give a number of questions from 1 to {MAX_SIZE}.")

    def validate_question_ids(self, field: Any) -> None:
        if self.source.data != QUESTIONS:
            return
        uids = list(dict.fromkeys(u for u in _SPLIT.split((field.data or "").strip()) if u))
        if not uids:
            raise ValidationError("Give the ids of the questions to ask.")
        if len(uids) > MAX_FIXED_QUESTIONS:
            raise ValidationError(
                f"{len(uids)} ids: an assignment holds at most {MAX_FIXED_QUESTIONS} questions."
            )
        found = dict(
            db.session.execute(
                db.select(Question.uid, Question.id).where(
                    Question.uid.in_(uids), Question.status == Status.PUBLISHED.value
                )
            ).all()
        )
        missing = [u for u in uids if u not in found]
        if missing:
            raise ValidationError(
                "No published question has the id "
                + ", ".join(missing[:10])
                + (f" (and {len(missing) - 10} more)" if len(missing) > 10 else "")
                + "."
            )
        self.picked_ids = [found[u] for u in uids]

    def values(self) -> dict[str, Any]:
        """The assignment's columns from a validated form."""
        source = self.source.data
        attempts = self.attempts_allowed.data
        opens, due = self.opens_at.data, self.due_at.data
        assert opens is not None and due is not None  # InputRequired
        if source == QUESTIONS:
            chosen = {"source": "questions", "sections": [], "question_ids": self.picked_ids}
            size = len(self.picked_ids)
        else:
            slugs = (
                [s.slug for s in SECTIONS] if source == ARTICLE else list(self.sections.data or [])
            )
            chosen = {"source": "sections", "sections": slugs, "question_ids": []}
            size = int(self.size.data or 1)
        return {
            "title": (self.title.data or "").strip(),
            **chosen,
            "size": size,
            "opens_at": to_utc(opens, self.zone_name),
            "due_at": to_utc(due, self.zone_name),
            "attempts_allowed": None if attempts == "unlimited" else int(attempts),
            "counts": self.counts.data,
            "show_answers": self.show_answers.data,
            "late_policy": self.late_policy.data,
        }
