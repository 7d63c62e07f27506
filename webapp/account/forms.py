"""Account forms; every one carries a CSRF token and bounds its inputs."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..extensions import db
from ..models import User, normalize_email
from ..passwords import NotCommon
from ..timezones import valid_zone

PASSWORD_RULES = [
    DataRequired(),
    Length(min=8, max=200, message="Use at least 8 characters."),
    NotCommon(),
]


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField("Send me a reset link")


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=PASSWORD_RULES)
    password2 = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Set my new password")


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Change my password")


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=[DataRequired(), Email(), Length(max=254)])
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Change my email")

    def validate_email(self, field) -> None:
        email = normalize_email(field.data or "")
        if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
            raise ValidationError("Another account already uses this email.")


class TimeZoneForm(FlaskForm):
    time_zone = SelectField("Time zone", validators=[DataRequired()])
    submit = SubmitField("Save my time zone")

    def validate_time_zone(self, field) -> None:
        if valid_zone(field.data) is None:
            raise ValidationError("Choose a time zone from the list.")


class DeleteAccountForm(FlaskForm):
    current = PasswordField(
        "Your password, to confirm", validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField("Delete my account and my data")


class LogOutEverywhereForm(FlaskForm):
    submit = SubmitField("Log out everywhere")
