"""Sign a test client in as a user without the log-in form (a benchmark's instructor).

A log-in is a row of ``login_session`` and an id carrying its token (``webapp/auth/
sessions.py``): setting ``_user_id`` to a bare user id no longer signs anyone in.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.auth import sessions
from webapp.extensions import db
from webapp.models import User


def sign_in(app: Flask, client: FlaskClient, user_id: int) -> None:
    """Start a log-in for ``user_id`` and put it in ``client``'s session cookie."""
    with app.test_request_context():
        user = db.session.get(User, user_id)
        assert user is not None, user_id
        sessions.start(user)
        db.session.commit()
        user_key = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_key
        session["_fresh"] = True
