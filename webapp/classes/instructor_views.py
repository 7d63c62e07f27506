"""The instructor's side of classes, under /instructor/classes: like the rest of the
instructor area, a guest is sent to log in and a student gets 403.

Every route of a class goes through ``service.class_for_instructor``: an instructor who
does not teach the class gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import instructor_required
from ..extensions import db
from ..forms import EmptyForm
from ..models import Assignment, Classroom, Membership
from ..timezones import zone_name
from . import results, service
from .forms import AssignmentForm, ClassForm, InviteForm

bp = Blueprint("class_admin", __name__)


@bp.before_request
@instructor_required
def _instructors_only() -> None:
    """Guard every route of the blueprint (each view is also decorated, belt and braces)."""


def _class(class_id: int) -> Classroom:
    return service.class_for_instructor(class_id, current_user)


def _assignment(classroom: Classroom, assignment_id: int) -> Assignment:
    assignment = db.get_or_404(Assignment, assignment_id)
    if assignment.class_id != classroom.id:
        abort(404)
    return assignment


def _member(classroom: Classroom, user_id: int) -> Membership:
    member = service.membership(classroom.id, user_id)
    if member is None:
        abort(404)
    return member


@bp.get("/")
@instructor_required
def index() -> str:
    """The classes I teach."""
    return render_template(
        "classes/instructor/index.html", classes=service.taught_classes(current_user.id)
    )


@bp.route("/new", methods=["GET", "POST"])
@instructor_required
def new() -> Any:
    """Create a class: it gets a join code and a join link at once."""
    form = ClassForm()
    if request.method == "GET":
        form.time_zone.data = zone_name(current_user)
    if form.validate_on_submit():
        classroom = service.create_class(
            name=form.name.data or "",
            term=form.term.data,
            time_zone=form.time_zone.data or "UTC",
            owner=current_user,
        )
        db.session.commit()
        flash(f"{classroom.name} is created. Give your students its code or link.", "success")
        return redirect(url_for("class_admin.show", class_id=classroom.id))
    status = 422 if request.method == "POST" else 200
    return render_template("classes/instructor/new.html", form=form), status


@bp.get("/<int:class_id>")
@instructor_required
def show(class_id: int) -> str:
    """A class: its code and link, students, assignments and instructors."""
    classroom = _class(class_id)
    return render_template(
        "classes/instructor/show.html",
        classroom=classroom,
        members=service.members(class_id),
        removed=service.members(class_id, removed=True),
        assignments=results.class_assignments(class_id),
        instructors=service.instructors(class_id),
        join_url=url_for("classes.join", code=classroom.join_code, _external=True),
        button=EmptyForm(),
        invite_form=InviteForm(),
    )


@bp.post("/<int:class_id>/code")
@instructor_required
def rotate_code(class_id: int) -> Any:
    """Give the class a new code: the old code and link stop working."""
    classroom = _class(class_id)
    if EmptyForm().validate_on_submit():
        code = service.rotate_code(classroom)
        db.session.commit()
        flash(f"The new code is {code}; the old one no longer works.", "success")
    return redirect(url_for("class_admin.show", class_id=class_id))


@bp.post("/<int:class_id>/joining")
@instructor_required
def toggle_joining(class_id: int) -> Any:
    """Close joining (the code stops admitting new students) or open it again."""
    classroom = _class(class_id)
    if EmptyForm().validate_on_submit():
        classroom.joining_open = not classroom.joining_open
        db.session.commit()
        flash("Joining is open." if classroom.joining_open else "Joining is closed.", "success")
    return redirect(url_for("class_admin.show", class_id=class_id))


@bp.post("/<int:class_id>/students/<int:user_id>/remove")
@instructor_required
def remove_student(class_id: int, user_id: int) -> Any:
    """Take a student out of the class (their attempts stay; the gradebook drops them)."""
    classroom = _class(class_id)
    member = _member(classroom, user_id)
    if EmptyForm().validate_on_submit() and service.remove_student(classroom, user_id):
        db.session.commit()
        flash(f"{member.name} is removed from the class.", "success")
    return redirect(url_for("class_admin.show", class_id=class_id))


@bp.post("/<int:class_id>/students/<int:user_id>/restore")
@instructor_required
def restore_student(class_id: int, user_id: int) -> Any:
    """Put a removed student back in the class."""
    classroom = _class(class_id)
    member = _member(classroom, user_id)
    if EmptyForm().validate_on_submit() and service.restore_student(classroom, user_id):
        db.session.commit()
        flash(f"{member.name} is back in the class.", "success")
    return redirect(url_for("class_admin.show", class_id=class_id))


@bp.post("/<int:class_id>/instructors")
@instructor_required
def invite(class_id: int) -> Any:
    """Add a co-instructor by the email of their instructor account."""
    classroom = _class(class_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = service.add_instructor(classroom, form.email.data or "")
        except ValueError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{user.email} now teaches {classroom.name}.", "success")
    else:
        flash("Give the email address of an instructor account.", "error")
    return redirect(url_for("class_admin.show", class_id=class_id))


@bp.route("/<int:class_id>/assignments/new", methods=["GET", "POST"])
@instructor_required
def new_assignment(class_id: int) -> Any:
    """Set an assignment: which questions, when it opens and is due, attempts, answers."""
    classroom = _class(class_id)
    form = AssignmentForm(zone_name=classroom.time_zone)
    if form.validate_on_submit():
        assignment = Assignment(class_id=classroom.id, **form.values())
        db.session.add(assignment)
        db.session.commit()
        flash(f"{assignment.title} is set.", "success")
        return redirect(url_for("class_admin.show", class_id=class_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "classes/instructor/new_assignment.html", classroom=classroom, form=form
    ), status


@bp.get("/<int:class_id>/assignments/<int:assignment_id>")
@instructor_required
def assignment(class_id: int, assignment_id: int) -> str:
    """An assignment's results: each student's, and each question's across the class."""
    classroom = _class(class_id)
    found = _assignment(classroom, assignment_id)
    rows, breakdown = results.assignment_results(classroom, found)
    return render_template(
        "classes/instructor/assignment.html",
        classroom=classroom,
        assignment=found,
        rows=rows,
        breakdown=breakdown,
    )


@bp.get("/<int:class_id>/students/<int:user_id>")
@instructor_required
def student(class_id: int, user_id: int) -> str:
    """One student of the class and where they stand on each assignment."""
    classroom = _class(class_id)
    member = _member(classroom, user_id)
    rows = results.student_assignments(classroom, member)
    return render_template(
        "classes/instructor/student.html", classroom=classroom, member=member, rows=rows
    )


@bp.get("/<int:class_id>/gradebook")
@instructor_required
def gradebook(class_id: int) -> str:
    """Students by assignments: the points that count, late work marked."""
    classroom = _class(class_id)
    book = results.gradebook(classroom)
    return render_template("classes/instructor/gradebook.html", classroom=classroom, book=book)


@bp.get("/<int:class_id>/gradebook.csv")
@instructor_required
def gradebook_csv(class_id: int) -> Response:
    """The gradebook as CSV for an LMS: name, email, one points column per assignment."""
    classroom = _class(class_id)
    book = results.gradebook(classroom)
    filename = f"gradebook-class-{classroom.id}.csv"
    return Response(
        results.gradebook_csv(book),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
