"""Register, log in, log out."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import Field

from ..extensions import db, login_manager
from ..forms import EmptyForm
from ..models import Role, User, normalize_email
from ..study.service import recount_days
from ..timezones import set_zone, zone_chosen, zone_of
from . import throttle
from .forms import LoginForm, RegisterForm

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a real password")

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's hook: the user of a session cookie."""
    return db.session.get(User, int(user_id))


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
    form = RegisterForm()
    if form.validate_on_submit():
        # DataRequired saw to both fields; `or ""` only tells mypy so.
        user = User(email=normalize_email(form.email.data or ""), role=Role.STUDENT.value)
        user.set_password(form.password.data or "")
        set_zone(user, request.form.get("time_zone"))
        db.session.add(user)
        db.session.commit()
        login_user(user)
        flash("Welcome! Your quizzes are now saved to your dashboard.", "success")
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalize_email(form.email.data or "")  # DataRequired: never empty here
        password = form.password.data or ""
        ip = request.remote_addr or "unknown"
        wait = throttle.seconds_to_wait(email, ip)
        if wait:
            _add_error(form.password, throttle.wait_message(wait))
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
        if user is None or not user.check_password(password):
            throttle.record_failure(email, ip)
            db.session.commit()
            # One message for an unknown email and a wrong password: no account probing.
            _add_error(form.password, "Wrong email or password.")
        else:
            throttle.clear_failures(email)
            # The browser's zone, unless the student already chose one on the account page.
            if not zone_chosen(user) and set_zone(user, request.form.get("time_zone")):
                recount_days(user.id, zone_of(user))  # days counted in UTC until now
            db.session.commit()  # the cleared failures and the zone, in one unit of work
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """GET asks for confirmation; POST (with CSRF) logs out."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
        return redirect(url_for("main.index"))
    return render_template("auth/logout.html", form=form)
