"""The instructor area: the bank list, editing, life cycle, import, export, statistics.

Every route is for instructors only: a guest is sent to log in, a student gets 403.
"""

from __future__ import annotations

import math
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError

from questions import SECTIONS, Kind, expected_answer, load_digests
from questions import Question as BankQuestion
from questions.formats import (
    EXPORT_FORMATS,
    SAMPLE_CSV,
    ImportDefaults,
    UploadError,
    dump_question,
    parse_upload,
)
from questions.formats.common import problem
from questions.validation import whole_number

from .. import aggregates, bank_export
from ..account.service import send_reset_link
from ..auth.decorators import instructor_required
from ..classes.service import my_students_query, teaches_student
from ..extensions import db
from ..forms import query_int
from ..models import (
    Decision,
    Question,
    QuestionRevision,
    QuestionStat,
    Role,
    Status,
    User,
    normalize_email,
)
from ..stat_keys import FLAGGED
from . import bank_list, diffing, editing, responses, stats, stats_list
from .forms import (
    START_ROWS,
    DecisionForm,
    FilterForm,
    ImportForm,
    QuestionForm,
    ResetLinkForm,
    StatsFilterForm,
    StatusForm,
)
from .preview import preview_facts
from .sorting import BoundedPage, Sort, carried_args, paginate, read_sort, sort_rows

bp = Blueprint("instructor", __name__)

PER_PAGE = 25
STATS_PER_PAGE = 50
CLASS_PER_PAGE = 50
# Sortable columns of each table: the names the URL may give, nothing else reaches SQL.
INDEX_SORTS = ("question", "section", "kind", "difficulty", "state", "answers", "facility")
STATS_SORTS = (
    "question",
    "section",
    "state",
    "answers",
    "students",
    "facility",
    "discrimination",
    "review",
)
# Allowed moves of the life cycle: from -> the states a button may send it to.
TRANSITIONS: dict[str, tuple[Status, ...]] = {
    Status.DRAFT.value: (Status.PUBLISHED, Status.RETIRED),
    Status.PUBLISHED.value: (Status.RETIRED, Status.DRAFT),
    Status.RETIRED.value: (Status.PUBLISHED, Status.DRAFT),
}


@bp.before_request
@instructor_required
def _instructors_only() -> None:
    """Guard every route of the blueprint (each view is also decorated, belt and braces)."""


def _get_question(question_id: int) -> Question:
    """The question with its current revision, or 404."""
    row = db.session.scalar(
        db.select(Question)
        .options(db.joinedload(Question.current_revision))
        .where(Question.id == question_id)
    )
    if row is None or row.current_revision is None:
        abort(404)
    return row


def _revision(row: Question) -> QuestionRevision:
    """The question's current revision (``_get_question`` made sure it has one)."""
    if row.current_revision is None:
        abort(404)
    return row.current_revision


# --- the list ----------------------------------------------------------------------------
@bp.get("/")
@instructor_required
def index() -> str:
    """The bank with search, filters and pages.

    A page of rows read by index and a count that stops at a bound
    (``instructor.bank_list``), so the list costs the same at any bank size.
    """
    form = FilterForm(request.args)
    form.validate()
    sort = read_sort(request.args, INDEX_SORTS, Sort("section"))
    graded = stats.answer_counts().subquery()
    difficulty = QuestionRevision.data["difficulty"].as_integer()
    fallback = {
        "question": Question.uid,
        "section": _section_number(),
        "kind": Question.kind,
        "difficulty": difficulty,
        "state": Question.status,
        "answers": func.coalesce(graded.c.answers, 0),
        "facility": graded.c.facility,
    }

    # A filter with a value outside its choices is ignored (and marked on the form).
    def given(field: Any) -> bool:
        return bool(field.data) and not field.errors

    matches = bank_list.search_matches(form.q.data or "") if given(form.q) else None
    # the questions the statistics page flags, read from their kept review level (keyed
    # for the current setting first, as that page does): not every item's statistics
    flagged = None
    if form.flagged.data:
        if aggregates.rekey(stats.min_students()):
            db.session.commit()
        flagged = db.select(QuestionStat.question_id).where(QuestionStat.review >= FLAGGED)

    def filtered(*columns: Any) -> Any:
        stmt = db.select(*columns).where(Question.current_revision_id.is_not(None))
        if sort.column == "difficulty" or given(form.difficulty) or form.no_explanation.data:
            stmt = stmt.join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        if sort.column in ("answers", "facility"):
            stmt = stmt.outerjoin(graded, graded.c.question_id == Question.id)
        if matches is not None:
            stmt = stmt.where(Question.id.in_(matches))
        if given(form.section):
            stmt = stmt.where(Question.section == form.section.data)
        if given(form.kind):
            stmt = stmt.where(Question.kind == form.kind.data)
        if given(form.difficulty):
            stmt = stmt.where(difficulty == int(form.difficulty.data))
        if given(form.status):
            stmt = stmt.where(Question.status == form.status.data)
        if form.no_explanation.data:
            explanation = QuestionRevision.data["explanation"].as_string()
            stmt = stmt.where(func.coalesce(func.trim(explanation), "") == "")
        if flagged is not None:
            stmt = stmt.where(Question.id.in_(flagged))
        return stmt

    number = max(1, request.args.get("page", 1, type=query_int))
    ids, total = bank_list.page_ids(
        filtered,
        sort,
        fallback,
        offset=(number - 1) * PER_PAGE,
        limit=PER_PAGE + 1,
        bounded=matches is not None,
    )
    if total is None:
        total = bank_list.bounded_count(filtered(Question.id))
    page = bank_list.page_of(ids, number=number, per_page=PER_PAGE, total=total)
    item_stats = stats.item_statistics([q.id for q in page.items])
    return render_template(
        "instructor/index.html",
        form=form,
        page=page,
        item_stats=item_stats,
        sort=sort,
        args=carried_args(request.args, drop=("page",)),
        filter_args=carried_args(request.args, drop=("page", "sort", "order")),
        kinds=list(Kind),
        section_numbers={s.slug: s.number for s in SECTIONS},
    )


def _section_number() -> Any:
    """The article's section number of a question, for sorting in the article's order."""
    return case({s.slug: s.number for s in SECTIONS}, value=Question.section, else_=999)


# --- one question ------------------------------------------------------------------------
@bp.get("/questions/<int:question_id>")
@instructor_required
def question(question_id: int) -> str:
    """A question as students see it, its state, statistics and life-cycle buttons."""
    row = _get_question(question_id)
    bank_q = _revision(row).to_question()
    return render_template(
        "instructor/question.html",
        row=row,
        q=bank_q,
        facts=preview_facts(bank_q),
        bank_text=dump_question(bank_q),
        item=stats.item_statistics([row.id]).get(row.id),
        picks=stats.option_picks(row),
        min_students=stats.min_students(),
        moves=[(s, StatusForm(status=s.value)) for s in TRANSITIONS[row.status]],
        typed=responses.is_typed(row),
    )


@bp.route("/questions/new", methods=["GET"])
@instructor_required
def choose_kind() -> str:
    """Pick the kind of a new question."""
    return render_template("instructor/choose_kind.html", kinds=list(Kind))


@bp.route("/questions/new/<kind>", methods=["GET", "POST"])
@instructor_required
def new_question(kind: str) -> Any:
    """Create a question of one kind; it starts as a draft."""
    try:
        k = Kind(kind)
    except ValueError:
        abort(404)
    form = QuestionForm(kind=k, new=True)
    if request.method == "GET":
        _start_rows(form)
    return _edit(form, row=None)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_question(question_id: int) -> Any:
    """Edit a question; a change adds a revision and keeps the id."""
    row = _get_question(question_id)
    data = QuestionForm.data_for(_revision(row).data) if request.method == "GET" else None
    form = QuestionForm(data=data, kind=Kind(row.kind), new=False)
    return _edit(form, row=row)


def _start_rows(form: QuestionForm) -> None:
    for name, n in START_ROWS.items():
        rows = getattr(form, name)
        while len(rows) < n:
            rows.append_entry()


def _edit(form: QuestionForm, *, row: Question | None) -> Any:
    """The shared flow of create and edit: add a row, preview, or validate and save."""
    preview = None
    if request.method != "POST":
        form.presenter.rework_rows(form)  # a kind's own rows, as the stored question has them
    elif not form.added_row():
        if row is None and not (form.uid.data or "").strip() and (form.prompt.data or "").strip():
            # no id typed: make one from the prompt; the form shows it, still editable
            form.uid.data = editing.made_uid(form.section.data or "", form.prompt.data or "")
        uid = (form.uid.data or "").strip() if row is None else row.uid
        valid = form.validate_on_submit()
        # The bank's rules run even when a field failed, so every problem shows at once.
        mapping = form.check_with_bank_rules(uid=uid)
        if valid and mapping is not None and form.preview.data:
            preview = BankQuestion.from_dict(mapping)
        elif valid and mapping is not None:
            return _save(mapping, row=row)
    return render_template(
        "instructor/edit.html",
        form=form,
        digests=_digests_by_section(),
        sections=SECTIONS,
        row=row,
        kind=form.kind,
        preview=preview,
        facts=preview_facts(preview) if preview else None,
    )


def _digests_by_section() -> dict[str, dict[int, str]]:
    """Each section's paragraph digests by number, for the form's paragraph picker."""
    grouped: dict[str, dict[int, str]] = {}
    for (slug, number), text in sorted(load_digests().items()):
        grouped.setdefault(slug, {})[number] = text
    return grouped


def _save(mapping: dict[str, Any], *, row: Question | None) -> Any:
    if row is None:
        try:
            row = editing.create_question(mapping, author=current_user)
            db.session.commit()
        except IntegrityError:
            # Another instructor saved the same id between our check and this commit.
            db.session.rollback()
            flash(f"The id {mapping['id']} was taken meanwhile; nothing was saved.", "error")
            return redirect(url_for("instructor.new_question", kind=mapping["kind"]))
        flash(f"Created {row.uid} as a draft; publish it when it is ready.", "success")
    elif editing.update_question(row, mapping, author=current_user) is None:
        flash("Nothing changed.", "info")
    else:
        db.session.commit()
        flash(f"Saved {row.uid}: {_revision(row).summary}.", "success")
    return redirect(url_for("instructor.question", question_id=row.id))


@bp.post("/questions/<int:question_id>/status")
@instructor_required
def set_status(question_id: int) -> Any:
    """Publish, retire, or send a question back to draft."""
    row = _get_question(question_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    target = Status(form.status.data)
    if target not in TRANSITIONS[row.status]:
        abort(400)
    editing.set_status(row, target)
    db.session.commit()
    flash(f"{row.uid} is now {target.value}.", "success")
    return redirect(url_for("instructor.question", question_id=row.id))


@bp.get("/questions/<int:question_id>/history")
@instructor_required
def history(question_id: int) -> str:
    """Every revision: who, when, and what changed from the one before."""
    row = _get_question(question_id)
    revisions = db.session.scalars(
        db.select(QuestionRevision)
        .options(db.joinedload(QuestionRevision.author))
        .where(QuestionRevision.question_id == row.id)
        .order_by(QuestionRevision.number.desc())
    ).all()
    previous = {r.number: r for r in revisions}
    entries = [
        (
            r,
            diffing.readable(
                editing.changes(
                    previous[r.number - 1].data if r.number - 1 in previous else None, r.data
                )
            ),
        )
        for r in revisions
    ]
    return render_template("instructor/history.html", row=row, entries=entries)


# --- typed responses: review, accept or reject, appeals -----------------------------------
@bp.get("/responses")
@instructor_required
def responses_overview() -> str:
    """Typed questions with appeals waiting or a wrong response given often."""
    return render_template("instructor/responses.html", rows=responses.questions_to_review())


@bp.route("/questions/<int:question_id>/responses", methods=["GET", "POST"])
@instructor_required
def question_responses(question_id: int) -> Any:
    """Every distinct typed response, grouped; accept or reject one and regrade."""
    row = _get_question(question_id)
    if not responses.is_typed(row):
        abort(404)
    form = DecisionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            regrade = responses.decide(
                row, form.key.data or "", Decision(form.decision.data), by=current_user
            )
        except IntegrityError:
            # another decision on this question made its revision first; this one is undone
            flash("The question changed meanwhile; nothing changed, please try again.", "error")
            return redirect(url_for("instructor.question_responses", question_id=question_id))
        except responses.NoSuchResponse:
            flash("No stored answer has that response any more; nothing changed.", "error")
            return redirect(url_for("instructor.question_responses", question_id=question_id))
        except ValueError as exc:
            flash(f"Nothing changed: {exc}", "error")
            return redirect(url_for("instructor.question_responses", question_id=question_id))
        verb = "accepted" if regrade.decision == Decision.ACCEPT.value else "rejected"
        number = regrade.revision.number if regrade.revision else "?"
        flash(
            f"'{regrade.response}' is {verb} (revision {number}); "
            f"{len(regrade.changes)} answer(s) regraded.",
            "success",
        )
        return redirect(url_for("instructor.question_responses", question_id=question_id))
    current = row.current_revision
    if current is None:
        abort(404)
    bank_q = current.to_question()
    return render_template(
        "instructor/question_responses.html",
        row=row,
        q=bank_q,
        expected=expected_answer(bank_q),
        groups=[responses.describe(g) for g in responses.response_groups(row)],
        history=responses.regrade_history(row),
        form=form,
    )


# --- import and export -------------------------------------------------------------------
@bp.route("/import", methods=["GET", "POST"])
@instructor_required
def import_questions() -> Any:
    """Upload a bank file, CSV or GIFT; all is checked first, then all or nothing."""
    form = ImportForm()
    problems: list[Any] = []
    if form.validate_on_submit():
        upload = form.file.data
        limit = current_app.config["INSTRUCTOR_IMPORT_MAX_BYTES"]
        data = upload.stream.read(limit + 1)
        name = upload.filename or "upload"
        if len(data) > limit:
            form.file.errors.append(f"The file is larger than {limit // 1000} kB; split it.")
        else:
            try:
                items, problems = parse_upload(
                    form.format.data,
                    data,
                    filename=name,
                    defaults=_defaults(form),
                    taken_ids=editing.existing_uids(),
                )
            except UploadError as exc:
                form.file.errors.append(f"{name}: {exc}.")
            else:
                problems += _already_taken(items, filename=name)
                if not problems:
                    return _import(items, form=form, name=name)
    return render_template("instructor/import.html", form=form, problems=problems)


def _defaults(form: ImportForm) -> ImportDefaults:
    paragraph = whole_number(form.paragraph.data or "")  # validate_paragraph: digits or ""
    return ImportDefaults(
        section=form.section.data or None,
        paragraphs=(paragraph,) if paragraph is not None else (),
        difficulty=form.difficulty.data or 1,
        decimal=form.decimal.data or "",
    )


def _already_taken(items: list[Any], *, filename: str) -> list[Any]:
    taken = editing.existing_uids(i.question.id for i in items)
    return [
        problem(
            filename,
            i.line,
            f"id {i.question.id!r} is already in the bank; "
            "change the id, or edit that question instead",
            item=i.question.id,
            field="id",
        )
        for i in items
        if i.question.id in taken
    ]


def _import(items: list[Any], *, form: ImportForm, name: str) -> Any:
    try:
        rows = editing.import_items(
            items, author=current_user, status=Status(form.status.data), source=name
        )
        db.session.commit()
    except IntegrityError:
        # An id was taken by someone else after the check: still all or nothing.
        db.session.rollback()
        flash(
            f"Nothing was imported from {name}: one of its ids was taken meanwhile; "
            "upload it again to see which.",
            "error",
        )
        return redirect(url_for("instructor.import_questions"))
    warnings = [w for i in items for w in i.warnings]
    flash(f"Imported {len(items)} question(s) from {name} as {form.status.data}.", "success")
    ids = [r.id for r in rows]
    if not ids:
        return redirect(url_for("instructor.import_questions"))
    if warnings:
        # The warnings are the report of this import: shown once, with what was imported.
        return render_template(
            "instructor/import_done.html", rows=rows, source=name, warnings=warnings
        )
    return redirect(url_for("instructor.imported", first=min(ids), last=max(ids), source=name))


@bp.get("/import/done")
@instructor_required
def imported() -> str:
    """Exactly the questions of one import, with links: where an import lands.

    The import's questions are the ones in its id range whose first revision this
    instructor made "imported from <file>"; nothing is stored for the page.
    """
    first = request.args.get("first", 0, type=query_int)
    last = request.args.get("last", 0, type=query_int)
    source = request.args.get("source", "")
    rows = db.session.scalars(
        db.select(Question)
        .join(QuestionRevision, QuestionRevision.question_id == Question.id)
        .options(db.joinedload(Question.current_revision))
        .where(
            Question.id.between(first, last),
            QuestionRevision.number == 1,
            QuestionRevision.author_id == current_user.id,
            QuestionRevision.summary == f"imported from {source}",
        )
        .order_by(Question.id)
    ).all()
    return render_template("instructor/import_done.html", rows=rows, source=source)


@bp.get("/import/sample.csv")
@instructor_required
def sample_csv() -> Response:
    """A CSV file with every column and one row per kind."""
    return Response(
        SAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=questions-sample.csv"},
    )


@bp.get("/export/")
@instructor_required
def export_page() -> str:
    """The exports of the published bank, with what each format cannot hold."""
    questions = bank_export.published_questions()
    formats = [
        {"key": key, "label": label, "filename": filename, "notes": dump(questions)[1]}
        for key, (label, dump, filename, _) in EXPORT_FORMATS.items()
    ]
    return render_template("instructor/export.html", formats=formats, count=len(questions))


@bp.get("/export/<fmt>/<filename>")
@instructor_required
def export_file(fmt: str, filename: str) -> Response:
    """The published bank as a Moodle GIFT or Moodle XML file."""
    if fmt not in EXPORT_FORMATS or filename != EXPORT_FORMATS[fmt][2]:
        abort(404)
    _, dump, name, mimetype = EXPORT_FORMATS[fmt]
    text, _ = dump(bank_export.published_questions())
    return Response(
        text,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.get("/export/bank.zip")
@instructor_required
def export_bank() -> Response:
    """The published bank as bank files, ready to commit into questions/bank."""
    return Response(
        bank_export.bank_zip(),
        mimetype="application/zip",
        headers={"Content-Disposition": "attachment; filename=bank.zip"},
    )


# --- statistics --------------------------------------------------------------------------
@bp.get("/statistics")
@instructor_required
def statistics() -> str:
    """Per item: answers, facility, discrimination with intervals, and review flags.

    The database pages the answered questions in the order of an index over the sort keys
    kept per question (``question_stat``, ``stats_list``): a count, the page's ids, then
    the page's statistics and questions, whatever the number of answered questions.
    """
    form = StatsFilterForm(request.args)
    form.validate()
    sort = read_sort(request.args, STATS_SORTS, Sort("section"))
    if aggregates.rekey(stats.min_students()):
        db.session.commit()  # keyed for another setting: re-keyed once, then sorted
    section = form.section.data if form.section.data and not form.section.errors else None
    flagged = bool(form.flagged.data)
    total = bank_list.bounded_count(stats_list.matching(section=section, flagged=flagged))
    # a page out of range gives the last one, as before (when the count is known)
    number = max(1, request.args.get("page", 1, type=query_int))
    if total <= bank_list.COUNT_BOUND:
        number = min(number, max(1, math.ceil(total / STATS_PER_PAGE)))
    # empty values last in both directions, ties by uid ascending (as sort_rows did)
    read = stats_list.page_ids(
        sort,
        section=section,
        flagged=flagged,
        few=total <= bank_list.COUNT_BOUND,
        offset=(number - 1) * STATS_PER_PAGE,
        limit=STATS_PER_PAGE + 1,
    )
    ids = read[:STATS_PER_PAGE]
    page = BoundedPage(
        ids,
        number,
        STATS_PER_PAGE,
        min(total, bank_list.COUNT_BOUND),
        more=total > bank_list.COUNT_BOUND,
        next_exists=len(read) > STATS_PER_PAGE,
    )
    item_stats = stats.item_statistics(ids)
    loaded = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question)
            .options(db.joinedload(Question.current_revision))
            .where(Question.id.in_(ids))
        )
    }
    numbers = {s.slug: s.number for s in SECTIONS}
    return render_template(
        "instructor/statistics.html",
        form=form,
        page=page,
        rows=[loaded[qid] for qid in ids],
        item_stats=item_stats,
        thresholds=stats,
        min_students=stats.min_students(),
        section_numbers=numbers,
        sort=sort,
        args=carried_args(request.args, drop=("page",)),
        filter_args=carried_args(request.args, drop=("page", "sort", "order")),
    )


@bp.get("/class")
@instructor_required
def class_overview() -> str:
    """The students of my classes: attempts, mean score and mastery per section, as a
    sortable heat map."""
    columns = ("student", "attempts", "mean", *(f"s{s.number}" for s in SECTIONS))
    sort = read_sort(request.args, columns, Sort("student"))
    keys: dict[str, Any] = {
        "student": lambda st: st.email,
        "attempts": lambda st: st.attempts,
        "mean": lambda st: st.mean_score,
        **{f"s{s.number}": (lambda st, slug=s.slug: st.mastery.get(slug)) for s in SECTIONS},
    }
    page = paginate(
        sort_rows(
            stats.class_overview(within=my_students_query(current_user.id)),
            keys,
            sort,
            tie=lambda st: st.email,
        ),
        page=request.args.get("page", 1, type=query_int),
        per_page=CLASS_PER_PAGE,
    )
    return render_template(
        "instructor/class.html",
        page=page,
        students=page.items,
        sections=SECTIONS,
        sort=sort,
        args=carried_args(request.args, drop=("page",)),
        filter_args=carried_args(request.args, drop=("page", "sort", "order")),
        reset_form=ResetLinkForm(),
    )


@bp.get("/students/<int:user_id>")
@instructor_required
def student(user_id: int) -> str:
    """One student: their attempts, mastery per section and the questions they miss."""
    user = db.get_or_404(User, user_id)
    if user.role != Role.STUDENT.value:
        abort(404)
    if not teaches_student(current_user.id, user.id):
        abort(403)  # an instructor sees only the students of their own classes
    return render_template(
        "instructor/student.html", detail=stats.student_detail(user), sections=SECTIONS
    )


@bp.post("/reset-link")
@instructor_required
def reset_link() -> Any:
    """Mail a student a password reset link, and show it to hand over in person."""
    form = ResetLinkForm()
    if form.validate_on_submit():
        email = normalize_email(form.email.data or "")
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            flash(f"No account uses {email}.", "error")
        else:
            link = send_reset_link(user)
            flash(f"A reset link is mailed to {email} (valid for an hour, once): {link}", "success")
    else:
        flash("Give the student's email address.", "error")
    return redirect(url_for("instructor.class_overview"))
