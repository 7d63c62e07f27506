"""The dashboard: mastery, history chart, best and last, most missed, review mistakes."""

import html
import re

from questions import SECTIONS_BY_SLUG
from webapp.extensions import db
from webapp.models import Attempt, Question
from webapp.quiz.presentation import display_prompt

from . import fixture_bank
from .helpers import answer_all, item_state, post_form, right_form, start_quiz, submit, wrong_form


def test_dashboard_needs_a_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_new_student_sees_an_empty_dashboard(client, auth, bank):
    auth.login_as("student")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Finish a quiz to see your scores here." in page
    assert "Nothing missed yet." in page
    assert "No mistakes to review" in page


def test_dashboard_shows_best_last_history_mastery_and_misses(client, app, auth, bank):
    auth.login_as("student")
    first = start_quiz(client, "history", size=5)
    answer_all(client, app, first, right=True)
    second = start_quiz(client, "history", size=5)
    answer_all(client, app, second, right=False)
    page = client.get("/dashboard").get_data(as_text=True)
    stats = dict(re.findall(r"<span>([^<]+)</span><strong>([^<]+)</strong>", page))
    quiz_stats = ("Quizzes finished", "Best score", "Last score", "Answers given")
    assert {k: stats[k] for k in quiz_stats} == {
        "Quizzes finished": "2",
        "Best score": "100%",
        "Last score": "0%",
        "Answers given": "10",
    }
    # The study figures sit beside them: the five questions missed are due in study.
    assert stats["Due today"] == "5"
    # The chart: one point per finished quiz, server-rendered SVG.
    assert page.count("<circle") == 2
    assert "<svg" in page and "<polyline" in page
    # Mastery: every history question was last answered wrong.
    history_row = page[page.index('href="/quiz/history"') :]
    assert "0 / 5" in history_row.split("</tr>")[0]
    # Most missed lists the questions with their miss counts, their section and text.
    assert page.count("1 of 2") == 5
    missed = page[page.index("Most often missed") :]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td", missed, re.S)
    assert len(rows) == 5
    assert {section for _, section in rows} == {SECTIONS_BY_SLUG["history"].title}
    prompts = {html.unescape(prompt) for prompt, _ in rows}
    asked = {display_prompt(q) for q in fixture_bank.questions() if q.section == "history"}
    assert prompts <= asked, prompts - asked
    assert "Review my mistakes (5)" in page


def test_mastery_counts_the_last_answer_to_each_question(client, app, auth, bank):
    auth.login_as("student")
    first = start_quiz(client, "history", size=5)
    answer_all(client, app, first, right=False)
    second = start_quiz(client, "history", size=5)
    answer_all(client, app, second, right=True)
    page = client.get("/dashboard").get_data(as_text=True)
    history_row = page[page.index('href="/quiz/history"') :].split("</tr>")[0]
    assert "5 / 5" in history_row
    assert "No mistakes to review" in page


def test_review_my_mistakes_quizzes_exactly_the_last_wrong_questions(client, app, auth, bank):
    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    wrong_uids = set()
    for position in range(1, 6):
        q, presentation = item_state(app, attempt_id, position)
        if position <= 2:
            submit(client, attempt_id, position, wrong_form(q, presentation))
            wrong_uids.add(q.id)
        else:
            submit(client, attempt_id, position, right_form(q, presentation))
    response = post_form(client, "/quiz/mistakes", {"size": "10"}, page="/dashboard")
    assert response.status_code == 302
    mistakes_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, mistakes_id)
        assert attempt.mode == "mistakes"
        assert {it.question.uid for it in attempt.items} == wrong_uids


def test_mistakes_need_a_login(client, bank):
    response = client.get("/quiz/mistakes")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_guest_attempts_count_in_no_statistics(client, app, auth, bank):
    guest = app.test_client()
    attempt_id = start_quiz(guest, "history", size=5)
    answer_all(guest, app, attempt_id, right=False)
    auth.login_as("student")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Finish a quiz to see your scores here." in page
    assert "Nothing missed yet." in page


def test_retired_questions_leave_mastery_but_keep_their_history(client, app, auth, bank):
    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    answer_all(client, app, attempt_id, right=True)
    with app.app_context():
        db.session.get(Question, bank["history-single"]).status = "retired"
        db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    history_row = page[page.index('href="/quiz/history"') :].split("</tr>")[0]
    assert "4 / 4" in history_row
    stats = dict(re.findall(r"<span>([^<]+)</span><strong>([^<]+)</strong>", page))
    assert stats["Answers given"] == "5"


def test_dashboard_lists_latest_quizzes_to_review_or_resume(client, app, auth, bank):
    auth.login_as("student")
    done = start_quiz(client, "history", size=5)
    answer_all(client, app, done, right=True)
    open_id = start_quiz(client, "economy-energy", size=5)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'<a href="/attempts/{done}">Review' in page
    assert f'<a href="/attempts/{open_id}">Resume' in page
    assert "0 of 4 answered" in page


def test_the_score_chart_labels_its_axis_in_the_students_zone(client, app, auth, bank):
    """Quizzes finished at noon UTC on 27 and 28 November read 28 and 29 November at +14."""
    from datetime import UTC, datetime

    from webapp.models import User
    from webapp.timezones import set_zone

    uid = auth.login_as()
    with app.app_context():
        set_zone(db.session.get(User, uid), "Pacific/Kiritimati")
        for day in (27, 28):
            at = datetime(2026, 11, day, 12, 0, tzinfo=UTC)
            db.session.add(
                Attempt(
                    user_id=uid,
                    mode="section",
                    sections=["history"],
                    size=1,
                    started_at=at,
                    finished_at=at,
                    score=0.5,
                )
            )
        db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    labels = re.findall(r'text-anchor="(?:start|end)">(\d[^<%]+)</text>', page)
    assert labels == ["28 Nov", "29 Nov"]
    assert "Started (Pacific/Kiritimati)" in page
