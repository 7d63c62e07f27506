from webapp import create_app
from webapp.config import database_url_from_env


def test_config_mapping_overrides_defaults(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.testing
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["WTF_CSRF_ENABLED"] is True


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    import webapp.config

    monkeypatch.setattr(webapp.config.Config, "SQLALCHEMY_DATABASE_URI", None)
    app = create_app({})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/quiz.sqlite"


def test_prefixed_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("FLASK_QUIZ_DEFAULT_SIZE", "20")
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app()
    assert app.config["QUIZ_DEFAULT_SIZE"] == 20


def test_postgres_urls_use_the_psycopg_driver():
    assert database_url_from_env("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url_from_env("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url_from_env("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url_from_env("") is None


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_gone(tmp_path):
    missing = tmp_path / "no-such-dir" / "x.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not Found" in response.data


def test_home_page_lists_every_section(client, bank):
    page = client.get("/").get_data(as_text=True)
    assert "Brief Historical overview" in page
    assert "Conclusion" in page
    assert 'href="/quiz/history"' in page
    # Sections with no question get no start link.
    assert 'href="/quiz/conclusion"' not in page


def test_the_test_app_pings_its_pool_as_the_site_does(app):
    # the fixture adds its schema (on PostgreSQL) to the site's engine options, not in
    # their place: the tests run with the pool's ping before each checkout
    from webapp.extensions import db

    with app.app_context():
        assert db.engine.pool._pre_ping is True
