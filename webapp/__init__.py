"""The quiz site: ``create_app`` shows how the application is assembled."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import security
from .extensions import csrf, db, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGRATIONS_DIR = os.path.join(ROOT, "migrations")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance ``config.py`` and ``FLASK_*`` env, or ``config``."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_object("webapp.config.Config")
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "quiz.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    _enforce_sqlite_foreign_keys(app)
    security.bound_url_ids(app)

    # One line per area: the whole URL map.
    from .auth.views import bp as auth_bp
    from .dashboard.views import bp as dashboard_bp
    from .export.views import bp as export_bp
    from .instructor.views import bp as instructor_bp
    from .main.views import bp as main_bp
    from .quiz.views import bp as quiz_bp
    from .study.views import bp as study_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(study_bp, url_prefix="/study")
    app.register_blueprint(export_bp, url_prefix="/anki")
    app.register_blueprint(instructor_bp, url_prefix="/instructor")

    from . import cli, errors, templating

    errors.register(app)
    security.register(app)
    cli.register(app)
    templating.register(app)
    return app


def _enforce_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite: foreign keys on (like PostgreSQL), WAL and a busy timeout for many workers."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        security.tune_sqlite(db.engine)
