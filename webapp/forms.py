"""Forms shared by several areas."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class EmptyForm(FlaskForm):
    """A form with no fields, for POST-only buttons (log out, finish a quiz) with CSRF."""

    submit = SubmitField("Submit")
