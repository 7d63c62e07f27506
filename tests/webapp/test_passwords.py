"""Common and guessable passwords are refused, with the reason at the password field."""

from __future__ import annotations

import re

import pytest

from webapp.extensions import db
from webapp.models import User
from webapp.passwords import weakness

from .conftest import PASSWORD
from .helpers import csrf_token

COMMON = ["password", "12345678", "qwertyuiop", "iloveyou1", "Password1"]


def _field_errors(html: str, field_id: str) -> str:
    """The error text shown under the field ``field_id`` (empty when none)."""
    found = re.search(
        rf'<div class="error" id="{re.escape(field_id)}-error">(.*?)</div>', html, re.S
    )
    return found.group(1) if found else ""


@pytest.mark.parametrize("password", COMMON)
def test_registration_refuses_a_common_password_at_the_field(app, auth, password):
    response = auth.register("new@example.com", password)
    assert response.status_code == 200
    errors = _field_errors(response.get_data(as_text=True), "password")
    assert "That password is too easy to guess" in errors
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "new@example.com")) is None


@pytest.mark.parametrize("password", [PASSWORD, "mauve giraffe on a unicycle", "x7#Qv!9zLp"])
def test_good_passwords_pass(password):
    assert weakness(password) is None


def test_a_long_password_is_judged_by_its_start_without_error():
    assert weakness("password" * 25) is not None  # 200 characters, 72 read
    assert weakness("mauve giraffe on a unicycle " * 7) is None


def test_changing_to_a_common_password_is_refused(app, client, auth):
    user_id = auth.login_as()
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/password",
        data={
            "pw-csrf_token": token,
            "pw-current": PASSWORD,
            "pw-password": "12345678",
            "pw-password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert "too easy to guess" in _field_errors(response.get_data(as_text=True), "pw-password")
    with app.app_context():
        assert db.session.get(User, user_id).check_password(PASSWORD)


def test_a_reset_to_a_common_password_is_refused(app, client, make_user):
    from webapp.account import service

    user_id = make_user("forgot@example.com")
    with app.app_context(), app.test_request_context():
        path = "/reset/" + service.reset_token(db.session.get(User, user_id))
    response = client.post(
        path,
        data={
            "password": "password",
            "password2": "password",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 400
    assert "too easy to guess" in _field_errors(response.get_data(as_text=True), "password")
