"""The student's side of classes: join with a code, and the assignments due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import EmptyForm
from ..models import Assignment
from . import assignments, service
from .forms import JoinCodeForm, JoinForm
from .schedule import show

bp = Blueprint("classes", __name__)


@bp.app_template_filter("class_time")
def class_time(value: datetime | None, zone: str) -> str:
    """A stored UTC time in a class's time zone, with the zone's abbreviation."""
    return show(value, zone)


def _students_only() -> None:
    if current_user.is_instructor:
        abort(403)  # instructors teach classes; they do not join them or take assignments


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join_by_code() -> Any:
    """Type a class code; it leads to the class's confirmation page."""
    _students_only()
    form = JoinCodeForm()
    if form.validate_on_submit():
        code = service.clean_code(form.code.data)
        if service.class_by_code(code) is None:
            form.code.errors = [service.UNKNOWN_CODE]
        else:
            return redirect(url_for("classes.join", code=code))
    status = 422 if request.method == "POST" else 200
    return render_template("classes/join_code.html", form=form), status


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join(code: str) -> Any:
    """Confirm joining the class of a join link; POST joins."""
    _students_only()
    classroom = service.class_by_code(service.clean_code(code))
    member = service.membership(classroom.id, current_user.id) if classroom else None
    if classroom is not None and member is not None and member.removed_at is None:
        flash(f"You are already in {classroom.name}.", "info")
        return redirect(url_for("classes.assignments_list"))
    try:
        service.check_can_join(classroom, current_user)
    except service.JoinRefused as exc:
        status = 404 if classroom is None else 403
        return render_template("classes/join.html", refused=str(exc), classroom=None), status
    assert classroom is not None  # check_can_join refuses a missing class
    form = JoinForm()
    if form.validate_on_submit():
        service.join(classroom, current_user, name=form.name.data or "")
        db.session.commit()
        flash(f"You joined {classroom.name}.", "success")
        return redirect(url_for("classes.assignments_list"))
    status = 422 if request.method == "POST" else 200
    return render_template("classes/join.html", form=form, classroom=classroom), status


@bp.get("/assignments")
@login_required
def assignments_list() -> str:
    """The student's assignments, soonest due first, with where they stand on each."""
    _students_only()
    rows = assignments.for_student(current_user.id)
    return render_template(
        "classes/assignments.html",
        rows=rows,
        classes=service.student_classes(current_user.id),
        start_form=EmptyForm(),
    )


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start(assignment_id: int) -> Any:
    """Start (or resume) an assignment: an attempt like any other quiz."""
    _students_only()
    assignment = db.get_or_404(Assignment, assignment_id)
    if not assignments.is_member(assignment.class_id, current_user.id):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = assignments.start(assignment, current_user.id)
    except assignments.CannotStart as exc:
        flash(str(exc), "info")
        return redirect(url_for("classes.assignments_list"))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
