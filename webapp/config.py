"""Default settings; the instance folder's ``config.py`` and ``FLASK_*`` variables override them."""

from __future__ import annotations

import os
import re
from datetime import timedelta


def database_url_from_env(value: str | None) -> str | None:
    """Map the usual ``postgres://`` spellings to SQLAlchemy's psycopg 3 driver."""
    if not value:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


# The built-in key signs sessions in development only; production mode refuses it.
DEV_SECRET_KEY = "dev-only-not-secret"
# Shorter keys are refused in production mode: they can be guessed offline from a cookie.
# secrets.token_hex(16) has 32 characters; the README's token_hex(32) has 64.
MIN_SECRET_KEY_LENGTH = 32
# A random key of 32 hex digits has about 14 different characters (fewer than 10: one in
# ten thousand); "aaaa..." or "abab..." has one or two.
MIN_SECRET_KEY_DISTINCT = 10
# A phrase of words, not a random key: letters between separators, each run of letters
# shaped as words are written ("horse", "Horse", "HORSE", "CorrectHorse"). A random key
# with no digit ("XVDukTIPPKYON_Ebw", which secrets.token_urlsafe gives now and then)
# mixes its cases anywhere and passes. The word pattern is unambiguous (no backtracking).
_WORD_SEPARATORS = re.compile(r"[\s_.,'-]+")
_WORD = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[A-Z]+")


def _is_words(key: str) -> bool:
    """Whether ``key`` is words and separators only (a pass phrase, guessable)."""
    parts = [part for part in _WORD_SEPARATORS.split(key) if part]
    return bool(parts) and all(_WORD.fullmatch(part) for part in parts)


class InsecureConfigError(RuntimeError):
    """A setting that is only safe in development, or settings that contradict each other;
    the message names them."""


def _is_repeated(key: str | bytes) -> bool:
    """Whether ``key`` is one shorter piece written again and again ("abcabcabc")."""
    text = key if isinstance(key, str) else key.decode("latin-1")
    return text in (text + text)[1:-1]


def secret_key_problem(key: object) -> str | None:
    """Why ``key`` is too weak to sign production sessions, or None when it is fine."""
    if not isinstance(key, (str, bytes)):
        return f"SECRET_KEY must be text, not {type(key).__name__}"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (
            f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters; "
            f"the one set has {len(key)}"
        )
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        return (
            f"SECRET_KEY uses only {len(set(key))} different characters (at least "
            f"{MIN_SECRET_KEY_DISTINCT}): it is not random"
        )
    if _is_repeated(key):
        return "SECRET_KEY repeats one short piece: it is not random"
    if isinstance(key, str) and _is_words(key):
        return "SECRET_KEY is made of words (letters only): use a random key"
    return None


def production_from_env(value: str | None) -> bool:
    """``APP_ENV=production`` switches production mode on; anything else leaves it off."""
    return (value or "").strip().lower() == "production"


class Config:
    """Settings every environment starts from."""

    # A dev key only; set SECRET_KEY (or FLASK_SECRET_KEY) or instance/config.py in production.
    # create_app reads SECRET_KEY and DATABASE_URL from the environment when it builds the app.
    SECRET_KEY = DEV_SECRET_KEY
    # Production mode (APP_ENV=production, or PRODUCTION = True in instance/config.py):
    # a real SECRET_KEY is required, cookies are Secure and every request is logged.
    PRODUCTION = False
    # Behind N reverse proxies (nginx in front of gunicorn: 1), trust their X-Forwarded-For
    # and -Proto, so the request log and log-in throttling see the client's address.
    # 0 (the default) trusts no header: a client could otherwise pick its own address.
    TRUSTED_PROXIES = 0
    # None means "SQLite in the instance folder", filled in by create_app once it is known.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    # Where `flask bank load` reads the bank when no directory is given.
    BANK_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "questions", "bank")
    QUIZ_SIZES = (5, 10, 20, 40)
    QUIZ_DEFAULT_SIZE = 10
    # Largest file the instructor's import page reads; MAX_CONTENT_LENGTH caps any request
    # (Werkzeug answers 413) so a huge upload is refused before it is read.
    INSTRUCTOR_IMPORT_MAX_BYTES = 1_000_000
    MAX_CONTENT_LENGTH = 4_000_000
    # Item statistics flag nothing until this many different students answered an item:
    # below it one student's quiz made 55 items "too easy" (issue 13).
    STATS_MIN_STUDENTS = 20
    # Log-in throttling (auth/throttle.py): this many tries per account from one address,
    # failures from one address over all accounts, or failures on one account from all
    # addresses, within the window; then wait (or use a reset link).
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_IP = 100
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES = 50
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # How long a log-in lasts: without "keep me logged in", and with it (the remember
    # cookie). Log-out, "log out everywhere" and a password change end it sooner.
    LOGIN_SESSION_LIFETIME = timedelta(days=1)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Rate limits per client address (webapp/ratelimit.py): name -> (hits, window in
    # seconds, what the 429 page says was too many). Counted in the database.
    RATE_LIMITS = {
        "register": (20, 60 * 60, "sign-ups"),
        "guest_quiz": (30, 10 * 60, "quizzes started without an account"),
        "answer": (600, 60, "answers"),
    }
    # Flashcard study: spread review intervals of 3+ days by a day or so, as Anki does, so
    # cards learnt together do not stay due together. Tests turn it off for exact dates.
    STUDY_FUZZING = True
    # Mail (password reset): SMTP set by MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD,
    # MAIL_USE_TLS and MAIL_DEFAULT_SENDER in the environment. Without MAIL_SERVER a message
    # is written to the log instead; MAIL_OUTBOX_DIR also saves each one there as a file.
    MAIL_SERVER: str | None = None
    MAIL_DEFAULT_SENDER = "quiz@localhost"
    MAIL_OUTBOX_DIR: str | None = None
