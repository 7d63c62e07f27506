"""While the database is down, every page answers a friendly 503 with Retry-After,
drawn without the database (the error page used to query the user, so visitors got
gunicorn's bare "Internal Server Error")."""

from __future__ import annotations

import pytest

from webapp import create_app
from webapp.errors import RETRY_AFTER_SECONDS
from webapp.extensions import db

from .helpers import csrf_from

DEAD = {
    # a port nothing listens on: the connection is refused at once
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2",
    # a file in a directory that does not exist: SQLite cannot open it
    "sqlite": "sqlite:////nonexistent-directory/quiz.sqlite",
}


@pytest.fixture(params=sorted(DEAD))
def dead_app(request, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": DEAD[request.param],
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "WTF_CSRF_ENABLED": True,
            "BANK_DIR": str(tmp_path / "bank"),
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url", ["/", "/quiz/history"])
def test_a_database_outage_answers_a_friendly_503_with_retry_after(dead_app, url):
    response = dead_app.test_client().get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = response.get_data(as_text=True)
    assert "We are back in a moment" in page
    assert "Internal Server Error" not in page


def test_a_signed_in_visitor_during_an_outage_gets_the_503_page_too(dead_app):
    client = dead_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # a signed-in session: loading the user needs the DB
        session["_fresh"] = True
    response = client.get("/")
    assert response.status_code == 503
    assert "We are back in a moment" in response.get_data(as_text=True)


def test_a_form_post_during_an_outage_is_a_503_not_a_500(dead_app):
    client = dead_app.test_client()
    token = csrf_from(client.get("/login").data)
    response = client.post(
        "/login", data={"email": "a@example.com", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_a_json_client_gets_a_json_503(dead_app):
    response = dead_app.test_client().get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json()["error"] == "Service Unavailable"
