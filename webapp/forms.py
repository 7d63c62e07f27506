"""Forms shared by several areas."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField

from questions.validation import whole_number


def query_int(text: str) -> int:
    """A query argument as a whole number, for ``request.args.get(name, default, type=...)``.

    ASCII digits only, at most nine: ``type=int`` took "٣" and a 4,000-digit page number,
    which overflowed the database's OFFSET (a 500). Anything else gives the default.
    """
    number = whole_number(text)
    if number is None:
        raise ValueError("not a whole number of at most nine ASCII digits")
    return number


class WholeNumberField(IntegerField):
    """An ``IntegerField`` that reads ASCII digits only (at most nine): "٣" or "1_000"
    are not a number here, as they are to ``int()``."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = whole_number(valuelist[0])
        if self.data is None:
            raise ValueError(self.gettext("Not a valid integer value."))


class EmptyForm(FlaskForm):
    """A form with no fields, for POST-only buttons (log out, finish a quiz) with CSRF."""

    submit = SubmitField("Submit")
