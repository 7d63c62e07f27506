"""Start a quiz, answer it one question per page, review it."""

from __future__ import annotations

import secrets
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from questions import SECTIONS, SECTIONS_BY_SLUG
from questions import Question as BankQuestion
from questions.grading import forgiven_text

from .. import ratelimit
from ..article.views import digest_lines
from ..classes.assignments import answers_hidden, refusal_for_answer
from ..extensions import db
from ..forms import EmptyForm
from ..models import Answer, Attempt, AttemptItem, Mode
from . import appeals, service
from .forms import MixedStartForm, StartForm
from .presentation import (
    expected_lines,
    marked_view,
    parse_form,
    question_view,
    remark,
    response_lines,
    source,
    stored_grade,
)

bp = Blueprint("quiz", __name__)

ALL = "all"  # /quiz/all: the whole article
MISTAKES = "mistakes"  # /quiz/mistakes: review my mistakes
MIXED = "mixed"  # /quiz/mixed: sections chosen on the home page


def _guest_token(*, create: bool) -> str | None:
    """The random token that binds a guest's attempts to their signed session cookie."""
    token = session.get("guest_token")
    if token is None and create:
        token = session["guest_token"] = secrets.token_urlsafe(32)
    return token


# An attempt, as a mapped object or as the row the question page reads (service.AttemptRow).
_A = TypeVar("_A", Attempt, service.AttemptRow)


def get_attempt_or_404(attempt_id: int) -> Attempt:
    """The attempt if it belongs to the visitor (user or guest session), else 404."""
    return _authorized_or_404(db.get_or_404(Attempt, attempt_id))


def _authorized_or_404(attempt: _A) -> _A:
    if current_user.is_authenticated:
        if attempt.user_id != current_user.id:
            abort(404)
    elif (
        attempt.user_id is not None
        or attempt.guest_token is None
        or not secrets.compare_digest(attempt.guest_token, _guest_token(create=False) or "")
    ):
        abort(404)
    return attempt


def _start(mode: Mode, sections: list[str], size: int):
    ratelimit.guard_guests("guest_quiz")
    user_id = current_user.id if current_user.is_authenticated else None
    try:
        attempt = service.create_attempt(
            mode=mode,
            sections=sections,
            size=size,
            user_id=user_id,
            guest_token=None if user_id else _guest_token(create=True),
        )
    except service.NothingToAsk as exc:
        flash(str(exc), "info")
        return redirect(url_for("main.index"))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/quiz/<section>", methods=["GET", "POST"])
def start(section: str):
    """Choose how many questions, then start a quiz on a section, the article or mistakes."""
    if section == MIXED:
        form = MixedStartForm()
        if form.validate_on_submit():
            return _start(Mode.MIXED, list(form.sections.data or []), form.size.data)
        return render_template(
            "quiz/start.html", form=form, section=section, title="Several sections", mixed=True
        ), (400 if request.method == "POST" else 200)
    if section == MISTAKES:
        if not current_user.is_authenticated:
            flash("Log in to review your mistakes.", "info")
            return redirect(url_for("auth.login", next=request.path))
        mode, sections, title = Mode.MISTAKES, [], "Review my mistakes"
    elif section == ALL:
        mode, sections, title = Mode.MIXED, [s.slug for s in SECTIONS], "The whole article"
    elif section in SECTIONS_BY_SLUG:
        mode, sections, title = Mode.SECTION, [section], SECTIONS_BY_SLUG[section].title
    else:
        abort(404)
    available = (
        service.count_mistakes(current_user.id)
        if mode is Mode.MISTAKES
        else service.count_published(sections)
    )
    form = StartForm()
    form.fit_to(available)
    if form.validate_on_submit():
        return _start(mode, sections, form.size.data)
    return render_template(
        "quiz/start.html", form=form, section=section, title=title, mixed=False, available=available
    )


@bp.route("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    """Take an unfinished attempt (its first open question) or review a finished one."""
    attempt = get_attempt_or_404(attempt_id)
    if not attempt.is_finished:
        first_open = service.progress(attempt).first_open
        if first_open is not None:
            return redirect(url_for("quiz.item", attempt_id=attempt.id, position=first_open))
        service.finish_attempt(attempt)
    rows: list[dict[str, Any]] = []
    hidden = answers_hidden(attempt)
    items = service.review_items(attempt)
    known = (
        appeals.appeals_for([it.answer.id for it in items if it.answer is not None])
        if current_user.is_authenticated
        else {}
    )
    for it in items:
        q = it.revision.to_question()
        fb = (
            None
            if hidden
            else _with_appeal(_feedback(q, it.answer, it.presentation), it, it.answer, known)
        )
        rows.append({"item": it, "q": q, "answer": it.answer, "fb": fb, "status": _status(it)})
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        rows=rows,
        summary=_summary(rows),
        hidden=hidden,
        retry_form=EmptyForm(),
    )


def _status(it: Any) -> str:
    """right, partly, wrong or unanswered: how one question of a quiz went."""
    if it.answer is None:
        return "unanswered"
    if it.answer.correct:
        return "right"
    return "partly" if it.answer.score > 0 else "wrong"


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by status, the points earned, and the same per section, for the results page."""
    counts = dict.fromkeys(("right", "partly", "wrong", "unanswered"), 0)
    sections: dict[str, dict[str, float]] = {}
    points = 0.0
    for row in rows:
        counts[row["status"]] += 1
        score = row["answer"].score if row["answer"] is not None else 0.0
        points += score
        per = sections.setdefault(row["q"].section, {"points": 0.0, "size": 0, "right": 0})
        per["points"] += score
        per["size"] += 1
        per["right"] += row["status"] == "right"
    partly_points = sum(
        row["answer"].score for row in rows if row["status"] == "partly" and row["answer"]
    )
    return {
        "counts": counts,
        "points": points,
        "partly_points": partly_points,
        "sections": sections,
        "missed": counts["partly"] + counts["wrong"] + counts["unanswered"],
    }


@bp.route("/attempts/<int:attempt_id>/discard", methods=["POST"])
def discard(attempt_id: int):
    """Throw away an unfinished quiz (a finished one stays in the history)."""
    attempt = get_attempt_or_404(attempt_id)
    form = EmptyForm()
    if attempt.assignment_id is not None:
        flash("An assignment's attempt cannot be discarded: finish it or leave it.", "info")
    elif form.validate_on_submit() and not attempt.is_finished:
        service.discard_attempt(attempt)
        flash("The unfinished quiz is discarded.", "info")
    return redirect(url_for("main.index"))


@bp.route("/attempts/<int:attempt_id>/retry", methods=["POST"])
def retry(attempt_id: int):
    """Start a new quiz on the questions of a finished one that were not fully right."""
    attempt = get_attempt_or_404(attempt_id)
    form = EmptyForm()
    if not form.validate_on_submit() or not attempt.is_finished or answers_hidden(attempt):
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    user_id = current_user.id if current_user.is_authenticated else None
    try:
        new = service.retry_missed(
            attempt,
            user_id=user_id,
            guest_token=None if user_id else _guest_token(create=True),
        )
    except service.NothingToAsk as exc:
        flash(str(exc), "info")
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    return redirect(url_for("quiz.attempt", attempt_id=new.id))


def _feedback(
    q: BankQuestion, answer: Answer | service.AnswerRow | None, presentation: dict[str, Any]
) -> dict[str, Any]:
    """What the feedback macro shows: each part marked in place, the key, the remark."""
    feedback: dict[str, Any] = {
        "source": source(q),
        "digests": digest_lines(q.section, q.paragraphs),
        "expected": expected_lines(q),
        "given": None,
        "remark": "",
        "grade": None,
        "forgiven": "",
        "appeal": None,
        "can_appeal": False,
        "regraded_at": None,
        "picked": [],
        "marked": marked_view(q, presentation, None, None),
    }
    if answer is not None:
        result = stored_grade(q, answer.grade, answer.response)
        feedback.update(
            given=response_lines(q, answer.response),
            remark=remark(q, result),
            grade=result,
            forgiven=forgiven_text(result),
            regraded_at=answer.regraded_at,
            marked=marked_view(q, presentation, answer.response, result),
        )
        # Feedback an option carries (imported from Moodle), for the options picked.
        picks = q.kind.spec.option_picks(q, answer.response)
        feedback["picked"] = [
            (q.options[i].text, q.options[i].feedback)
            for i in picks
            if i < len(q.options) and q.options[i].feedback
        ]
    return feedback


def _with_appeal(
    feedback: dict[str, Any],
    item: AttemptItem | service.ItemRow,
    answer: Answer | service.AnswerRow | None,
    known: dict[int, Any] | None = None,
) -> dict[str, Any]:
    """The appeal's state, or whether the signed-in student may appeal.

    ``known`` holds the attempt's appeals by answer id, loaded at once for a list.
    """
    if answer is None or not current_user.is_authenticated or current_user.is_instructor:
        return feedback
    if known is not None:
        feedback["appeal"] = known.get(answer.id)
    else:
        # A question that is not typed never has one (its kind is its revision's for good):
        # no statement to look for it. A typed one may, even once regraded right.
        feedback["appeal"] = appeals.appeal_for(answer.id) if appeals.typed(item) else None
    feedback["can_appeal"] = feedback["appeal"] is None and appeals.can_appeal(item, answer)
    return feedback


def _render_item(
    attempt: service.AttemptRow, item: service.ItemRow, *, parsed=None, status: int = 200
):
    q = item.revision.to_question()
    answered, points = item.progress or service.answered_so_far(attempt.id)
    answer = item.answer
    context = {
        "attempt": attempt,
        "item": item,
        "q": q,
        "answer": answer,
        "answered": answered,
        "points": points,
        "source": source(q),
        "values": parsed.values if parsed else {},
        "errors": parsed.errors if parsed else {},
        "hidden": None,
    }
    if answer is not None or attempt.is_finished:
        # An assignment may keep right answers back until the attempt ends or it is due.
        context["hidden"] = answers_hidden(attempt)
        if context["hidden"]:
            return render_template("quiz/question.html", **context), status
        context["fb"] = _with_appeal(_feedback(q, answer, item.presentation), item, answer)
    else:
        context["view"] = question_view(q, item.presentation)
    return render_template("quiz/question.html", **context), status


@bp.route("/attempts/<int:attempt_id>/items/<int:position>", methods=["GET", "POST"])
def item(attempt_id: int, position: int):
    """Show one question; POST answers it once (a second POST changes nothing)."""
    # The attempt's progress, read with the item: a GET shows it, an answer adds itself to
    # it to tell whether it ends the attempt.
    it = service.load_item(attempt_id, position, progress=True)
    if it is None:
        abort(404)
    attempt = _authorized_or_404(it.attempt)
    # Redirects use attempt_id, not attempt.id: after a commit the attempt is expired and
    # reading its id would cost a query.
    if request.method == "POST" and it.answer is None:
        # Everything is read and checked before the first write: on SQLite the rate-limit
        # hit takes the database's write lock, held until the answer commits, so the other
        # workers wait only for the statements, not for this one's parsing.
        refused = (
            "This quiz is over; the question was not answered in time."
            if attempt.is_finished
            else refusal_for_answer(attempt)
        )
        q = it.revision.to_question()
        parsed = None if refused else parse_form(q, it.presentation, request.form)
        ratelimit.guard("answer", per_account=True, in_request=True)  # every POST counts
        if parsed is None:
            flash(refused or "", "info")
            return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
        if not parsed.ok:
            return _render_item(attempt, it, parsed=parsed, status=422)
        service.record_answer(attempt, it, q, parsed.response, so_far=it.progress)
        return redirect(url_for("quiz.item", attempt_id=attempt_id, position=position))
    if request.method == "POST":
        return redirect(url_for("quiz.item", attempt_id=attempt_id, position=position))
    return _render_item(attempt, it)


@bp.route("/attempts/<int:attempt_id>/items/<int:position>/appeal", methods=["POST"])
@login_required
def appeal(attempt_id: int, position: int):
    """ "I think my answer is right": put a typed answer marked wrong in the review, once."""
    if current_user.is_instructor:
        abort(403)  # students appeal their own answers
    it = service.load_item(attempt_id, position)
    if it is None:
        abort(404)
    _authorized_or_404(it.attempt)
    if it.answer is None or not appeals.can_appeal(it, it.answer):
        abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        appeals.appeal(it, current_user)
    except appeals.CannotAppeal as exc:
        flash(str(exc), "info")
    else:
        flash("Your answer is with the instructor, who will look at it.", "info")
    return redirect(url_for("quiz.item", attempt_id=attempt_id, position=position))


@bp.route("/attempts/<int:attempt_id>/finish", methods=["POST"])
def finish(attempt_id: int):
    """End the quiz now; unanswered questions count as wrong."""
    attempt = get_attempt_or_404(attempt_id)
    form = EmptyForm()
    if form.validate_on_submit() and not refusal_for_answer(attempt):
        service.finish_attempt(attempt)
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
