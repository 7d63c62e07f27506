"""Fixtures for the web app: a fresh app and database per test, on SQLite and PostgreSQL.

``app`` runs every test once on SQLite and once on PostgreSQL when ``TEST_DATABASE_URL``
is set (each test gets its own schema there). Under ``CI=true`` a missing
``TEST_DATABASE_URL`` fails the PostgreSQL variant instead of skipping it.
CSRF stays ON: forms are posted with the token read from the page (see helpers.py).
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from webapp import create_app
from webapp.bank_sync import sync_bank
from webapp.config import Config
from webapp.extensions import db as _db
from webapp.mail import mail
from webapp.models import Question, Role, User

from . import fixture_bank
from .helpers import csrf_token

SIGNUP_LINK_RE = re.compile(r"http://localhost(/register/[\w.\-]+)")

PASSWORD = "correct horse battery"


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "TEST_DATABASE_URL is not set: CI must run the PostgreSQL variant "
                "(.ci/run starts a server and exports it)",
                pytrace=False,
            )
        pytest.skip("PostgreSQL variant: set TEST_DATABASE_URL to run it")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """(SQLAlchemy URL, engine options) of an empty database for one test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}", {}
        return
    url = _postgres_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class OneUserPerRequestClient(FlaskClient):
    """The test client, each request loading its signed-in user afresh, as on a server.

    A server gives every request its own app context. A test that holds one around several
    requests (to count their statements, say) shares Flask's ``g`` between them, and
    Flask-Login keeps the user it loaded there: the second request would skip the log-in
    check and see the first one's account.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database, tmp_path):
    """A fresh app with an empty database (tables from the models), CSRF on."""
    url, engine_options = database
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            # the site's own options (the pool's ping) with the test's schema on top
            "SQLALCHEMY_ENGINE_OPTIONS": {**Config.SQLALCHEMY_ENGINE_OPTIONS, **engine_options},
            "WTF_CSRF_ENABLED": True,
            "BANK_DIR": str(tmp_path / "bank"),
        }
    )
    app.test_client_class = OneUserPerRequestClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bank(app) -> dict[str, int]:
    """The fixture bank (every kind) loaded into the database: uid -> Question.id."""
    with app.app_context():
        sync_bank(fixture_bank.questions())
        _db.session.commit()
        return {q.uid: q.id for q in _db.session.scalars(_db.select(Question))}


@pytest.fixture
def make_user(app):
    """Create an account directly in the database: ``make_user(email, role=...)``."""

    def _make(
        email: str = "student@example.com",
        *,
        role: str = Role.STUDENT.value,
        password: str = PASSWORD,
    ) -> int:
        with app.app_context():
            user = User(email=email, role=role)
            user.set_password(password)
            _db.session.add(user)
            _db.session.commit()
            return user.id

    return _make


class AuthActions:
    """Register, log in and out through the real forms (with their CSRF tokens)."""

    def __init__(self, client, make_user) -> None:
        self._client = client
        self._make_user = make_user
        self.outbox: list = []  # the mail the last register() sent

    def register(
        self,
        email: str = "new@example.com",
        password: str = PASSWORD,
        password2: str | None = None,
        *,
        confirm: bool = True,
        **extra: str,
    ):
        """Sign up; when a confirmation link is mailed and ``confirm``, follow it and press
        "Finish signing up" (``extra``: its form fields). Returns the last response."""
        token = csrf_token(self._client, "/register")
        with mail.record_messages() as outbox:
            response = self._client.post(
                "/register",
                data={
                    "email": email,
                    "password": password,
                    "password2": password if password2 is None else password2,
                    "csrf_token": token,
                },
            )
        self.outbox = list(outbox)
        links = [SIGNUP_LINK_RE.search(m.body) for m in outbox]
        found = next((link.group(1) for link in links if link), None)
        if not confirm or found is None:
            return response
        data = {"csrf_token": csrf_token(self._client, found), **extra}
        return self._client.post(found, data=data)

    def login(self, email: str = "student@example.com", password: str = PASSWORD):
        token = csrf_token(self._client, "/login")
        return self._client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def login_as(self, role: str = Role.STUDENT.value, email: str | None = None) -> int:
        """Create a user of ``role`` and log in as them; returns the user's id."""
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        user_id = self._make_user(email, role=role)
        response = self.login(email)
        assert response.status_code == 302, "login failed"
        return user_id

    def logout(self):
        token = csrf_token(self._client, "/logout")
        return self._client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client, make_user) -> AuthActions:
    return AuthActions(client, make_user)
