"""The account page, password reset by email (a captured outbox), time zones, my data."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from webapp.account import service
from webapp.extensions import db
from webapp.mail import mail
from webapp.models import Attempt, User
from webapp.timezones import study_day_start

from .conftest import PASSWORD
from .helpers import csrf_token

LINK_RE = re.compile(r"http://localhost(/reset/[\w.\-]+)")


def _reset_mail(client, email: str) -> str:
    token = csrf_token(client, "/reset")
    with mail.record_messages() as outbox:
        response = client.post("/reset", data={"email": email, "csrf_token": token})
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0].recipients == [email]
    found = LINK_RE.search(outbox[0].body)
    assert found, outbox[0].body
    return found.group(1)


def _set_password(client, path: str, password: str):
    token = csrf_token(client, path)
    return client.post(
        path, data={"password": password, "password2": password, "csrf_token": token}
    )


def test_a_reset_link_by_mail_sets_a_new_password_once(app, client, make_user):
    make_user("forgot@example.com")
    path = _reset_mail(client, "forgot@example.com")
    response = _set_password(client, path, "a brand new password")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "forgot@example.com"))
        assert user.check_password("a brand new password")
    # Used once: the same link no longer works.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    again = client.get(path)
    assert again.status_code == 302 and again.headers["Location"].endswith("/reset")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client):
    token = csrf_token(client, "/reset")
    with mail.record_messages() as outbox:
        response = client.post("/reset", data={"email": "nobody@example.com", "csrf_token": token})
    assert response.status_code == 302 and outbox == []


def test_a_reset_link_expires(app, make_user, monkeypatch):
    make_user("late@example.com")
    with app.app_context(), app.test_request_context():
        user = db.session.scalar(db.select(User).where(User.email == "late@example.com"))
        token = service.reset_token(user)
        assert service.user_for_token(token) is not None
        monkeypatch.setattr(service, "RESET_MAX_AGE", -1)
        assert service.user_for_token(token) is None
        assert service.user_for_token(token[:-2] + "xx") is None


def _account_post(client, url: str, prefix: str, data: dict):
    token = csrf_token(client, "/account")
    return client.post(url, data={f"{prefix}-csrf_token": token, **data})


def test_change_password_needs_the_current_one(client, auth, app):
    auth.login_as()
    bad = _account_post(
        client,
        "/account/password",
        "pw",
        {
            "pw-current": "wrong one",
            "pw-password": "new password 1",
            "pw-password2": "new password 1",
        },
    )
    assert bad.status_code == 400 and b"not your current password" in bad.data
    good = _account_post(
        client,
        "/account/password",
        "pw",
        {"pw-current": PASSWORD, "pw-password": "new password 1", "pw-password2": "new password 1"},
    )
    assert good.status_code == 302


def test_the_time_zone_is_stored_and_bounded(client, auth, app):
    user_id = auth.login_as()
    bad = _account_post(client, "/account/time-zone", "tz", {"tz-time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    good = _account_post(client, "/account/time-zone", "tz", {"tz-time_zone": "Asia/Tokyo"})
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).settings["time_zone"] == "Asia/Tokyo"


def test_a_time_zone_post_without_a_zone_is_refused_not_saved(client, auth, app):
    # The page shows the current zone selected; a POST that sends no zone chose none, and
    # must not report "Times are now shown in ..." as if it had saved one.
    user_id = auth.login_as()
    _account_post(client, "/account/time-zone", "tz", {"tz-time_zone": "Asia/Tokyo"})
    missing = _account_post(client, "/account/time-zone", "tz", {})
    assert missing.status_code == 400
    page = missing.get_data(as_text=True)
    assert "This field is required." in page
    assert "Times are now shown in" not in page
    assert "Times are now shown in" not in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).settings["time_zone"] == "Asia/Tokyo"


def test_changing_the_email_needs_the_password_and_the_new_one_logs_in(client, auth, app):
    user_id = auth.login_as(email="old@example.com")
    wrong = _account_post(
        client, "/account/email", "em", {"em-email": "new@example.com", "em-current": "nope"}
    )
    assert wrong.status_code == 400
    assert "That is not your current password." in wrong.get_data(as_text=True)
    good = _account_post(
        client, "/account/email", "em", {"em-email": "New@Example.com", "em-current": PASSWORD}
    )
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).email == "new@example.com"
    assert "new@example.com" in client.get("/account").get_data(as_text=True)
    auth.logout()
    assert auth.login("old@example.com").status_code == 200  # the form again: refused
    assert auth.login("new@example.com").status_code == 302


def test_a_new_time_zone_moves_the_study_days_already_counted(client, auth, app, bank):
    from webapp.models.study import StudyDay
    from webapp.study import service as study
    from webapp.study.scheduling import Rating

    user_id = auth.login_as()
    at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 08:30 on the 3rd in Tokyo
    with app.app_context():
        assert study.record_rating(user_id, bank["history-single"], Rating.Good, 0, at)
        assert db.session.scalar(db.select(StudyDay.day)).isoformat() == "2026-03-02"
    response = _account_post(client, "/account/time-zone", "tz", {"tz-time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    with app.app_context():
        days = db.session.execute(db.select(StudyDay.day, StudyDay.reviews)).all()
    assert [(d.isoformat(), n) for d, n in days] == [("2026-03-03", 1)]


@pytest.mark.parametrize(
    ("now", "zone", "start"),
    [
        # Tokyo is UTC+9: 4 a.m. there is 19:00 UTC the day before.
        (datetime(2026, 3, 2, 20, 0, tzinfo=UTC), "Asia/Tokyo", datetime(2026, 3, 2, 19, 0)),
        (datetime(2026, 3, 2, 18, 59, tzinfo=UTC), "Asia/Tokyo", datetime(2026, 3, 1, 19, 0)),
        (datetime(2026, 3, 2, 3, 59, tzinfo=UTC), "UTC", datetime(2026, 3, 1, 4, 0)),
        (datetime(2026, 3, 2, 4, 0, tzinfo=UTC), "UTC", datetime(2026, 3, 2, 4, 0)),
    ],
)
def test_the_study_day_turns_over_at_4_am_local(now, zone, start):
    from zoneinfo import ZoneInfo

    assert study_day_start(now, ZoneInfo(zone)) == start.replace(tzinfo=UTC)


def test_my_data_downloads_and_deleting_removes_it(client, auth, app, bank):
    user_id = auth.login_as()
    client.post(
        "/quiz/history", data={"size": 5, "csrf_token": csrf_token(client, "/quiz/history")}
    )
    data = client.get("/account/data.json")
    assert data.status_code == 200
    body = json.loads(data.data)
    assert len(body["quizzes"]) == 1 and "password_hash" not in data.get_data(as_text=True)
    wrong = _account_post(client, "/account/delete", "del", {"del-current": "nope"})
    assert wrong.status_code == 400
    gone = _account_post(client, "/account/delete", "del", {"del-current": PASSWORD})
    assert gone.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id) is None
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_an_instructor_issues_a_reset_link_from_the_command_line(app, runner, make_user, client):
    make_user("asked@example.com")
    result = runner.invoke(args=["users", "reset-link", "asked@example.com"])
    assert result.exit_code == 0, result.output
    path = re.search(r"/reset/\S+", result.output).group(0)
    assert client.get(path).status_code == 200


def test_an_instructor_mails_a_student_a_reset_link(client, auth, make_user):
    make_user("stuck@example.com")
    auth.login_as("instructor")
    token = csrf_token(client, "/instructor/class")
    with mail.record_messages() as outbox:
        response = client.post(
            "/instructor/reset-link", data={"email": "stuck@example.com", "csrf_token": token}
        )
    assert response.status_code == 302
    assert [m.recipients for m in outbox] == [["stuck@example.com"]]
    page = client.get("/instructor/class").get_data(as_text=True)
    assert "/reset/" in page  # shown to hand over in person


def test_a_student_cannot_issue_reset_links(client, auth, make_user):
    make_user("other@example.com")
    auth.login_as()
    token = csrf_token(client, "/account")
    with mail.record_messages() as outbox:
        response = client.post(
            "/instructor/reset-link", data={"email": "other@example.com", "csrf_token": token}
        )
    assert response.status_code == 403 and outbox == []
