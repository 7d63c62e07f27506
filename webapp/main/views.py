"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import func, text

from questions import SECTIONS

from ..extensions import db
from ..models import Question, Status

bp = Blueprint("main", __name__)


def published_counts() -> dict[str, int]:
    """Number of published questions per section slug, in one query."""
    rows = db.session.execute(
        db.select(Question.section, func.count(Question.id))
        .where(Question.status == Status.PUBLISHED.value)
        .group_by(Question.section))
    return {section: count for section, count in rows}


@bp.route("/")
def index():
    """The article's sections and how to start a quiz."""
    counts = published_counts()
    return render_template("index.html", sections=SECTIONS, counts=counts,
                           total=sum(counts.values()),
                           sizes=current_app.config["QUIZ_SIZES"],
                           default_size=current_app.config["QUIZ_DEFAULT_SIZE"])


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
