"""Hardening: security headers, inline-free pages, no account probing, no open redirect,
request size limit (log-in throttling and rate limits: test_throttle.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from webapp.mail import mail

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
        with mail.record_messages() as outbox:
            client.post(
                "/register",
                query_string={"next": target},
                data={
                    "email": "new@example.com",
                    "password": PASSWORD,
                    "password2": PASSWORD,
                    "csrf_token": token,
                },
            )
        # ``next`` travels in the mailed link; the account's first page honours it safely.
        link = re.search(r"http://localhost(/register/\S+)", outbox[0].body).group(1)
        response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser would do with it: strip tabs and newlines, read backslashes as slashes.
    seen = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//"), location
    assert not urlsplit(seen).scheme and not urlsplit(seen).netloc, location


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
