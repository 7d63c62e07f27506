"""The same student answering the same question from several tabs at once stores one answer,
and every request gets a normal answer (no 500): the unique key settles the race."""

from __future__ import annotations

import threading

from webapp.extensions import db
from webapp.models import Answer, AttemptItem

from .helpers import csrf_from, item_state, right_form, start_quiz, wrong_form

TABS = 8


def test_concurrent_answers_to_one_question_store_one(app, client, auth, bank):
    auth.login_as("student")
    attempt_id = start_quiz(client, "history", size=5)
    url = f"/attempts/{attempt_id}/items/1"
    token = csrf_from(client.get(url).data)
    q, presentation = item_state(app, attempt_id, 1)
    forms = [
        right_form(q, presentation) if i % 2 else wrong_form(q, presentation) for i in range(TABS)
    ]
    cookie = client.get_cookie("session").value
    barrier = threading.Barrier(TABS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def tab(form: dict) -> None:
        tab_client = app.test_client()
        tab_client.set_cookie("session", cookie)
        barrier.wait()
        try:
            statuses.append(tab_client.post(url, data={**form, "csrf_token": token}).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(f,)) for f in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert statuses == [302] * TABS, statuses
    with app.app_context():
        answers = db.session.scalars(
            db.select(Answer)
            .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
            .where(AttemptItem.attempt_id == attempt_id)
        ).all()
    assert len(answers) == 1
    # The page now shows that one answer, whichever tab won.
    page = client.get(url).get_data(as_text=True)
    assert ("Right!" in page) == answers[0].correct
