"""Register, log in, log out."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import Field

from .. import ratelimit
from ..extensions import db, login_manager
from ..forms import EmptyForm
from ..models import Role, User, normalize_email
from ..timezones import set_zone, zone_chosen
from . import sessions, throttle
from .forms import LoginForm, RegisterForm

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a real password")

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's hook: the user of a session or remember cookie, while that log-in lasts."""
    return sessions.load(user_id)


def _add_error(field: Field, message: str) -> None:
    """Show ``message`` under ``field``; once the form is validated its errors are a list."""
    cast(list[str], field.errors).append(message)


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if request.method == "POST":
        ratelimit.guard("register")
    form = RegisterForm()
    guest = sessions.guest_token()
    if form.validate_on_submit():
        # DataRequired saw to both fields; `or ""` only tells mypy so.
        user = User(email=normalize_email(form.email.data or ""), role=Role.STUDENT.value)
        user.set_password(form.password.data or "")
        set_zone(user, request.form.get("time_zone"))
        db.session.add(user)
        db.session.flush()  # the new id, for its log-in and a moved quiz
        moved = sessions.move_guest_attempts(guest, user) if form.keep_guest_quiz.data else 0
        sessions.start(user)
        db.session.commit()
        flash("Welcome! Your quizzes are now saved to your dashboard.", "success")
        _say_moved(moved)
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template(
        "auth/register.html", form=form, guest_quiz=sessions.unfinished_guest_attempts(guest)
    )


def _say_moved(moved: int) -> None:
    if moved:
        what = "quiz is" if moved == 1 else f"{moved} quizzes are"
        flash(f"Your unfinished {what} now in your account.", "success")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    guest = sessions.guest_token()
    if form.validate_on_submit():
        email = normalize_email(form.email.data or "")  # DataRequired: never empty here
        password = form.password.data or ""
        ip = ratelimit.client_address()
        wait = throttle.take_slot(email, ip)
        if wait:
            _add_error(form.password, throttle.wait_message(wait))
            return (
                render_template("auth/login.html", form=form, guest_quiz=0),
                429,
                {"Retry-After": str(wait)},
            )
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
        if user is None or not user.check_password(password):
            # One message for an unknown email and a wrong password: no account probing.
            _add_error(form.password, "Wrong email or password.")
        else:
            throttle.succeeded(email, ip)
            # The browser's zone, unless the student already chose one on the account page.
            if not zone_chosen(user):
                set_zone(user, request.form.get("time_zone"))
            moved = sessions.move_guest_attempts(guest, user) if form.keep_guest_quiz.data else 0
            sessions.start(user, remember=bool(form.remember.data))
            db.session.commit()  # the zone, the moved quiz and the log-in, in one unit of work
            _say_moved(moved)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template(
        "auth/login.html", form=form, guest_quiz=sessions.unfinished_guest_attempts(guest)
    )


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """GET asks for confirmation; POST (with CSRF) logs out."""
    form = EmptyForm()
    if form.validate_on_submit():
        sessions.end()
        db.session.commit()
        flash("You are logged out.", "info")
        return redirect(url_for("main.index"))
    return render_template("auth/logout.html", form=form)
