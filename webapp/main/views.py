"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import text

from questions import SECTIONS

from .. import aggregates
from ..classes.assignments import for_student
from ..dashboard.stats import mastery
from ..extensions import db
from ..forms import EmptyForm
from ..models import utcnow
from ..quiz.service import count_mistakes, recent_attempts
from ..study.service import overview

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """The article's sections and how to start a quiz."""
    counts = aggregates.published_counts()
    today: dict = {}
    if current_user.is_authenticated:
        unfinished = recent_attempts(user_id=current_user.id, limit=1, unfinished_only=True)
        cards, _ = overview(current_user, utcnow())
        today = {
            "cards": cards,
            "mistakes": count_mistakes(current_user.id),
            "mastery": {m.slug: m for m in mastery(current_user.id)},
            # what is due in the student's classes, not yet done
            "due": []
            if current_user.is_instructor
            else [row for row in for_student(current_user.id) if not row[2].done][:5],
        }
    else:
        unfinished = recent_attempts(
            user_id=None, guest_token=session.get("guest_token"), limit=1, unfinished_only=True
        )
    return render_template(
        "index.html",
        sections=SECTIONS,
        counts=counts,
        unfinished=unfinished[0] if unfinished else None,
        today=today,
        total=sum(counts.values()),
        sizes=current_app.config["QUIZ_SIZES"],
        default_size=current_app.config["QUIZ_DEFAULT_SIZE"],
        start_form=EmptyForm(),
    )


@bp.route("/favicon.ico")
def favicon():
    """Browsers that ask for /favicon.ico get the SVG icon every page links to."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not healthy"
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", exc)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
