"""The student's dashboard: mastery, history, best and last scores, most missed."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..models import utcnow
from ..quiz.presentation import display_prompt
from ..quiz.service import recent_attempts
from ..study.progress import study_progress
from ..timezones import zone_of
from . import stats
from .chart import score_chart

bp = Blueprint("dashboard", __name__)


@bp.route("")
@login_required
def index():
    """Everything a student needs to see where they stand."""
    uid = current_user.id
    history = stats.history(uid)
    missed = stats.most_missed(uid)
    mastery = stats.mastery(uid)
    return render_template(
        "dashboard/index.html",
        summary=stats.summary(uid, history),
        mastery=mastery,
        history=history,
        chart=score_chart(history, zone_of(current_user)),
        mistakes=sum(m.mistakes for m in mastery),
        recent=recent_attempts(user_id=uid, limit=10),
        study=study_progress(uid, utcnow(), zone_of(current_user)),
        missed=[(m, display_prompt(m.question)) for m in missed],
    )
