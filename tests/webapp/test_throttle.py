"""Log-in throttling and rate limits per address, counted in the database (every worker
sees the same counts) with one atomic update a try."""

from __future__ import annotations

import threading

import pytest

from webapp import ratelimit
from webapp.extensions import db
from webapp.mail import mail
from webapp.models import User

from .conftest import PASSWORD
from .helpers import csrf_token, post_form, start_quiz, submit

OTHER_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def clock(monkeypatch):
    """A fake clock for the counters: ``clock.advance(seconds)``."""

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(ratelimit, "now", lambda: fake.now)
    return fake


def _login(client, email: str, password: str, **kwargs):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, **kwargs
    )


def test_login_is_throttled_after_five_failures_for_an_account(client, auth, make_user, clock):
    make_user("student@example.com")
    for _ in range(5):
        assert auth.login("student@example.com", "wrong password").status_code == 200
        clock.advance(10)
    # Even the right password is refused now, with a clear wait and the way out.
    refused = auth.login("student@example.com", PASSWORD)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many failed log-ins. Wait 15 minutes" in page
    assert "reset link" in page
    assert 15 * 60 - 60 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/dashboard").status_code == 302
    # The window opened at the first failure; once it is over, a try is allowed.
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


def test_failures_on_one_account_never_lock_out_others_behind_the_same_address(
    app, client, make_user, clock
):
    """One student behind a school's NAT cannot shut the class out."""
    make_user("careless@example.com")
    make_user("classmate@example.com")
    for _ in range(8):
        _login(client, "careless@example.com", "wrong password")
    assert _login(client, "careless@example.com", PASSWORD).status_code == 429
    # The classmate, from the same address, gets in.
    assert _login(client, "classmate@example.com", PASSWORD).status_code == 302
    # And the locked account itself, from another address, is not locked there.
    other = app.test_client()
    assert (
        _login(other, "careless@example.com", PASSWORD, environ_base=OTHER_ADDRESS).status_code
        == 302
    )


def test_an_address_guessing_over_many_accounts_is_throttled(app, client, make_user, clock):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 12
    make_user("student@example.com")
    for i in range(12):
        assert _login(client, f"guess{i}@example.com", "wrong password").status_code == 200
    refused = _login(client, "student@example.com", PASSWORD)
    assert refused.status_code == 429
    assert "Wait 15 minutes" in refused.get_data(as_text=True)
    other = app.test_client()
    assert (
        _login(other, "student@example.com", PASSWORD, environ_base=OTHER_ADDRESS).status_code
        == 302
    )
    clock.advance(15 * 60 + 1)
    assert _login(client, "student@example.com", PASSWORD).status_code == 302


def test_failures_from_many_addresses_on_one_account_are_throttled_too(app, make_user, clock):
    """A botnet guessing one password, a few tries per address, meets a limit as well."""
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES"] = 6
    make_user("target@example.com")
    for i in range(6):
        address = {"REMOTE_ADDR": f"203.0.113.{i}"}
        response = _login(app.test_client(), "target@example.com", "guess", environ_base=address)
        assert response.status_code == 200
    fresh = {"REMOTE_ADDR": "203.0.113.99"}
    refused = _login(app.test_client(), "target@example.com", PASSWORD, environ_base=fresh)
    assert refused.status_code == 429
    clock.advance(15 * 60 + 1)
    assert (
        _login(app.test_client(), "target@example.com", PASSWORD, environ_base=fresh).status_code
        == 302
    )


def test_successful_logins_do_not_use_up_the_address_limit(app, client, auth, make_user, clock):
    """A class logging in from one address, each at the first try, is never throttled."""
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    for i in range(6):
        make_user(f"pupil{i}@example.com")
        assert auth.login(f"pupil{i}@example.com").status_code == 302
        auth.logout()


def test_throttling_is_stored_in_the_database(app, client, auth, make_user, clock):
    """Another worker (another app on the same database) sees the same failures."""
    from webapp import create_app

    make_user("student@example.com")
    for _ in range(5):
        auth.login("student@example.com", "wrong password")
    other = create_app(dict(app.config))
    refused = _login(other.test_client(), "student@example.com", PASSWORD)
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    assert refused.status_code == 429


def test_fifteen_parallel_tries_get_at_most_five_password_checks(app, make_user, monkeypatch):
    make_user("target@example.com")
    checks = []
    lock = threading.Lock()
    real_check = User.check_password

    def counted(self, password: str) -> bool:
        with lock:
            checks.append(password)
        return real_check(self, password)

    monkeypatch.setattr(User, "check_password", counted)
    clients = [app.test_client() for _ in range(15)]
    tokens = [csrf_token(c, "/login") for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def attack(c, token: str) -> None:
        barrier.wait()
        response = c.post(
            "/login",
            data={"email": "target@example.com", "password": "guess", "csrf_token": token},
        )
        with lock:
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=attack, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(statuses) == 15
    assert len(checks) == 5, checks
    assert sorted(statuses) == [200] * 5 + [429] * 10


def _reset_link(app, email: str) -> str:
    from webapp.account import service

    with app.app_context(), app.test_request_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        return "/reset/" + service.reset_token(user)


def test_a_locked_out_student_gets_in_through_a_reset_link(app, client, auth, make_user, clock):
    make_user("locked@example.com")
    for _ in range(6):
        auth.login("locked@example.com", "someone guessing")
    assert auth.login("locked@example.com", PASSWORD).status_code == 429
    path = _reset_link(app, "locked@example.com")
    token = csrf_token(client, path)
    done = client.post(
        path,
        data={
            "password": "a fresh long secret",
            "password2": "a fresh long secret",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302
    assert client.get("/dashboard").status_code == 200  # logged in by the link
    auth.logout()
    # The account's failures from this address are forgotten: the new password works now.
    assert auth.login("locked@example.com", "a fresh long secret").status_code == 302


def _register(client, email: str, **kwargs):
    """POST the sign-up form; returns (response, mail sent)."""
    token = csrf_token(client, "/register")
    with mail.record_messages() as outbox:
        response = client.post(
            "/register",
            data={"email": email, "password": PASSWORD, "password2": PASSWORD, "csrf_token": token},
            **kwargs,
        )
    return response, list(outbox)


def test_registration_is_rate_limited_per_address(app, clock):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "register": (3, 3600, "sign-ups")}
    for i in range(3):
        response, sent = _register(app.test_client(), f"new{i}@example.com")
        assert response.status_code == 200 and len(sent) == 1
    refused, sent = _register(app.test_client(), "new3@example.com")
    assert refused.status_code == 429 and sent == []
    assert "Too many sign-ups from your network. Wait 60 minutes" in refused.get_data(as_text=True)
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    other, sent = _register(app.test_client(), "new4@example.com", environ_base=OTHER_ADDRESS)
    assert other.status_code == 200 and len(sent) == 1
    clock.advance(3601)
    assert _register(app.test_client(), "new5@example.com")[0].status_code == 200


def test_guest_quiz_starts_are_rate_limited_but_accounts_are_not(app, client, auth, bank, clock):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "guest_quiz": (2, 600, "quizzes")}
    start_quiz(client, size=5)
    start_quiz(client, size=5)
    refused = post_form(client, "/quiz/history", {"size": "5"})
    assert refused.status_code == 429
    assert "Too many quizzes from your network" in refused.get_data(as_text=True)
    auth.login_as()
    for _ in range(3):
        start_quiz(client, size=5)
    clock.advance(601)
    auth.logout()
    start_quiz(client, size=5)


def test_a_guests_answer_posts_are_rate_limited_per_address(app, client, bank, clock):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "answer": (2, 60, "answers")}
    attempt_id = start_quiz(client, size=5)
    assert submit(client, attempt_id, 1, {"choice": "0", "answer": "x"}).status_code in (302, 422)
    assert submit(client, attempt_id, 2, {"choice": "0", "answer": "x"}).status_code in (302, 422)
    refused = submit(client, attempt_id, 3, {"choice": "0", "answer": "x"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 60
    clock.advance(61)
    assert submit(client, attempt_id, 3, {"choice": "0", "answer": "x"}).status_code in (302, 422)


def test_signed_in_students_behind_one_address_answer_at_their_own_pace(
    app, bank, clock, make_user
):
    """A class behind a school's NAT shares one address: each account has its own limit."""
    from .conftest import AuthActions

    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "answer": (2, 60, "answers")}
    students = []
    for name in ("ana", "ben"):
        client = app.test_client()
        AuthActions(client, make_user).login_as(email=f"{name}@example.com")
        students.append((client, start_quiz(client, size=5)))
    for position in (1, 2):
        for client, attempt_id in students:
            answered = submit(client, attempt_id, position, {"choice": "0", "answer": "x"})
            assert answered.status_code in (302, 422)
    for client, attempt_id in students:  # each account's third answer in the minute
        assert submit(client, attempt_id, 3, {"choice": "0", "answer": "x"}).status_code == 429


def test_deleting_an_account_deletes_the_counters_that_name_its_email(app, client, auth, clock):
    from webapp.models import RateCounter

    auth.login_as(email="leaving@example.com")
    auth.logout()
    _login(client, "leaving@example.com", "a typo")
    assert auth.login("leaving@example.com").status_code == 302
    _login(app.test_client(), "leaving@example.com", "a typo", environ_base=OTHER_ADDRESS)
    token = csrf_token(client, "/account")
    done = client.post("/account/delete", data={"del-csrf_token": token, "del-current": PASSWORD})
    assert done.status_code == 302
    with app.app_context():
        keys = db.session.scalars(db.select(RateCounter.key)).all()
    assert keys and not [k for k in keys if "leaving@example.com" in k], keys
