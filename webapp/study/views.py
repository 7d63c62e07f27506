"""Flashcard study pages: pick sections, study card by card, rate, settings.

Works without JavaScript: "Show answer" is a link to the same card with its back shown,
and the ratings are one POST form with four buttons. ``static/js/study.js`` flips the card
in place and adds the keys (Space flips, 1-4 rate).
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from questions import SECTIONS, SECTIONS_BY_SLUG, expected_answer

from ..auth import sessions
from ..extensions import db, login_manager
from ..forms import query_int
from ..models import Question, utcnow
from ..models.study import StudyCard
from ..timezones import zone_of
from . import scheduling, service
from .forms import RatingForm, SettingsForm
from .progress import study_progress

bp = Blueprint("study", __name__)

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@bp.before_request
def _require_login():
    """Every study page belongs to a signed-in student."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _sections() -> list[str]:
    """The ``section`` query arguments, checked; none means the whole article."""
    chosen = request.args.getlist("section")
    unknown = [s for s in chosen if s not in SECTIONS_BY_SLUG]
    if unknown:
        abort(
            400,
            description=f"Unknown section {unknown[0]!r} in the study link; "
            f"known sections: {', '.join(SECTIONS_BY_SLUG)}.",
        )
    # article order, no repeats
    return [s.slug for s in SECTIONS if s.slug in chosen]


@bp.route("/")
def index():
    """Choose what to study; today's figures and the week's forecast."""
    now = utcnow()
    counts, section_counts = service.overview(current_user, now)
    return render_template(
        "study/index.html",
        sections=SECTIONS,
        counts=counts,
        section_counts=section_counts,
        progress=study_progress(current_user.id, now, zone_of(current_user)),
        new_per_day=service.new_per_day(current_user),
    )


@bp.route("/session")
def session():
    """The next card's front; ``?card=<question id>`` names the card, ``&back=1`` flips it."""
    sections = _sections()
    now = utcnow()
    shown_id = request.args.get("card", type=query_int)
    if shown_id is not None:
        question = service.study_question(shown_id)
        if question is None:
            abort(404, description="That question is not in the published bank.")
        card = service.card_for(current_user.id, question.id)
        return _render_card(question, card, sections, now, back=request.args.get("back") == "1")
    nxt = service.next_card(current_user, sections, now)
    if nxt is None:
        return render_template(
            "study/done.html",
            sections=sections,
            next_due=service.next_due_at(current_user.id, sections),
            progress=study_progress(current_user.id, now, zone_of(current_user)),
        )
    return _render_card(nxt.question, nxt.card, sections, now, back=False)


def _render_card(
    question: Question, card: StudyCard | None, sections: list[str], now: datetime, *, back: bool
) -> str:
    """A card page: its front, and its back with the rating form when ``back``."""
    state = card.card_state() if card else scheduling.new_card_state(now)
    intervals = scheduling.preview_intervals(state, now)
    form = RatingForm(formdata=None, reps=str(state.reps))
    revision = question.current_revision
    assert revision is not None  # every question gets one when it is created
    return render_template(
        "study/card.html",
        question=question,
        q=revision.to_question(),
        card=card,
        sections=sections,
        back=back,
        form=form,
        expected_answer=expected_answer,
        buttons=[
            (int(r), RATING_LABELS[int(r)], scheduling.format_interval(intervals[r]))
            for r in scheduling.RATINGS
        ],
        counts=service.queue_counts(current_user, sections, now),
    )


@bp.route("/rate/<int:question_id>", methods=["POST"])
def rate(question_id: int):
    """Record one rating, once, then show the next card (post/redirect/get)."""
    sections = _sections()
    question = service.study_question(question_id)
    if question is None:
        abort(404, description="That question is not in the published bank.")
    form = RatingForm()
    if not form.validate():
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        abort(400, description=f"The rating was not recorded ({problems}).")
    rating, reps = form.rating.data, form.reps.data
    assert rating is not None and reps is not None  # the form's validators require both
    recorded = service.record_rating(
        current_user.id,
        question.id,
        rating,
        int(reps),  # validate_reps: at most nine ASCII digits
        utcnow(),
        fuzz=current_app.config["STUDY_FUZZING"],
        zone=zone_of(current_user),
    )
    if not recorded:
        flash("That card was already rated; your first rating counts.", "info")
    return redirect(url_for("study.session", section=sections))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """The daily limit of new cards."""
    form = SettingsForm()
    if form.validate_on_submit():
        new_per_day = form.new_per_day.data
        assert new_per_day is not None  # InputRequired
        service.set_new_per_day(sessions.account(), new_per_day)
        db.session.commit()
        flash(f"New cards per day: {new_per_day}.", "success")
        return redirect(url_for("study.index"))
    if request.method == "GET":
        form.new_per_day.data = service.new_per_day(current_user)
    return render_template("study/settings.html", form=form)
