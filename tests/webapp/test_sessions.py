"""Revocable log-ins: a copied session or remember cookie stops working after log-out, "log
out everywhere", a password change or reset; log-in and log-out start a fresh session."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask import request_finished
from flask_login import current_user

from webapp.extensions import db
from webapp.models import Attempt, LoginSession, SignedIn, User

from .conftest import PASSWORD
from .helpers import csrf_token, start_quiz

EMAIL = "student@example.com"


def _login(client, *, remember: bool = False, password: str = PASSWORD, **extra):
    data = {"email": EMAIL, "password": password, "csrf_token": csrf_token(client, "/login")}
    if remember:
        data["remember"] = "y"
    data.update(extra)
    return client.post("/login", data=data)


def _cookies(client) -> dict[str, str]:
    found = {}
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            found[name] = cookie.value
    return found


def _browser_with(app, cookies: dict[str, str]):
    """Another browser holding copies of ``cookies`` (as a thief would)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _logged_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def _account_post(client, url: str, prefix: str, data: dict | None = None):
    token = csrf_token(client, "/account")
    return client.post(url, data={f"{prefix}-csrf_token": token, **(data or {})})


@pytest.fixture
def student(make_user):
    return make_user(EMAIL)


def test_pages_read_the_signed_in_account_as_a_row_and_see_a_change_at_once(app, client, student):
    assert _login(client).status_code == 302
    seen = []

    def _spy(sender, response, **extra):  # noqa: ARG001
        user = current_user._get_current_object()
        mapped = any(isinstance(o, User) for o in db.session.identity_map.values())
        seen.append((type(user), user.is_instructor, mapped))

    with request_finished.connected_to(_spy, app):
        assert client.get("/dashboard").status_code == 200
        assert client.get("/instructor/").status_code == 403
        with app.app_context():
            db.session.get(User, student).role = "instructor"
            db.session.commit()
        assert client.get("/instructor/").status_code == 200  # the next request sees it
    assert seen == [(SignedIn, False, False)] * 2 + [(SignedIn, True, False)]


def test_the_signed_in_row_shows_neither_its_password_hash_nor_its_token():
    row = SignedIn(1, "a@example.com", "scrypt:secret-hash", "student", None, {}, 0, "t" * 43)
    shown = repr(row)
    assert "a@example.com" in shown
    assert "secret-hash" not in shown and "t" * 43 not in shown
    # the session cookie carries the id the log-in's User gave: the row must give the same
    mapped = User(id=1, session_version=0)
    mapped.login_token = "t" * 43
    assert row.get_id() == mapped.get_id() == "1-0-" + "t" * 43


def test_a_copied_session_cookie_is_refused_after_log_out(app, client, auth, student):
    assert _login(client).status_code == 302
    stolen = {"session": _cookies(client)["session"]}
    assert _logged_in(_browser_with(app, stolen))
    auth.logout()
    assert not _logged_in(_browser_with(app, stolen))


def test_a_copied_remember_cookie_is_refused_after_log_out(app, client, auth, student):
    assert _login(client, remember=True).status_code == 302
    stolen = {"remember_token": _cookies(client)["remember_token"]}
    assert _logged_in(_browser_with(app, stolen))  # it does log a new browser in
    auth.logout()
    assert not _logged_in(_browser_with(app, stolen))


def test_copied_cookies_are_refused_after_log_out_everywhere(app, client, student):
    assert _login(client, remember=True).status_code == 302
    cookies = _cookies(client)
    other_device = app.test_client()
    assert _login(other_device).status_code == 302
    response = _account_post(client, "/account/logout-everywhere", "all")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not _logged_in(client)
    assert not _logged_in(other_device)
    assert not _logged_in(_browser_with(app, {"session": cookies["session"]}))
    assert not _logged_in(_browser_with(app, {"remember_token": cookies["remember_token"]}))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 0


def test_log_out_everywhere_needs_csrf(app, client, student):
    _login(client)
    assert client.post("/account/logout-everywhere", data={}).status_code == 400
    assert _logged_in(client)


def test_a_password_change_logs_out_every_other_browser(app, client, student):
    assert _login(client, remember=True).status_code == 302
    cookies = _cookies(client)
    response = _account_post(
        client,
        "/account/password",
        "pw",
        {
            "pw-current": PASSWORD,
            "pw-password": "a new long secret",
            "pw-password2": "a new long secret",
        },
    )
    assert response.status_code == 302
    assert _logged_in(client)  # the browser that changed it carries on
    assert not _logged_in(_browser_with(app, {"session": cookies["session"]}))
    assert not _logged_in(_browser_with(app, {"remember_token": cookies["remember_token"]}))


def test_a_password_reset_logs_out_every_browser(app, client, student):
    from webapp.account import service

    assert _login(client, remember=True).status_code == 302
    cookies = _cookies(client)
    with app.app_context(), app.test_request_context():
        path = "/reset/" + service.reset_token(db.session.get(User, student))
    elsewhere = app.test_client()
    done = elsewhere.post(
        path,
        data={
            "password": "a new long secret",
            "password2": "a new long secret",
            "csrf_token": csrf_token(elsewhere, path),
        },
    )
    assert done.status_code == 302 and _logged_in(elsewhere)
    assert not _logged_in(client)
    assert not _logged_in(_browser_with(app, {"remember_token": cookies["remember_token"]}))


def test_remember_tokens_are_random_per_log_in_and_stored_hashed(app, client, auth, student):
    seen = []
    for _ in range(2):
        _login(client, remember=True)
        seen.append(_cookies(client)["remember_token"])
        auth.logout()
    assert seen[0] != seen[1]
    _login(client, remember=True)
    with app.app_context():
        [row] = db.session.scalars(db.select(LoginSession)).all()  # log-out deleted the others
        assert row.remember is True
    with client.session_transaction() as sess:
        raw = sess["_user_id"].split("-", 2)[2]  # "<id>-<version>-<token>"
    assert len(raw) >= 40  # 32 random bytes
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in row.token_hash


def test_guest_and_csrf_tokens_do_not_survive_log_in(app, client, bank, student):
    start_quiz(client, size=5)
    with client.session_transaction() as sess:
        guest, csrf_before = sess["guest_token"], sess.get("csrf_token")
    assert guest and csrf_before
    token_before = csrf_token(client, "/login")
    assert (
        client.post(
            "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token_before}
        ).status_code
        == 302
    )
    with client.session_transaction() as sess:
        assert "guest_token" not in sess
        assert sess.get("csrf_token") != csrf_before
    # A token of the guest's session no longer passes CSRF.
    assert client.post("/logout", data={"csrf_token": token_before}).status_code == 400


def test_guest_and_csrf_tokens_do_not_survive_log_out(app, client, auth, student):
    _login(client)
    token = csrf_token(client, "/logout")
    with client.session_transaction() as sess:
        sess["guest_token"] = "left-over"
        csrf_before = sess["csrf_token"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    with client.session_transaction() as sess:
        assert "guest_token" not in sess and sess.get("csrf_token") != csrf_before
    assert (
        client.post(
            "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 400
    )


def test_a_guest_quiz_moves_to_the_account_only_when_asked(app, client, auth, bank, student):
    page = client.get("/login").get_data(as_text=True)
    assert "keep_guest_quiz" not in page  # no guest quiz, no box
    kept = start_quiz(client, size=5)
    page = client.get("/login").get_data(as_text=True)
    assert "Move my unfinished quiz" in page and "stays behind" in page
    response = _login(client, keep_guest_quiz="y")
    assert response.status_code == 302
    assert "now in your account" in client.get("/").get_data(as_text=True)
    assert client.get(f"/attempts/{kept}").status_code == 302  # theirs: goes to its question
    auth.logout()
    left = start_quiz(client, size=5)
    assert _login(client).status_code == 302  # box not ticked
    assert client.get(f"/attempts/{left}").status_code == 404
    with app.app_context():
        assert db.session.get(Attempt, kept).user_id == student
        assert db.session.get(Attempt, left).user_id is None


def test_answers_given_as_a_guest_count_in_the_account_the_quiz_moves_to(
    app, client, auth, bank, student
):
    """The dashboard and mistakes read kept figures: a moved quiz's answers join them."""
    from webapp import aggregates
    from webapp.models import StudentQuestion

    from .helpers import item_state, submit, wrong_form

    kept = start_quiz(client, size=5)
    for position in (1, 2):
        q, presentation = item_state(app, kept, position)
        submit(client, kept, position, wrong_form(q, presentation))
    assert _login(client, keep_guest_quiz="y").status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            db.select(StudentQuestion).where(StudentQuestion.user_id == student)
        ).all()
        assert len(rows) == 2 and all(r.misses == 1 for r in rows)
        assert aggregates.answer_count(student) == 2
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r"Answers given</span><strong>2</strong>", page)


def test_a_guest_quiz_can_move_to_a_new_account(app, client, auth, bank):
    kept = start_quiz(client, size=5)
    assert auth.register("fresh@example.com", keep_guest_quiz="y").status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "fresh@example.com"))
        assert db.session.get(Attempt, kept).user_id == user.id
