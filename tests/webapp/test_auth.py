import re

import pytest

from webapp.extensions import db
from webapp.models import SignupRequest, User

from .conftest import PASSWORD
from .helpers import csrf_token


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


def test_register_answers_the_same_for_a_new_and_an_existing_email(app, auth, make_user):
    """No account probing: the page is the same; only the owner's mailbox can tell."""
    make_user("taken@example.com")
    taken = auth.register("TAKEN@example.com", "another long secret", confirm=False)
    [note] = auth.outbox
    fresh = auth.register("fresh@example.com", "another long secret", confirm=False)
    [welcome] = auth.outbox

    def page(response) -> str:
        return response.get_data(as_text=True).replace("taken@", "X@").replace("fresh@", "X@")

    assert taken.status_code == fresh.status_code == 200
    assert "Check your email" in page(taken)
    assert page(taken) == page(fresh)
    assert note.recipients == ["taken@example.com"]
    assert "tried to sign up" in note.subject and "/reset" in note.body
    assert "/register/" not in note.body
    assert welcome.recipients == ["fresh@example.com"] and "/register/" in welcome.body
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == "taken@example.com"))
        assert owner.check_password(PASSWORD)  # unchanged
        assert db.session.scalar(db.select(User).where(User.email == "fresh@example.com")) is None


def test_a_sign_up_link_creates_the_account_once_and_only_on_post(app, client, auth):
    auth.register("once@example.com", confirm=False)
    path = re.search(r"http://localhost(/register/\S+)", auth.outbox[0].body).group(1)
    page = client.get(path)  # what a mail scanner fetches: creates nothing
    assert page.status_code == 200 and "Finish signing up" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User)) is None
        [pending] = db.session.scalars(db.select(SignupRequest)).all()
        assert path.rsplit("/", 1)[1] not in pending.token_hash  # only its hash is kept
        assert PASSWORD not in pending.password_hash
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 302 and client.get("/dashboard").status_code == 200
    auth.logout()
    again = client.get(path)  # used: gone
    assert again.status_code == 302 and again.headers["Location"].endswith("/register")
    broken = client.get(path[:-3] + "xyz")
    assert broken.status_code == 302 and broken.headers["Location"].endswith("/register")


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
