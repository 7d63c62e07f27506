"""Hardening: security headers, inline-free pages, log-in throttling, no account probing,
no open redirect, request size limit."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from webapp.auth import throttle
from webapp.extensions import db
from webapp.models import utcnow

from .conftest import PASSWORD
from .crawl import crawl
from .helpers import answer_all, csrf_token, start_quiz


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/login", "/healthz", "/no-such-page", "/static/css/site.css"):
        response = client.get(url)
        response.close()  # the static file's handle
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_no_page_has_inline_script_handlers_or_styles(app, client, auth, bank):
    """Whatever pages exist now or land later, a strict CSP breaks none of them."""
    guest = crawl(client, ["/", "/login", "/register", "/no-such-page"])
    auth.login_as("student")
    done = start_quiz(client, "history", size=5)
    answer_all(client, app, done, right=False)
    open_attempt = start_quiz(client, "economy-energy", size=5)
    pages = crawl(
        client,
        ["/", "/dashboard", f"/attempts/{done}", f"/attempts/{open_attempt}/items/1", "/logout"],
    )
    problems = {url: p for url, p in {**guest, **pages}.items() if p}
    assert not problems, problems
    assert len(pages) >= 8, sorted(pages)  # the crawl really reached the quiz pages


def test_session_cookie_is_httponly_and_samesite(client, auth, make_user):
    make_user("student@example.com")
    response = auth.login()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=(Lax|Strict)", cookie)


def _login_error(response) -> str:
    """The text of the page's error messages at the fields (one <p> per message)."""
    html = response.get_data(as_text=True)
    found = re.findall(r'class="error"[^>]*>(.*?)</(?:p|div)>', html, re.S)
    return " ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found if f.strip())


def test_unknown_email_and_wrong_password_get_the_same_answer(client, auth, make_user):
    make_user("student@example.com")
    unknown = auth.login("nobody@example.com", PASSWORD)
    wrong = auth.login("student@example.com", "not the password")
    assert unknown.status_code == wrong.status_code == 200
    assert _login_error(unknown) == _login_error(wrong) == "Wrong email or password."


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        " //evil.example",
        "http://localhost.evil.example/",
        "data:text/html,<script>alert(1)</script>",
    ],
)
@pytest.mark.parametrize("form", ["login", "register"])
def test_next_never_leads_off_site(client, auth, make_user, target, form):
    if form == "login":
        make_user("student@example.com")
        token = csrf_token(client, "/login")
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": "student@example.com", "password": PASSWORD, "csrf_token": token},
        )
    else:
        token = csrf_token(client, "/register")
        response = client.post(
            "/register",
            query_string={"next": target},
            data={
                "email": "new@example.com",
                "password": PASSWORD,
                "password2": PASSWORD,
                "csrf_token": token,
            },
        )
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser would do with it: strip tabs and newlines, read backslashes as slashes.
    seen = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//"), location
    assert not urlsplit(seen).scheme and not urlsplit(seen).netloc, location


@pytest.fixture
def clock(monkeypatch):
    """A fake clock for throttling: ``clock.advance(seconds)``."""

    class Clock:
        now = utcnow()

        def advance(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    fake = Clock()
    monkeypatch.setattr(throttle, "now", lambda: fake.now)
    return fake


def test_login_is_throttled_after_five_failures_for_an_email(client, auth, make_user, clock):
    make_user("student@example.com")
    for _ in range(5):
        assert auth.login("student@example.com", "wrong password").status_code == 200
        clock.advance(10)
    # Even the right password is refused now, with a clear wait.
    refused = auth.login("student@example.com", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed log-ins. Wait 15 minutes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/dashboard").status_code == 302
    # The oldest failure leaves the 15-minute window: one more try is allowed.
    clock.advance(15 * 60 - 50 + 1)
    assert auth.login("student@example.com", PASSWORD).status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_a_successful_login_forgets_earlier_failures(client, auth, make_user, clock):
    make_user("student@example.com")
    for _ in range(4):
        auth.login("student@example.com", "wrong password")
    assert auth.login("student@example.com", PASSWORD).status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login("student@example.com", "wrong password").status_code == 200
    assert auth.login("student@example.com", PASSWORD).status_code == 302


def test_login_is_throttled_per_address_across_emails(app, client, auth, make_user, clock):
    make_user("student@example.com")
    limit = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    for i in range(limit):
        assert auth.login(f"guess{i}@example.com", "wrong password").status_code == 200
    refused = auth.login("student@example.com", PASSWORD)
    assert refused.status_code == 429
    assert "Wait 15 minutes" in refused.get_data(as_text=True)
    clock.advance(15 * 60 + 1)
    assert auth.login("student@example.com", PASSWORD).status_code == 302


def test_throttling_is_stored_in_the_database(app, client, auth, make_user, clock):
    """Another worker (another app on the same database) sees the same failures."""
    from webapp import create_app

    make_user("student@example.com")
    for _ in range(5):
        auth.login("student@example.com", "wrong password")
    other = create_app(dict(app.config))
    other_client = other.test_client()
    token = csrf_token(other_client, "/login")
    refused = other_client.post(
        "/login", data={"email": "student@example.com", "password": PASSWORD, "csrf_token": token}
    )
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    assert refused.status_code == 429


def test_a_too_large_request_gets_a_friendly_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post("/login", data={"email": "x" * 20_000, "password": "p"})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "limit is 0.01 MB" in html and "nothing was saved" in html
    json_response = client.post(
        "/login", data={"email": "x" * 20_000}, headers={"Accept": "application/json"}
    )
    assert json_response.status_code == 413
    assert json_response.get_json()["error"] == "Request Entity Too Large"


def test_the_default_request_limit_is_a_few_megabytes(app):
    assert 1_000_000 <= app.config["MAX_CONTENT_LENGTH"] <= 16_000_000


@pytest.mark.parametrize(
    "url",
    [
        "/attempts/99999999999999999999999",
        "/attempts/2147483648/items/1",
        "/attempts/1/items/99999999999999999999",
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(client, auth, url):
    auth.login_as("student")
    assert client.get(url).status_code == 404
    token = csrf_token(client, "/")
    assert client.post(url, data={"csrf_token": token}).status_code in (404, 405)
