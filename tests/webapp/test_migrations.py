"""The migrations build exactly the models' schema, so a model change without one fails."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp import create_app
from webapp.extensions import db
from webapp.instructor.search import matching_ids
from webapp.models import search_text
from webapp.models.bank import in_models

# `database` (conftest) is an empty SQLite file or PostgreSQL schema.


def _diff(app):
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn,
                    # the search index is left out: no model maps it (see in_models)
                    opts={
                        "compare_type": True,
                        "render_as_batch": True,
                        "include_name": in_models,
                    },
                )
                return compare_metadata(context, db.metadata)
        finally:
            db.engine.dispose()


def test_upgrade_on_an_empty_database_matches_the_models(database):
    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with app.app_context():
        upgrade()
    assert _diff(app) == []


def test_downgrade_to_base_and_upgrade_again(database):
    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
    assert _diff(app) == []


def test_search_text_is_filled_for_revisions_saved_before_it_existed(database):
    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    data = {
        "id": "history-old",
        "kind": "single_choice",
        "section": "history",
        "prompt": "Which river?",
        "options": [{"text": "Amur", "correct": True}, {"text": "Volga"}],
        "explanation": "The Amur.",
    }
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0002_login_failure")
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO question (id, uid, section, kind, status, origin,"
                        " created_at, updated_at) VALUES (1, 'history-old', 'history',"
                        " 'single_choice', 'published', 'bank', :now, :now)"
                    ),
                    {"now": now},
                )
                conn.execute(
                    sa.insert(
                        sa.table(
                            "question_revision",
                            *(sa.column(c) for c in ("id", "question_id", "number")),
                            sa.column("data", sa.JSON),
                            *(sa.column(c) for c in ("content_hash", "created_at", "summary")),
                        )
                    ).values(
                        id=1,
                        question_id=1,
                        number=1,
                        data=data,
                        content_hash="x" * 64,
                        created_at=now,
                        summary="",
                    )
                )
        finally:
            db.engine.dispose()
        upgrade()
        try:
            with db.engine.connect() as conn:
                text = conn.scalar(sa.text("SELECT search_text FROM question_revision"))
                # ... and the text index (0010_search_index) holds the rows saved before it
                found = conn.scalars(matching_ids("VOLG")).all()
                missed = conn.scalars(matching_ids("options")).all()
        finally:
            db.engine.dispose()
    assert text == search_text(data) == "which river?\namur\nvolga\nthe amur."
    assert (found, missed) == ([1], [])


def test_study_days_counted_in_utc_are_counted_again_in_the_students_zone(database):
    """Rows written when the study day turned over at UTC midnight move to 4 a.m. local."""
    from datetime import date

    table = sa.table(
        "study_day",
        sa.column("day", sa.Date),
        *(sa.column(c) for c in ("user_id", "reviews", "known", "kept")),
    )
    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0005_typed_review")
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.insert(
                        sa.table(
                            "user",
                            *(sa.column(c) for c in ("id", "email", "password_hash", "role")),
                            sa.column("settings", sa.JSON),
                            sa.column("created_at"),
                        )
                    ).values(
                        id=1,
                        email="a@example.org",
                        password_hash="x",
                        role="student",
                        settings={"time_zone": "America/New_York"},
                        created_at=now,
                    )
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO question (id, uid, section, kind, status, origin,"
                        " created_at, updated_at) VALUES (1, 'history-x', 'history',"
                        " 'single_choice', 'published', 'bank', :now, :now)"
                    ),
                    {"now": now},
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO study_card (id, user_id, question_id, state, reps,"
                        " lapses, due, created_at) VALUES (1, 1, 1, 2, 2, 0, :now, :now)"
                    ),
                    {"now": now},
                )
                # 01:00 and 03:00 UTC on 10 March are 20:00 and 22:00 on the 9th in New York
                for number, hour, state_before in ((1, 1, 1), (2, 3, 2)):
                    at = datetime(2026, 3, 10, hour, tzinfo=UTC)
                    conn.execute(
                        sa.text(
                            "INSERT INTO review_log (card_id, user_id, question_id,"
                            " review_number, rating, reviewed_at, state_before, state_after,"
                            " due_after) VALUES (1, 1, 1, :n, 3, :at, :sb, 2, :at)"
                        ),
                        {"n": number, "at": at, "sb": state_before},
                    )
                conn.execute(
                    sa.insert(table).values(
                        user_id=1, day=date(2026, 3, 10), reviews=2, known=1, kept=1
                    )
                )
        finally:
            db.engine.dispose()
        upgrade()
        try:
            with db.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(
                        table.c.user_id, table.c.day, table.c.reviews, table.c.known, table.c.kept
                    )
                ).all()
        finally:
            db.engine.dispose()
    assert [tuple(r) for r in rows] == [(1, date(2026, 3, 9), 2, 1, 1)]


def test_option_picks_of_answers_stored_before_them_are_counted(database):
    """0011_option_picks fills its figures from the answers there: the rows the quiz kept."""
    import random

    from webapp.bank_sync import sync_bank
    from webapp.models import OptionStat, Role, StudentSection, User

    from . import fixture_bank

    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    rng = random.Random(11)
    rows = sa.select(OptionStat.revision_id, OptionStat.option, OptionStat.picks).order_by(
        OptionStat.revision_id, OptionStat.option
    )
    sections = sa.select(
        StudentSection.section, StudentSection.graded, StudentSection.graded_score
    ).order_by(StudentSection.section)
    with app.app_context():
        upgrade()
        try:
            sync_bank(fixture_bank.questions())
            user = User(email="s@example.com", role=Role.STUDENT.value)
            user.set_password("not used here")
            db.session.add(user)
            db.session.commit()
            _take_quizzes(user.id, rng, quizzes=6, size=6)
            kept = db.session.execute(rows).all()
            rest = db.session.scalar(sa.select(sa.func.sum(OptionStat.rest_sum)))
            graded = db.session.execute(sections).all()
            db.session.remove()
        finally:
            db.engine.dispose()
        downgrade(revision="0010_search_index")
        upgrade()
        try:
            filled = db.session.execute(rows).all()
            refilled_rest = db.session.scalar(sa.select(sa.func.sum(OptionStat.rest_sum)))
            regraded = db.session.execute(sections).all()
            db.session.remove()
        finally:
            db.engine.dispose()
    assert kept and len({option for _, option, _ in kept}) > 1
    assert filled == kept
    assert round(refilled_rest, 9) == round(rest, 9)
    # ... and student_section's finished answers and their score (the class overview)
    assert graded and all(n > 0 for _, n, _ in graded)
    assert [(s, n, round(x, 9)) for s, n, x in regraded] == [
        (s, n, round(x, 9)) for s, n, x in graded
    ]


def test_attempt_totals_of_attempts_finished_before_them_are_counted(database):
    """0012_student_attempts fills each student's finished attempts, mean and best from
    the attempts there: the row the quiz kept (an attempt ended unanswered included)."""
    import random

    from webapp.bank_sync import sync_bank
    from webapp.models import Mode, Role, StudentAttempts, User
    from webapp.quiz import service

    from . import fixture_bank

    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    rng = random.Random(12)
    rows = sa.select(
        StudentAttempts.user_id,
        StudentAttempts.finished,
        StudentAttempts.scored,
        StudentAttempts.score_sum,
        StudentAttempts.best,
    ).order_by(StudentAttempts.user_id)
    with app.app_context():
        upgrade()
        try:
            sync_bank(fixture_bank.questions())
            for n in range(2):
                user = User(email=f"s{n}@example.com", role=Role.STUDENT.value)
                user.set_password("not used here")
                db.session.add(user)
                db.session.commit()
                _take_quizzes(user.id, rng, quizzes=3, size=4)
                ended = service.create_attempt(
                    mode=Mode.SECTION,
                    sections=["history"],
                    size=4,
                    user_id=user.id,
                    guest_token=None,
                )
                service.finish_attempt(ended)  # nothing answered: a score of 0
            kept = [(u, f, s, round(x, 9), b) for u, f, s, x, b in db.session.execute(rows)]
            db.session.remove()
        finally:
            db.engine.dispose()
        downgrade(revision="0011_option_picks")
        upgrade()
        try:
            filled = [(u, f, s, round(x, 9), b) for u, f, s, x, b in db.session.execute(rows)]
            db.session.remove()
        finally:
            db.engine.dispose()
    assert len(kept) == 2 and all(f == 4 for _, f, _, _, _ in kept)
    assert filled == kept


def _take_quizzes(user_id: int, rng, *, quizzes: int, size: int) -> None:  # noqa: ANN001
    """``quizzes`` history quizzes of ``size`` answered through the quiz service, each
    answer right or wrong at random (each quiz ends with its last answer)."""
    from werkzeug.datastructures import MultiDict

    from webapp.models import Mode
    from webapp.quiz import service
    from webapp.quiz.presentation import parse_form

    from .helpers import right_form, wrong_form

    for _ in range(quizzes):
        attempt = service.create_attempt(
            mode=Mode.SECTION, sections=["history"], size=size, user_id=user_id, guest_token=None
        )
        for item in list(attempt.items):
            q = item.revision.to_question()
            form = (right_form if rng.random() < 0.5 else wrong_form)(q, item.presentation)
            parsed = parse_form(q, item.presentation, MultiDict(form))
            service.record_answer(attempt, item, q, parsed.response)


def test_the_statistics_sort_keys_are_filled_for_rows_kept_before_them(database):
    """0013 fills the new columns of question_stat from the question and the sums, and
    the first statistics page keys the review level with the app's setting: then the rows
    equal what the app writes itself (``webapp.stat_keys``)."""
    from webapp import aggregates
    from webapp.instructor.stats import pearson
    from webapp.models import QuestionStat

    url, engine_options = database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    app.config["STATS_MIN_STUDENTS"] = 2
    now = datetime(2026, 1, 1, tzinfo=UTC)
    # (uid, section, status, answers, students, sx, sy, sxx, syy, sxy): a defined
    # discrimination, one with no spread, and one answer
    kept = [
        ("history-a", "history", "published", 4, 3, 2.0, 6.0, 2.0, 10.0, 4.0),
        ("economy-b", "economy-energy", "retired", 3, 2, 3.0, 3.0, 3.0, 5.0, 3.0),
        ("history-c", "history", "draft", 1, 1, 0.5, 1.0, 0.25, 1.0, 0.5),
    ]
    with app.app_context():
        upgrade(revision="0012_student_attempts")
        try:
            with db.engine.begin() as conn:
                for i, (uid, section, status, *sums) in enumerate(kept, 1):
                    conn.execute(
                        sa.text(
                            "INSERT INTO question (id, uid, section, kind, status, origin,"
                            " created_at, updated_at) VALUES (:id, :uid, :section, 'true_false',"
                            " :status, 'bank', :now, :now)"
                        ),
                        {"id": i, "uid": uid, "section": section, "status": status, "now": now},
                    )
                    conn.execute(
                        sa.text(
                            "INSERT INTO question_stat (question_id, answers, students, sx, sy,"
                            " sxx, syy, sxy) VALUES (:id, :n, :s, :sx, :sy, :sxx, :syy, :sxy)"
                        ),
                        dict(
                            zip(
                                ("id", "n", "s", "sx", "sy", "sxx", "syy", "sxy"),
                                [i, *sums],
                                strict=True,
                            )
                        ),
                    )
        finally:
            db.engine.dispose()
        upgrade()
        try:
            columns = [c.name for c in QuestionStat.__table__.columns]

            def rows() -> list[dict]:
                stmt = db.select(*QuestionStat.__table__.columns).order_by(QuestionStat.question_id)
                return [dict(zip(columns, row, strict=True)) for row in db.session.execute(stmt)]

            migrated = rows()
            assert aggregates.rekey(2)  # the page's first visit: keyed 0 is never current
            db.session.commit()
            keyed = rows()
            assert not aggregates.rekey(2)  # once
        finally:
            db.session.remove()
            db.engine.dispose()
    mirrored = [(r["uid"], r["section"], r["status"]) for r in migrated]
    assert mirrored == [k[:3] for k in kept]
    # the figures the migration computed are the app's to the last bit
    for before, after in zip(migrated, keyed, strict=True):
        assert {k: v for k, v in before.items() if k not in ("review", "keyed")} == {
            k: v for k, v in after.items() if k not in ("review", "keyed")
        }
    assert [r["facility"] for r in keyed] == [0.5, 1.0, 0.5]
    assert keyed[0]["discrimination"] == pytest.approx(pearson(*kept[0][3:4], *kept[0][5:]))
    assert keyed[0]["discrimination"] == pytest.approx(1.0)
    assert [r["no_discrimination"] for r in keyed] == [0, 1, 1]
    # 3 students, facility 0.5, r 1: no flag; 2 students, facility 1: too easy and
    # nothing to discriminate by; 1 student: too few for flags
    assert [r["review"] for r in keyed] == [1, 2, 0]
