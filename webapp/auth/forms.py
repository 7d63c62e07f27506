"""Account forms; every one carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..passwords import NotCommon

# Log-in clears the session, and with it a guest's hold on their quiz: moved only if asked.
KEEP_GUEST_QUIZ = "Move my unfinished quiz (taken as a guest) to my account"


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in (30 days)")
    keep_guest_quiz = BooleanField(KEEP_GUEST_QUIZ)
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=8, max=200, message="Use at least 8 characters."),
            NotCommon(),
        ],
    )
    password2 = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Create my account")


class ConfirmForm(FlaskForm):
    """The button on the mailed sign-up link's page (a POST, so a mail scanner's GET
    creates nothing)."""

    keep_guest_quiz = BooleanField(KEEP_GUEST_QUIZ)
    submit = SubmitField("Finish signing up")
