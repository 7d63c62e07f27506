"""Register, log in, log out."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import Field

from .. import ratelimit
from ..extensions import db, login_manager
from ..forms import EmptyForm
from ..models import SignedIn, User, normalize_email
from ..study.service import recount_days
from ..timezones import set_zone, zone_chosen, zone_of
from . import sessions, signup, throttle
from .forms import ConfirmForm, LoginForm, RegisterForm

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a real password")

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> SignedIn | None:
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
    """Ask for an account; the answer is the same whether or not the email has one."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if request.method == "POST":
        ratelimit.guard("register")
    form = RegisterForm()
    if form.validate_on_submit():
        # DataRequired saw to both fields; `or ""` only tells mypy so.
        email = normalize_email(form.email.data or "")
        signup.request_account(
            email,
            form.password.data or "",
            time_zone=request.form.get("time_zone"),
            next_path=safe_next(request.args.get("next"), "") or None,
        )
        db.session.commit()
        return render_template("auth/check_email.html", email=email)
    return render_template("auth/register.html", form=form)


@bp.route("/register/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Finish signing up from the mailed link: GET shows a button (mail scanners only GET)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    data = signup.pending(token)
    if data is None:
        flash("That sign-up link is expired, already used or broken. Sign up again.", "error")
        return redirect(url_for("auth.register"))
    if signup.exists(data.email):
        flash("This email has an account now: log in.", "info")
        return redirect(url_for("auth.login"))
    form = ConfirmForm()
    guest = sessions.guest_token()
    if form.validate_on_submit():
        next_path = data.next_path
        user = signup.create(data)
        moved = sessions.move_guest_attempts(guest, user) if form.keep_guest_quiz.data else 0
        sessions.start(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same link, clicked twice at once: one account
            db.session.rollback()
            return redirect(url_for("auth.login"))
        flash("Welcome! Your quizzes are now saved to your dashboard.", "success")
        _say_moved(moved)
        return redirect(safe_next(next_path, url_for("main.index")))
    return render_template(
        "auth/confirm.html",
        form=form,
        email=data.email,
        guest_quiz=sessions.unfinished_guest_attempts(guest),
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
            if not zone_chosen(user) and set_zone(user, request.form.get("time_zone")):
                recount_days(user.id, zone_of(user))  # days counted in UTC until now
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
