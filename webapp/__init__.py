"""The quiz site: ``create_app`` shows how the application is assembled."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import security
from .config import (
    DEV_SECRET_KEY,
    InsecureConfigError,
    database_url_from_env,
    production_from_env,
    secret_key_problem,
)
from .extensions import csrf, db, login_manager, migrate
from .flaskapp import QuizFlask
from .mail import mail
from .models.bank import in_models

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGRATIONS_DIR = os.path.join(ROOT, "migrations")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance ``config.py`` and ``FLASK_*`` env, or ``config``.

    Raises:
        InsecureConfigError: production mode without a real ``SECRET_KEY``.
    """
    app = QuizFlask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object("webapp.config.Config")
    if config is None:
        _read_environment(app)
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
        _check_environment(app)
    else:
        app.config.from_mapping(config)
    _check_settings(app)
    if app.config["PRODUCTION"]:
        _configure_production(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        # Flask's documented way to add middleware; mypy takes wsgi_app for a plain method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "quiz.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"

    # No SMTP server configured: mail is logged (and recorded for tests), never sent.
    app.config["MAIL_SERVER_SET"] = bool(app.config.get("MAIL_SERVER"))
    if not app.config["MAIL_SERVER_SET"]:
        app.config["MAIL_SUPPRESS_SEND"] = True
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=MIGRATIONS_DIR,
        render_as_batch=True,
        include_name=in_models,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            security.tune_sqlite(db.engine)
        elif db.engine.dialect.driver == "psycopg":
            security.tune_postgresql(db.engine)
    security.bound_url_ids(app)

    mail.init_app(app)

    # One line per area: the whole URL map.
    from .account.views import bp as account_bp
    from .article.views import bp as article_bp
    from .auth.views import bp as auth_bp
    from .classes.instructor_views import bp as class_admin_bp
    from .classes.views import bp as classes_bp
    from .dashboard.views import bp as dashboard_bp
    from .export.views import bp as export_bp
    from .instructor.views import bp as instructor_bp
    from .main.views import bp as main_bp
    from .quiz.views import bp as quiz_bp
    from .study.views import bp as study_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(article_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(classes_bp)
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(study_bp, url_prefix="/study")
    app.register_blueprint(export_bp, url_prefix="/anki")
    app.register_blueprint(instructor_bp, url_prefix="/instructor")
    app.register_blueprint(class_admin_bp, url_prefix="/instructor/classes")

    from . import aggregates, assets, cli, errors, request_log, static_gzip, templating

    aggregates.listen()

    request_log.register(app)
    errors.register(app)
    security.register(app)
    cli.register(app)
    templating.register(app)
    assets.register(app)
    static_gzip.register(app)
    return app


def warm_up() -> None:
    """Build now what a worker's first request of some kind would build and wait for.

    gunicorn's ``post_worker_init`` calls it (deploy/gunicorn.conf.py): the typed-answer
    grader's known terms (:mod:`questions.vocabulary`) are read from the shipped bank, about
    0.4 s of CPU, once per process, which the first typed answer a worker graded paid.
    """
    from questions import vocabulary

    vocabulary.default()


def _read_environment(app: Flask) -> None:
    """Plain ``SECRET_KEY``, ``DATABASE_URL`` and ``APP_ENV``, read when the app is built."""
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url_from_env(os.environ["DATABASE_URL"])
    for name in (
        "MAIL_SERVER",
        "MAIL_PORT",
        "MAIL_USERNAME",
        "MAIL_PASSWORD",
        "MAIL_DEFAULT_SENDER",
    ):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if os.environ.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    if os.environ.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = os.environ["MAIL_OUTBOX_DIR"]
    if production_from_env(os.environ.get("APP_ENV")):
        app.config["PRODUCTION"] = True


def _check_environment(app: Flask) -> None:
    """Read ``FLASK_*`` values that must stay text as text; refuse contradictions.

    ``from_prefixed_env`` reads each value as JSON when it can: a key of digits became an
    int, which made every page a 500.
    """
    if "FLASK_SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
    app_env = os.environ.get("APP_ENV", "").strip()
    if app_env and production_from_env(app_env) != app.config["PRODUCTION"]:
        source = (
            f"FLASK_PRODUCTION={os.environ['FLASK_PRODUCTION']}"
            if "FLASK_PRODUCTION" in os.environ
            else "PRODUCTION in instance/config.py"
        )
        raise InsecureConfigError(
            f"APP_ENV={app_env} and {source} contradict each other: production mode is "
            "chosen by APP_ENV=production; remove the other setting."
        )


def _check_settings(app: Flask) -> None:
    """Settings whose type or combination would fail later, refused now with their names."""
    if not isinstance(app.config["PRODUCTION"], bool):
        raise InsecureConfigError(
            f"PRODUCTION (FLASK_PRODUCTION) must be true or false, not "
            f"{app.config['PRODUCTION']!r}; production mode is chosen by APP_ENV=production."
        )
    key = app.config.get("SECRET_KEY")
    if key is not None and not isinstance(key, (str, bytes)):
        raise InsecureConfigError(
            f"SECRET_KEY must be text, not {type(key).__name__}: quote it in instance/config.py."
        )
    if app.config["PRODUCTION"] and (
        app.debug or os.environ.get("FLASK_DEBUG", "") not in ("", "0")
    ):
        raise InsecureConfigError(
            "FLASK_DEBUG is on in production mode: the debugger runs any code a visitor "
            "sends. Unset FLASK_DEBUG (and DEBUG in instance/config.py)."
        )


def _configure_production(app: Flask) -> None:
    """Refuse a guessable SECRET_KEY, make cookies Secure, log every request."""
    key = app.config.get("SECRET_KEY")
    if not key or key == DEV_SECRET_KEY:
        raise InsecureConfigError(
            "production mode needs a SECRET_KEY of your own: the key is "
            + ("missing" if not key else "the built-in development key")
            + '. Set SECRET_KEY (e.g. python -c "import secrets; print(secrets.token_hex(32))")'
            " in the environment or in instance/config.py."
        )
    weak = secret_key_problem(key)
    if weak:
        raise InsecureConfigError(
            f"production mode needs a random SECRET_KEY: {weak}. Make one with "
            'python -c "import secrets; print(secrets.token_hex(32))".'
        )
    # Sessions and "remember me" only travel over HTTPS (put TLS in front of gunicorn).
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
    from .request_log import log_to_stderr

    log_to_stderr()
