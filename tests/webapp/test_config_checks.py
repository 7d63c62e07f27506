"""Configuration is checked when the app is built: a weak key, FLASK_DEBUG in
production, a key that is not text and contradictory settings stop the start with a
message naming the setting, instead of a site that runs unsafely or answers 500."""

from __future__ import annotations

import logging
import secrets

import pytest

from webapp import create_app
from webapp.config import InsecureConfigError, secret_key_problem


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch, tmp_path):
    for name in ("APP_ENV", "SECRET_KEY", "FLASK_SECRET_KEY", "FLASK_PRODUCTION", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'c.sqlite'}")
    logger = logging.getLogger("webapp.requests")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("a" * 64, "only 1 different characters"),
        ("ab" * 32, "only 2 different characters"),
        ("0123456789" * 4, "repeats one short piece"),
        ("correct horse battery staple and more words", "made of words"),
        ("Troubleshooting-Internationalization", "made of words"),
        ("CorrectHorseBatteryStapleAndMoreWords", "made of words"),
        ("CORRECT_HORSE_BATTERY_STAPLE_AND_MORE", "made of words"),
        ("x7" * 8, "at least 32 characters"),
    ],
)
def test_a_guessable_secret_key_is_refused_in_production(monkeypatch, key, why):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(InsecureConfigError, match=why) as info:
        create_app()
    assert "SECRET_KEY" in str(info.value)


def test_random_keys_pass_the_secret_key_check():
    # token_urlsafe(32) holds no digit about once in 1,700 keys: letters in mixed case
    # and a separator are random, not words
    assert secret_key_problem("XVDukTIPPKYONuxvWzHQjwsveTIVmQzGLBsBSwm_Ebw") is None
    for _ in range(200):
        assert secret_key_problem(secrets.token_hex(32)) is None
        assert secret_key_problem(secrets.token_urlsafe(32)) is None


def test_a_numeric_flask_secret_key_is_read_as_text_and_pages_answer(monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "12345678901234567890123456789012345678")
    app = create_app()
    assert app.config["SECRET_KEY"] == "12345678901234567890123456789012345678"
    assert app.test_client().get("/login").status_code == 200


def test_flask_debug_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(InsecureConfigError, match="FLASK_DEBUG is on in production mode"):
        create_app()


def test_flask_debug_is_fine_in_development(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app().debug


@pytest.mark.parametrize(
    ("app_env", "flask_production"), [("production", "false"), ("development", "true")]
)
def test_flask_production_contradicting_app_env_is_refused_naming_both(
    monkeypatch, app_env, flask_production
):
    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("FLASK_PRODUCTION", flask_production)
    with pytest.raises(InsecureConfigError) as info:
        create_app()
    message = str(info.value)
    assert f"APP_ENV={app_env}" in message and f"FLASK_PRODUCTION={flask_production}" in message


def test_a_production_flag_that_is_not_true_or_false_is_refused(monkeypatch):
    monkeypatch.setenv("FLASK_PRODUCTION", "yes")
    with pytest.raises(InsecureConfigError, match="must be true or false"):
        create_app()


def test_a_secret_key_that_is_not_text_is_refused_in_any_mode(tmp_path):
    with pytest.raises(InsecureConfigError, match="SECRET_KEY must be text, not int"):
        create_app({"SECRET_KEY": 12345, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
