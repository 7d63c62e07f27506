"""Production mode: a real SECRET_KEY or no start, Secure cookies, one log line per request."""

from __future__ import annotations

import logging

import pytest

from webapp import create_app
from webapp.config import DEV_SECRET_KEY, InsecureConfigError

GOOD_KEY = "a-long-random-production-key-0123456789"


@pytest.fixture(autouse=True)
def _restore_request_logger():
    """Production mode adds a stderr handler to the request logger; undo it after each test."""
    logger = logging.getLogger("webapp.requests")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


def _production_app(tmp_path, **extra):
    return create_app(
        {
            "PRODUCTION": True,
            "SECRET_KEY": GOOD_KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}",
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "the key is missing"),
        ("", "the key is missing"),
        (DEV_SECRET_KEY, "the built-in development key"),
        ("short-key", "at least 32 characters"),
    ],
)
def test_production_mode_refuses_a_missing_default_or_short_secret_key(tmp_path, key, message):
    with pytest.raises(InsecureConfigError, match=message) as info:
        _production_app(tmp_path, SECRET_KEY=key)
    assert "SECRET_KEY" in str(info.value)


def test_app_env_production_switches_production_mode_on(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite://")
    with pytest.raises(InsecureConfigError, match="the built-in development key"):
        create_app()


def test_secret_key_from_the_environment_is_read_when_the_app_is_built(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app()
    assert app.config["PRODUCTION"] is True
    assert app.config["SECRET_KEY"] == GOOD_KEY


def test_development_mode_starts_with_the_built_in_key(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    app = create_app(
        {
            "SECRET_KEY": DEV_SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite'}",
        }
    )
    assert app.config["PRODUCTION"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_production_session_cookie_is_secure_and_http_only(tmp_path):
    client = _production_app(tmp_path).test_client()
    # The login form puts the CSRF token in the session, so the page sets the cookie.
    response = client.get("/login", base_url="https://quiz.example")
    cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def _request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "webapp.requests"]


def test_each_request_logs_one_line_with_remote_method_path_status_and_duration(app, caplog):
    caplog.set_level(logging.INFO, logger="webapp.requests")
    client = app.test_client()
    client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    client.get("/no-such-page", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    client.post("/login", data={}, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    lines = _request_lines(caplog)
    assert len(lines) == 3, lines
    remote, method, path, status, duration = lines[0].split(" ")
    assert (remote, method, path, status) == ("203.0.113.7", "GET", '"/healthz"', "200")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0
    assert lines[1].startswith('198.51.100.2 GET "/no-such-page" 404 ')
    assert lines[2].startswith('198.51.100.2 POST "/login" 400 ')  # refused: no CSRF token


def test_a_crafted_path_cannot_forge_a_second_log_line(app, caplog):
    caplog.set_level(logging.INFO, logger="webapp.requests")
    app.test_client().get("/x%0A127.0.0.1 GET /admin 200 1.0ms")
    (line,) = _request_lines(caplog)
    assert "\n" not in line
    assert '"/x\\n127.0.0.1 GET /admin 200 1.0ms" 404' in line


def test_production_mode_writes_request_lines_to_stderr(tmp_path, capsys):
    client = _production_app(tmp_path).test_client()
    client.get("/healthz", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if '"/healthz"' in line]
    assert len(lines) == 1, err
    assert '192.0.2.9 GET "/healthz" 200 ' in lines[0]


def test_building_two_production_apps_still_logs_each_request_once(tmp_path, capsys):
    _production_app(tmp_path)
    client = _production_app(tmp_path).test_client()
    client.get("/healthz")
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if '"/healthz"' in line]) == 1, err


def test_behind_a_trusted_proxy_the_log_shows_the_client_address(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="webapp.requests")
    client = _production_app(tmp_path, TRUSTED_PROXIES=1).test_client()
    client.get(
        "/healthz",
        headers={"X-Forwarded-For": "203.0.113.50"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert _request_lines(caplog)[0].startswith('203.0.113.50 GET "/healthz" 200 ')


def test_without_trusted_proxies_a_forwarded_header_cannot_fake_the_address(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="webapp.requests")
    client = _production_app(tmp_path).test_client()
    client.get(
        "/healthz",
        headers={"X-Forwarded-For": "203.0.113.50"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert _request_lines(caplog)[0].startswith('127.0.0.1 GET "/healthz" 200 ')
