"""App-wide error pages, answering JSON to clients that ask for it."""

from __future__ import annotations

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .extensions import db, login_manager

# How long a client is asked to wait (Retry-After) when the database does not answer.
RETRY_AFTER_SECONDS = 30
# Errors that mean "the database cannot be reached or is busy", not "this request is bad".
DATABASE_DOWN = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _too_large_message(app: Flask) -> str:
    limit = app.config.get("MAX_CONTENT_LENGTH")
    size = f" (the limit is {limit / 1_000_000:g} MB)" if limit else ""
    return (
        f"That was more than the site accepts in one request{size}. "
        "Send a smaller file or a shorter answer; nothing was saved."
    )


def _rollback_quietly() -> None:
    """Roll the session back; with the database gone that may fail too, which is fine."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  # the connection is already lost
        pass


def database_unavailable() -> Response:
    """503 with Retry-After, drawn without the database: the visitor is shown as a guest
    (the page would otherwise load the signed-in user, a query that fails again)."""
    _rollback_quietly()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    if _wants_json():
        response = jsonify(
            error="Service Unavailable",
            description="The database is not answering; try again shortly.",
        )
        response.status_code = 503
    else:
        response = make_response(render_template("errors/unavailable.html"), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register(app: Flask) -> None:
    """Attach the handlers for HTTP errors and unexpected exceptions."""

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    @app.errorhandler(sa_exc.TimeoutError)
    def database_error(error: Exception):
        app.logger.error("database unavailable: %s", error)
        return database_unavailable()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            _rollback_quietly()
        if isinstance(error, RequestEntityTooLarge):
            error.description = _too_large_message(app)
        if _wants_json():
            return jsonify(error=error.name, description=error.description), error.code
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(500)
    def internal_error(error):
        _rollback_quietly()
        if _wants_json():
            return jsonify(error="Internal Server Error"), 500
        try:
            return render_template("errors/error.html", error=None), 500
        except DATABASE_DOWN:  # the page's own query failed: the database is the trouble
            return database_unavailable()
