"""Forms to start a quiz."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField, widgets
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs: 3.2
from wtforms.validators import DataRequired

from questions import SECTIONS


def _size_choices() -> list[SelectChoice]:
    return [SelectChoice(n, f"{n} questions") for n in current_app.config["QUIZ_SIZES"]]


class StartForm(FlaskForm):
    """How many questions; the sections come from the URL."""

    size = SelectField("Number of questions", coerce=int)
    submit = SubmitField("Start the quiz")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.size.choices = _size_choices()
        if self.size.data is None:
            self.size.data = current_app.config["QUIZ_DEFAULT_SIZE"]


class MixedStartForm(StartForm):
    """Several sections of the student's choice."""

    sections = SelectMultipleField(
        "Sections",
        choices=[SelectChoice(s.slug, s.title) for s in SECTIONS],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[DataRequired(message="Tick at least one section.")],
    )
