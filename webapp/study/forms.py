"""Forms of the study pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import AnyOf, InputRequired, NumberRange, ValidationError

from questions.validation import whole_number

from ..forms import WholeNumberField
from .service import MAX_NEW_PER_DAY


class RatingForm(FlaskForm):
    """One form, four submit buttons named ``rating`` (1 Again ... 4 Easy).

    ``reps`` is the card's rating count when the page was drawn: the idempotency key
    that makes a reloaded or repeated POST count once.
    """

    rating = WholeNumberField(
        "Rating",
        validators=[
            InputRequired("Choose Again, Hard, Good or Easy."),
            AnyOf([1, 2, 3, 4], message="A rating is 1 (Again) to 4 (Easy)."),
        ],
    )
    reps = HiddenField("Review count")

    def validate_reps(self, field: HiddenField) -> None:
        """A non-negative whole number, as the page wrote it."""
        if whole_number(field.data) is None:
            raise ValidationError("The review count must be a whole number.")


class SettingsForm(FlaskForm):
    """The student's study settings."""

    new_per_day = WholeNumberField(
        "New cards per day",
        validators=[
            InputRequired("Enter a number of cards."),
            NumberRange(
                min=0, max=MAX_NEW_PER_DAY, message=f"Enter a number from 0 to {MAX_NEW_PER_DAY}."
            ),
        ],
    )
    submit = SubmitField("Save")
