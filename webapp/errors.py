"""App-wide error pages, answering JSON to clients that ask for it."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .extensions import db


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


def register(app: Flask) -> None:
    """Attach the handlers for HTTP errors and unexpected exceptions."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        if isinstance(error, RequestEntityTooLarge):
            error.description = _too_large_message(app)
        if _wants_json():
            return jsonify(error=error.name, description=error.description), error.code
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        if _wants_json():
            return jsonify(error="Internal Server Error"), 500
        return render_template("errors/error.html", error=None), 500
