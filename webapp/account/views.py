"""The account page (/account) and password reset by email (/reset)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from .. import ratelimit
from ..auth import sessions, throttle
from ..extensions import db
from ..models import User, normalize_email
from ..study.service import recount_days
from ..timezones import set_zone, zone_name, zone_names, zone_of
from . import service
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LogOutEverywhereForm,
    NewPasswordForm,
    ResetRequestForm,
    TimeZoneForm,
)

bp = Blueprint("account", __name__)


def _forms() -> dict:
    tz = TimeZoneForm(prefix="tz")
    tz.time_zone.choices = [(z, z.replace("_", " ")) for z in zone_names()]
    if tz.time_zone.data is None:
        tz.time_zone.data = zone_name(current_user)
    return {
        "tz_form": tz,
        "password_form": ChangePasswordForm(prefix="pw"),
        "email_form": ChangeEmailForm(prefix="em"),
        "delete_form": DeleteAccountForm(prefix="del"),
        "everywhere_form": LogOutEverywhereForm(prefix="all"),
    }


def _page(forms: dict, status: int = 200):
    return render_template("account/index.html", **forms), status


@bp.route("/account")
@login_required
def index():
    """Change password, email and time zone; download or delete my data."""
    return _page(_forms())


@bp.route("/account/time-zone", methods=["POST"])
@login_required
def time_zone():
    """Store the time zone every time is shown in, and the study day turns over in."""
    forms = _forms()
    form = forms["tz_form"]
    if form.time_zone.name not in request.form:
        # _forms() selected the current zone for display; a POST that sent none chose none
        form.time_zone.data = None
    if not form.validate_on_submit():
        return _page(forms, 400)
    if form.time_zone.data != zone_name(current_user):
        user = sessions.account()
        set_zone(user, form.time_zone.data)
        # the study days already counted turn over at 4 a.m. in the old zone: count again
        recount_days(user.id, zone_of(user))
    db.session.commit()
    flash(f"Times are now shown in {form.time_zone.data}.", "success")
    return redirect(url_for("account.index"))


@bp.route("/account/password", methods=["POST"])
@login_required
def password():
    """Change the password, given the current one."""
    forms = _forms()
    form = forms["password_form"]
    if form.validate_on_submit() and not current_user.check_password(form.current.data or ""):
        form.current.errors = [*form.current.errors, "That is not your current password."]
    elif form.validate_on_submit():
        user = sessions.account()
        user.set_password(form.password.data or "")
        sessions.restart(user)  # every other browser, and any copied cookie, is logged out
        db.session.commit()
        flash("Your password is changed. Every other browser is logged out.", "success")
        return redirect(url_for("account.index"))
    return _page(forms, 400)


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every log-in of this account: this browser, the others, any remembered one."""
    forms = _forms()
    if not forms["everywhere_form"].validate_on_submit():
        return _page(forms, 400)
    sessions.end_everywhere(sessions.account())
    db.session.commit()
    sessions.end()
    flash("You are logged out everywhere, this browser included.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/email", methods=["POST"])
@login_required
def email():
    """Change the email, given the current password."""
    forms = _forms()
    form = forms["email_form"]
    if form.validate_on_submit() and not current_user.check_password(form.current.data or ""):
        form.current.errors = [*form.current.errors, "That is not your current password."]
    elif form.validate_on_submit():
        sessions.account().email = normalize_email(form.email.data or "")
        db.session.commit()
        flash("Your email is changed.", "success")
        return redirect(url_for("account.index"))
    return _page(forms, 400)


@bp.route("/account/data.json")
@login_required
def data():
    """Everything the site keeps about me, as a JSON file."""
    body = json.dumps(service.export_data(current_user), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-quiz-data.json"'},
    )


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete():
    """Delete my account and all my data, given my password."""
    forms = _forms()
    form = forms["delete_form"]
    if form.validate_on_submit() and not current_user.check_password(form.current.data or ""):
        form.current.errors = [*form.current.errors, "That is not your password."]
    elif form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        sessions.end()
        if user is not None:
            service.delete_account(user)
        flash("Your account and all your data are deleted.", "info")
        return redirect(url_for("main.index"))
    return _page(forms, 400)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a reset link by email; the answer never says whether the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            db.select(User).where(User.email == normalize_email(form.email.data or ""))
        )
        if user is not None:
            service.send_reset_link(user)
        else:
            current_app.logger.info("password reset asked for an unknown email")
        flash(
            "If an account uses that email, a reset link is on its way. It works for an hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("account/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a valid, unexpired, unused link; then log in."""
    user = service.user_for_token(token)
    if user is None:
        flash("That reset link is expired or already used. Ask for a new one.", "error")
        return redirect(url_for("account.reset_request"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        # First: the counter commits on its own connection, which on SQLite must not wait
        # for this request's writes.
        throttle.forget_account(user.email, ratelimit.client_address())
        user.set_password(form.password.data or "")
        sessions.end_everywhere(user)  # whoever knew the old password is logged out
        sessions.start(user)
        db.session.commit()
        flash("Your password is changed and you are logged in.", "success")
        return redirect(url_for("main.index"))
    return render_template("account/reset.html", form=form), (
        400 if request.method == "POST" else 200
    )
