import pytest

from webapp.extensions import db
from webapp.models import User

from .conftest import PASSWORD


def test_register_creates_a_student_with_a_hashed_password_and_logs_in(app, client, auth):
    response = auth.register("Ann@Example.com")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "ann@example.com"
        assert user.role == "student"
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD)
        assert user.created_at.tzinfo is not None
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "password2", "message"),
    [
        ("", PASSWORD, PASSWORD, "This field is required."),
        ("not-an-email", PASSWORD, PASSWORD, "Invalid email address."),
        ("a@example.com", "short", "short", "Use at least 8 characters."),
        ("a@example.com", PASSWORD, PASSWORD + "x", "The two passwords differ."),
    ],
)
def test_register_reports_bad_input_next_to_the_field(auth, email, password, password2, message):
    response = auth.register(email, password, password2)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert 'class="error"' in response.get_data(as_text=True)


def test_register_refuses_an_existing_email(auth, make_user):
    make_user("taken@example.com")
    response = auth.register("TAKEN@example.com")
    assert "already exists" in response.get_data(as_text=True)


def test_login_and_logout(client, auth, make_user):
    make_user("student@example.com")
    assert client.get("/dashboard").status_code == 302
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_login_with_a_wrong_password_fails(client, auth, make_user):
    make_user("student@example.com")
    response = auth.login(password="wrong password")
    assert response.status_code == 200
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_login_follows_a_local_next(client, make_user):
    make_user("student@example.com")
    from .helpers import csrf_token

    token = csrf_token(client, "/login?next=/dashboard")
    response = client.post(
        "/login?next=/dashboard",
        data={"email": "student@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_never_redirects_off_site(client, make_user, target):
    make_user("student@example.com")
    from .helpers import csrf_token

    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "student@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_csrf_is_enforced_on_forms(app, client, make_user):
    make_user("student@example.com")
    response = client.post("/login", data={"email": "student@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    response = client.post(
        "/register",
        data={
            "email": "b@example.com",
            "password": PASSWORD,
            "password2": PASSWORD,
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "b@example.com")) is None


def test_logout_requires_a_post_with_csrf(client, auth, make_user):
    make_user("student@example.com")
    auth.login()
    client.get("/logout")  # shows a confirmation form, does not log out
    assert client.get("/dashboard").status_code == 200
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, make_user):
    make_user("student@example.com")
    response = auth.login()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
