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
    offered: list[SelectChoice] | None = None  # the sizes shown, when fewer than all

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.size.choices = _size_choices()
        if self.size.data is None:
            self.size.data = current_app.config["QUIZ_DEFAULT_SIZE"]

    def fit_to(self, available: int) -> None:
        """Offer no size beyond the pool: the sizes below it, then "all N" of it.

        A larger configured size still validates (it draws the whole pool), so an old
        form or link keeps working; only the offer changes.
        """
        if available <= 0:
            return
        offered = [c for c in _size_choices() if c.value < available]
        offered.append(SelectChoice(available, f"All {available} question{'s' * (available > 1)}"))
        known = {c.value for c in offered}
        self.size.choices = offered + [c for c in _size_choices() if c.value not in known]
        self.offered = offered
        if self.size.data not in known:
            default = current_app.config["QUIZ_DEFAULT_SIZE"]
            self.size.data = default if default in known else available


class MixedStartForm(StartForm):
    """Several sections of the student's choice."""

    sections = SelectMultipleField(
        "Sections",
        choices=[SelectChoice(s.slug, s.title) for s in SECTIONS],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[DataRequired(message="Tick at least one section.")],
    )
