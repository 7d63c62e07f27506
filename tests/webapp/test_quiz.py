"""Taking a quiz: start, answer every kind, feedback, resume, double submits, privacy."""

import re

import pytest

from webapp.extensions import db
from webapp.models import Answer, Attempt, AttemptItem, Question, RateCounter

from . import fixture_bank
from .helpers import (
    answer_all,
    csrf_from,
    csrf_token,
    item_state,
    post_form,
    right_form,
    start_quiz,
    submit,
    wrong_form,
)

KINDS = sorted({i["kind"] for i in fixture_bank.ITEMS})


def _attempt(app, attempt_id):
    with app.app_context():
        a = db.session.get(Attempt, attempt_id)
        db.session.expunge(a)
        return a


def _answers(app, attempt_id):
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Answer).join(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
            )
        )


def _position_of(app, attempt_id, uid):
    with app.app_context():
        return db.session.scalar(
            db.select(AttemptItem.position)
            .join(Question)
            .where(AttemptItem.attempt_id == attempt_id, Question.uid == uid)
        )


def _single_item_attempt(client, app, uid):
    """A quiz holding only ``uid`` (every other question retired), as the client."""
    with app.app_context():
        for q in db.session.scalars(db.select(Question)):
            q.status = "published" if q.uid == uid else "retired"
        db.session.commit()
    section = fixture_bank.item(uid)["section"]
    return start_quiz(client, section, size=5)


def test_start_page_offers_sizes_and_starts_a_quiz(client, app, bank):
    page = client.get("/quiz/history").get_data(as_text=True)
    assert '<label for="size">Number of questions</label>' in page
    assert "5 questions to draw from" in page
    attempt_id = start_quiz(client, "history", size=5)
    attempt = _attempt(app, attempt_id)
    assert attempt.size == 5
    assert attempt.mode == "section"
    assert attempt.sections == ["history"]
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"] == f"/attempts/{attempt_id}/items/1"


def test_size_is_capped_by_the_questions_available(client, app, bank):
    attempt_id = start_quiz(client, "history", size=40)
    assert _attempt(app, attempt_id).size == 5  # the fixture's history questions


def test_unknown_section_is_404_and_empty_section_says_so(client, bank):
    assert client.get("/quiz/no-such-section").status_code == 404
    response = post_form(client, "/quiz/conclusion", {"size": "5"})
    assert response.headers["Location"] == "/"
    assert "no questions in this part yet" in client.get("/").get_data(as_text=True)


def test_several_sections_draw_only_from_the_chosen_ones(client, app, bank):
    attempt_id = start_quiz(client, "mixed", size=40, sections=["economy-energy"])
    with app.app_context():
        sections = set(
            db.session.scalars(
                db.select(Question.section)
                .join(AttemptItem)
                .where(AttemptItem.attempt_id == attempt_id)
            )
        )
    assert sections == {"economy-energy"}
    assert _attempt(app, attempt_id).mode == "mixed"


def test_several_sections_need_at_least_one_ticked(client, bank):
    response = post_form(client, "/quiz/mixed", {"size": "10"}, page="/")
    assert response.status_code == 400
    assert "Tick at least one section." in response.get_data(as_text=True)


def test_whole_article_draws_from_every_section(client, app, bank):
    attempt_id = start_quiz(client, "all", size=40)
    assert _attempt(app, attempt_id).size == len(fixture_bank.ITEMS)


def test_retired_questions_are_not_drawn(client, app, bank):
    with app.app_context():
        db.session.get(Question, bank["history-single"]).status = "retired"
        db.session.commit()
    attempt_id = start_quiz(client, "history", size=40)
    assert _attempt(app, attempt_id).size == 4
    assert _position_of(app, attempt_id, "history-single") is None


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_an_accessible_form_and_grades_a_right_answer(client, app, bank, kind):
    uid = next(i["id"] for i in fixture_bank.ITEMS if i["kind"] == kind)
    attempt_id = _single_item_attempt(client, app, uid)
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    form = page[page.index('<form method="post" action="/attempts/') :]
    form = form[: form.index("</form>")]
    # Every visible input and select has a label.
    for tag_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form):
        assert f'for="{tag_id}"' in form, f"no label for #{tag_id}"
    for inp in re.findall(r'<input[^>]*type="(?:radio|checkbox)"[^>]*>', form):
        assert inp in form and "<label>" in form
    if kind in ("single_choice", "multiple_select", "true_false", "ordering", "matching", "cloze"):
        assert "<fieldset" in form and "<legend" in form
    q, presentation = item_state(app, attempt_id, 1)
    response = submit(client, attempt_id, 1, right_form(q, presentation))
    assert response.status_code == 302
    [answer] = _answers(app, attempt_id)
    assert answer.correct and answer.score == 1.0
    feedback = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "Right!" in feedback
    assert q.explanation in feedback
    assert "Source: " in feedback


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_answer_shows_the_right_one(client, app, bank, kind):
    uid = next(i["id"] for i in fixture_bank.ITEMS if i["kind"] == kind)
    attempt_id = _single_item_attempt(client, app, uid)
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, wrong_form(q, presentation))
    [answer] = _answers(app, attempt_id)
    assert not answer.correct and answer.score < 1
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    # The answer is marked in place: some part wrong or missed, in words beside its icon.
    marks = re.findall(r'class="mark mark-(wrong|missed)"', page)
    assert marks, "no part of the wrong answer is marked wrong or missed"
    assert re.search(r'class="mark-word">[^<]*(?:wrong|Wrong|Missed|Right answer|Belongs)', page)


@pytest.mark.parametrize(
    ("uid", "secret"),
    [
        ("history-short", "Amur"),
        ("history-short", "Heilongjiang"),
        ("economy-numeric", "1000"),
        ("economy-cloze", "pipeline"),
        ("economy-basic", "Moscow"),
        ("history-tf", "thousands of kilometres"),  # the explanation
    ],
)
def test_the_key_never_reaches_the_browser_before_answering(client, app, bank, uid, secret):
    attempt_id = _single_item_attempt(client, app, uid)
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert secret not in page


def test_choice_values_are_displayed_positions_not_canonical_indices(client, app, bank):
    attempt_id = _single_item_attempt(client, app, "history-single")
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    _, presentation = item_state(app, attempt_id, 1)
    shown = re.findall(r'value="(\d)">\s*<span class="choice-text">([^<]+)</span>', page)
    texts = [o["text"] for o in fixture_bank.item("history-single")["options"]]
    assert [t for _, t in shown] == [texts[i] for i in presentation["options"]]
    assert [v for v, _ in shown] == ["0", "1", "2"]
    assert "correct" not in page.lower().split("<form", 1)[1].split("</form>")[0]


def test_a_reload_shows_the_same_quiz(client, app, bank):
    attempt_id = start_quiz(client, "all", size=40)
    first = [
        client.get(f"/attempts/{attempt_id}/items/{p}").get_data(as_text=True) for p in range(1, 10)
    ]
    again = [
        client.get(f"/attempts/{attempt_id}/items/{p}").get_data(as_text=True) for p in range(1, 10)
    ]
    strip = [re.sub(r'value="[^"]{40,}"', "", page) for page in first]  # csrf tokens
    assert strip == [re.sub(r'value="[^"]{40,}"', "", page) for page in again]


def test_a_double_submit_records_one_answer(client, app, bank):
    attempt_id = _single_item_attempt(client, app, "history-tf")
    url = f"/attempts/{attempt_id}/items/1"
    token = csrf_from(client.get(url).data)
    first = client.post(url, data={"choice": "true", "csrf_token": token})
    second = client.post(url, data={"choice": "false", "csrf_token": token})
    assert first.status_code == second.status_code == 302
    [answer] = _answers(app, attempt_id)
    assert answer.response is True and answer.correct


def test_the_database_refuses_a_second_answer_to_one_item(app, client, bank):
    from sqlalchemy.exc import IntegrityError

    attempt_id = _single_item_attempt(client, app, "history-tf")
    submit(client, attempt_id, 1, {"choice": "true"})
    with app.app_context():
        item = db.session.scalar(db.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        db.session.add(Answer(attempt_item_id=item.id, response=False, score=0.0, correct=False))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize(
    ("uid", "data", "message"),
    [
        (
            "history-order",
            {"pos-0": "1", "pos-1": "1", "pos-2": "2", "pos-3": "3"},
            "Give each item a different position from 1 to 4",
        ),
        ("history-order", {"pos-0": "1"}, "Give each item a different position"),
        ("economy-match", {"match-0": "0"}, "Choose a match for every item."),
        ("economy-numeric", {"answer": "a great many"}, "Type a number, like 1,000 or 7.5"),
        ("history-single", {}, "Choose one answer."),
        ("history-multi", {}, "Tick at least one option"),
        ("history-short", {"answer": "   "}, "Type an answer."),
        ("economy-cloze", {"blank-0": "", "blank-1": ""}, "Fill in the blanks"),
    ],
)
def test_malformed_answers_get_a_clear_message_and_nothing_is_stored(
    client, app, bank, uid, data, message
):
    attempt_id = _single_item_attempt(client, app, uid)
    response = submit(client, attempt_id, 1, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="error"' in page
    assert _answers(app, attempt_id) == []


def test_numeric_answers_read_thousands_separators(client, app, bank):
    attempt_id = _single_item_attempt(client, app, "economy-numeric")
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "litres" in page  # the unit is shown
    submit(client, attempt_id, 1, {"answer": "1,000"})
    [answer] = _answers(app, attempt_id)
    assert answer.correct


@pytest.mark.parametrize("typed", ["1000 litres", "about 1000", "1,000."])
def test_numeric_answers_are_read_as_the_grader_reads_them(client, app, bank, typed):
    attempt_id = _single_item_attempt(client, app, "economy-numeric")
    response = submit(client, attempt_id, 1, {"answer": typed})
    assert response.status_code == 302
    [answer] = _answers(app, attempt_id)
    assert answer.correct


def test_an_unfinished_attempt_resumes_at_the_first_open_question(client, app, bank):
    attempt_id = start_quiz(client, "history", size=5)
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, right_form(q, presentation))
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "So far you have 1 of 1 point; 4 questions to go." in page
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"] == f"/attempts/{attempt_id}/items/2"


def test_finishing_shows_the_score_and_per_question_feedback(client, app, bank, auth):
    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    answer_all(client, app, attempt_id, right=True)
    attempt = _attempt(app, attempt_id)
    assert attempt.is_finished and attempt.score == 1.0
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "100%" in page
    assert "5 of 5 right" in page
    assert page.count("Source: ") == 5
    assert "not saved" not in page


def test_ending_early_counts_unanswered_questions_as_wrong(client, app, bank):
    attempt_id = start_quiz(client, "history", size=5)
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, right_form(q, presentation))
    url = f"/attempts/{attempt_id}/items/2"
    response = post_form(client, f"/attempts/{attempt_id}/finish", {}, page=url)
    assert response.status_code == 302
    attempt = _attempt(app, attempt_id)
    assert attempt.is_finished and attempt.score == pytest.approx(0.2)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Not answered." in page
    # A finished attempt takes no more answers.
    token = csrf_from(client.get("/").data)
    client.post(url, data={"choice": "true", "csrf_token": token})
    assert len(_answers(app, attempt_id)) == 1


def test_a_guest_sees_the_score_and_an_invitation_and_nothing_is_saved_to_a_user(client, app, bank):
    attempt_id = start_quiz(client, "history", size=5)
    answer_all(client, app, attempt_id, right=False)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "0%" in page
    assert "Your score is not saved." in page
    assert 'href="/register"' in page
    attempt = _attempt(app, attempt_id)
    assert attempt.user_id is None and attempt.guest_token


def test_a_student_cannot_see_or_answer_another_students_attempt(app, bank, auth, client):
    auth.login_as("student", "one@example.com")
    attempt_id = start_quiz(client, "history", size=5)
    auth.logout()
    auth.login_as("student", "two@example.com")
    assert client.get(f"/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/attempts/{attempt_id}/items/1").status_code == 404
    token = csrf_from(client.get("/").data)
    response = client.post(
        f"/attempts/{attempt_id}/items/1", data={"choice": "true", "csrf_token": token}
    )
    assert response.status_code == 404
    response = client.post(f"/attempts/{attempt_id}/finish", data={"csrf_token": token})
    assert response.status_code == 404
    assert _answers(app, attempt_id) == []
    assert not _attempt(app, attempt_id).is_finished


def test_guests_cannot_see_other_guests_or_users_attempts(app, bank):
    one, two = app.test_client(), app.test_client()
    attempt_id = start_quiz(one, "history", size=5)
    assert one.get(f"/attempts/{attempt_id}/items/1").status_code == 200
    assert two.get(f"/attempts/{attempt_id}/items/1").status_code == 404


def test_answer_posts_need_a_csrf_token(client, app, bank):
    attempt_id = _single_item_attempt(client, app, "history-tf")
    response = client.post(f"/attempts/{attempt_id}/items/1", data={"choice": "true"})
    assert response.status_code == 400
    assert _answers(app, attempt_id) == []


def test_question_text_is_escaped(client, app, bank):
    with app.app_context():
        q = db.session.get(Question, bank["history-short"])
        data = dict(q.current_revision.data)
        data["prompt"] = "<script>alert(1)</script> Which river?"
        q.add_revision(data)
        db.session.commit()
    attempt_id = _single_item_attempt(client, app, "history-short")
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_answers_keep_the_revision_they_answered(client, app, bank):
    attempt_id = _single_item_attempt(client, app, "history-tf")
    with app.app_context():
        q = db.session.get(Question, bank["history-tf"])
        first_rev = q.current_revision_id
    submit(client, attempt_id, 1, {"choice": "true"})
    [answer] = _answers(app, attempt_id)
    with app.app_context():
        assert db.session.get(Answer, answer.id).item.revision_id == first_rev


def test_the_home_page_offers_to_resume_an_unfinished_quiz(client, app, bank, auth):
    attempt_id = start_quiz(client, "history", size=5)
    page = client.get("/").get_data(as_text=True)
    assert "You have an unfinished quiz" in page
    assert f'href="/attempts/{attempt_id}"' in page
    # Another visitor sees nothing of it.
    assert "unfinished quiz" not in app.test_client().get("/").get_data(as_text=True)
    answer_all(client, app, attempt_id)
    assert "unfinished quiz" not in client.get("/").get_data(as_text=True)


def test_a_racing_second_answer_is_dropped_by_the_unique_key(client, app, bank):
    """Two requests that both saw the item unanswered: the database keeps the first."""
    from webapp.quiz import service

    attempt_id = _single_item_attempt(client, app, "history-tf")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        item = service.load_item(attempt_id, 1)
        item_id, q = item.id, item.revision.to_question()
        assert service.record_answer(attempt, item, q, True) is True
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        stale = db.session.get(AttemptItem, item_id)  # a second request inserting anyway
        assert service.record_answer(attempt, stale, q, False) is False
    [answer] = _answers(app, attempt_id)
    assert answer.response is True
    assert _attempt(app, attempt_id).score == 1.0


def test_two_tabs_answering_the_last_two_questions_at_once_still_end_the_quiz(
    client, app, bank, auth
):
    """An answer tells the quiz's end from the progress read with its item. Two tabs that
    read their items before either stored an answer each see one question still open, so
    neither ends the quiz; the quiz's own page then ends it, with every answer counted."""
    from werkzeug.datastructures import MultiDict

    from webapp.quiz import service
    from webapp.quiz.presentation import parse_form

    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    for position in (1, 2, 3):
        q, presentation = item_state(app, attempt_id, position)
        submit(client, attempt_id, position, right_form(q, presentation))
    with app.app_context():
        fourth, fifth = (service.load_item(attempt_id, p, progress=True) for p in (4, 5))
        assert fourth.progress[0] == fifth.progress[0] == 3
        for item in (fourth, fifth):
            q = item.revision.to_question()
            parsed = parse_form(q, item.presentation, MultiDict(right_form(q, item.presentation)))
            assert service.record_answer(
                item.attempt, item, q, parsed.response, so_far=item.progress
            )
    assert not _attempt(app, attempt_id).is_finished
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "5 of 5 right" in page
    attempt = _attempt(app, attempt_id)
    assert attempt.is_finished and attempt.score == 1.0


def test_a_duplicate_answer_undoes_only_itself_not_the_rest_of_the_request(client, app, bank):
    """The duplicate inserts nothing (ON CONFLICT DO NOTHING): what the request wrote
    before it is kept."""
    from webapp.quiz import service

    attempt_id = _single_item_attempt(client, app, "history-tf")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        item = service.load_item(attempt_id, 1)
        item_id, q = item.id, item.revision.to_question()
        assert service.record_answer(attempt, item, q, True) is True
    with app.app_context():  # a second request: writes something, then answers again
        db.session.add(RateCounter(key="other", window_start=0, count=1))
        attempt = db.session.get(Attempt, attempt_id)
        stale = db.session.get(AttemptItem, item_id)
        assert service.record_answer(attempt, stale, q, False) is False
    with app.app_context():
        assert "other" in db.session.scalars(db.select(RateCounter.key)).all()
    [answer] = _answers(app, attempt_id)
    assert answer.response is True


def test_option_feedback_shows_after_answering_for_the_option_picked_only(client, app, bank):
    uid = next(i["id"] for i in fixture_bank.ITEMS if i["kind"] == "single_choice")
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        data = dict(row.current_revision.data)
        data["options"] = [{**o, "feedback": f"Note on <{o['text']}>"} for o in data["options"]]
        row.current_revision.data = data
        db.session.commit()
    attempt_id = _single_item_attempt(client, app, uid)
    before = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "Note on" not in before  # nothing before answering
    q, presentation = item_state(app, attempt_id, 1)
    submit(client, attempt_id, 1, wrong_form(q, presentation))
    page = client.get(f"/attempts/{attempt_id}/items/1").get_data(as_text=True)
    picked = [o.text for o in q.options if not o.correct]
    shown = re.findall(r"Note on &lt;(.*?)&gt;", page)
    assert len(shown) == 1 and shown[0] in picked  # escaped, and only the one picked


def test_an_unfinished_quiz_can_be_discarded(client, app, bank, auth):
    auth.login_as()
    attempt_id = start_quiz(client, "history", size=5)
    response = client.post(
        f"/attempts/{attempt_id}/discard", data={"csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Attempt, attempt_id) is None


def test_the_start_page_offers_no_size_beyond_the_pool(client, bank):
    page = client.get("/quiz/history").get_data(as_text=True)  # the pool holds 5
    assert "All 5 questions" in page
    assert ">10 questions<" not in page
