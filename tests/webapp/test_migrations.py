"""The migrations build exactly the models' schema, so a model change without one fails."""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp import create_app
from webapp.extensions import db
from webapp.models import search_text

# `database` (conftest) is an empty SQLite file or PostgreSQL schema.


def _diff(app):
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "render_as_batch": True}
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
        finally:
            db.engine.dispose()
    assert text == search_text(data) == "which river?\namur\nvolga\nthe amur."
