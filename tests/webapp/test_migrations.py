"""The migrations build exactly the models' schema, so a model change without one fails."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp import create_app
from webapp.extensions import db

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
