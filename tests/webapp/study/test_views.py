"""The study pages through the test client, CSRF on, plain forms only (no JavaScript)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from questions import Question as BankQuestion
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models.study import ReviewLog, StudyCard

from .. import fixture_bank
from ..helpers import csrf_from, post_form
from .conftest import HISTORY

ACTION_RE = re.compile(r'<form class="rating-form" method="post" action="([^"]+)"')
REPS_RE = re.compile(r'name="reps" type="hidden" value="(\d+)"')
SHOW_RE = re.compile(r'id="show-answer" href="([^"]+)"')
PROMPT_RE = re.compile(r'<p class="prompt">(.*?)</p>', re.S)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _show_answer(client, front_html: str) -> str:
    """Follow the front's "Show answer" link, as a browser without JavaScript does."""
    link = SHOW_RE.search(front_html)
    assert link, "no Show answer link on the front"
    return _text(client.get(html.unescape(link.group(1))))


def _rate(client, back_html: str, rating: int, override: dict | None = None):
    """Press a rating button of the back's form (``override`` replaces fields)."""
    action = html.unescape(ACTION_RE.search(back_html).group(1))
    data = {
        "csrf_token": csrf_from(back_html),
        "reps": REPS_RE.search(back_html).group(1),
        "rating": str(rating),
        **(override or {}),
    }
    return client.post(action, data=data)


def _study_one(client, rating: int, url: str = "/study/session") -> str:
    """Show the next card, flip it, rate it; return the prompt it showed."""
    front = _text(client.get(url))
    response = _rate(client, _show_answer(client, front), rating)
    assert response.status_code == 302
    return _prompt(front)


def _prompt(page: str) -> str:
    return html.unescape(PROMPT_RE.search(page).group(1)).strip()


def _reviews(app) -> list[tuple[int, int, int]]:
    """(question id, review number, rating) of every review, in order."""
    with app.app_context():
        return [
            (r.question_id, r.review_number, r.rating)
            for r in db.session.scalars(db.select(ReviewLog).order_by(ReviewLog.id))
        ]


@pytest.fixture
def signed_in(client, auth, bank) -> int:
    """Log the client in as a new student; the student's id."""
    return auth.login_as()


@pytest.mark.parametrize(
    "url", ["/study/", "/study/session", "/study/session?card=1", "/study/settings"]
)
def test_login_required(client, bank, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_guest_cannot_rate(client, app, bank):
    response = client.post(
        f"/study/rate/{bank['history-single']}", data={"rating": "3", "reps": "0"}
    )
    assert response.status_code in (302, 400)  # to the login page, or refused for want of CSRF
    assert _reviews(app) == []


def test_index_offers_sections_settings_and_progress(client, signed_in, clock):
    page = _text(client.get("/study/"))
    assert "Brief Historical overview of Sino-Russia Relations" in page
    assert 'name="section" value="history"' in page
    assert "5 not studied yet" in page  # the history section of the fixture bank
    assert "/study/settings" in page
    assert "Due in the coming week" in page


def test_plain_form_flow_front_back_rate_next(client, app, signed_in, bank, clock):
    url = "/study/session?section=history"
    front = _text(client.get(url))
    # the first history card in article order; a choice card hides its options on the front
    assert _prompt(front) == "Which river marks much of the old border?"
    visible_front = front.split("<template")[0]
    assert "Volga" not in visible_front and "Amur" not in visible_front

    back = _show_answer(client, front)
    assert re.search(r'class="key">.*?Amur.*?\(correct\)', back, re.S)
    assert "Volga" in back and "Danube" in back  # the other options, unmarked
    assert "The Amur runs along much of the border." in back
    assert "Brief Historical overview of Sino-Russia Relations, paragraph 1" in back
    # the buttons name the next interval (no fuzz): 1m, 6m (between the two steps), 10m, 8d
    labels = re.findall(
        r'<span class="rate-label">(\w+)</span>\s*'
        r'<span class="rate-interval">([^<]+)</span>',
        back,
    )
    assert labels == [("Again", "1m"), ("Hard", "6m"), ("Good", "10m"), ("Easy", "8d")]

    response = _rate(client, back, 4)
    assert response.status_code == 302
    assert response.headers["Location"] == "/study/session?section=history"
    assert _reviews(app) == [(bank["history-single"], 1, 4)]
    with app.app_context():
        assert db.session.scalar(db.select(StudyCard.due)) == clock.now + timedelta(days=8)

    # the next card is the next history question; the studied one is not due today
    nxt = _text(client.get(url))
    assert _prompt(nxt) == "Which of these are rivers of the border region?"


def test_rating_without_csrf_token_is_refused(client, app, signed_in, clock):
    back = _show_answer(client, _text(client.get("/study/session")))
    response = _rate(client, back, 3, {"csrf_token": ""})
    assert response.status_code == 400
    assert _reviews(app) == []


def test_two_posts_of_the_same_rating_record_one(client, app, signed_in, clock):
    back = _show_answer(client, _text(client.get("/study/session")))
    first = _rate(client, back, 3)
    clock.advance(seconds=2)
    second = _rate(client, back, 3)  # a double click, or the form posted again
    assert first.status_code == second.status_code == 302
    assert len(_reviews(app)) == 1
    with app.app_context():
        assert db.session.scalar(db.select(StudyCard.reps)) == 1
    assert "already rated" in _text(client.get(second.headers["Location"]))


def test_another_rating_from_a_stale_page_is_ignored_too(client, app, signed_in, clock):
    back = _show_answer(client, _text(client.get("/study/session")))
    _rate(client, back, 4)
    _rate(client, back, 1)  # the back button, then another choice on the old page
    assert [rating for _, _, rating in _reviews(app)] == [4]


def test_reloading_the_next_page_records_nothing(client, app, signed_in, clock):
    back = _show_answer(client, _text(client.get("/study/session")))
    response = _rate(client, back, 3)
    for _ in range(2):  # the redirect target is a GET: reloading it is harmless
        client.get(response.headers["Location"])
    assert len(_reviews(app)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "7", "A rating is 1 (Again) to 4 (Easy)."),
        ("rating", "", "Choose Again, Hard, Good or Easy."),
        ("reps", "-1", "The review count must be a whole number."),
    ],
)
def test_a_bad_rating_form_is_refused_with_its_reason(
    client, app, signed_in, clock, field, value, message
):
    back = _show_answer(client, _text(client.get("/study/session")))
    response = _rate(client, back, 3, {field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _reviews(app) == []


def test_new_card_limit_is_honoured_and_due_reviews_still_shown(client, app, signed_in, clock):
    response = post_form(client, "/study/settings", {"new_per_day": "3"})
    assert response.status_code == 302

    day_one = [_study_one(client, 4) for _ in range(3)]  # Easy: due again in 8 days
    assert "Done for now" in _text(client.get("/study/session"))  # six more wait: limit
    assert len(_reviews(app)) == 3

    clock.advance(days=9)  # the three cards are due; the limit starts afresh
    prompts = [_study_one(client, 4) for _ in range(6)]
    assert prompts[:3] == day_one  # due reviews first
    assert not set(prompts[3:]) & set(day_one)  # then three new ones
    assert "Done for now" in _text(client.get("/study/session"))
    assert [n for _, n, _ in _reviews(app)] == [1, 1, 1, 2, 2, 2, 1, 1, 1]


def test_settings_show_the_current_limit_and_name_a_bad_value(client, signed_in, clock):
    assert 'value="20"' in _text(client.get("/study/settings"))  # the default
    response = post_form(client, "/study/settings", {"new_per_day": "-2"})
    assert response.status_code == 200
    assert "Enter a number from 0 to 500." in response.get_data(as_text=True)
    assert 'value="20"' in _text(client.get("/study/settings"))


def test_settings_need_a_csrf_token(client, signed_in, clock):
    response = client.post("/study/settings", data={"new_per_day": "5"})
    assert response.status_code == 400
    assert 'value="20"' in _text(client.get("/study/settings"))


def test_question_text_is_escaped_on_both_faces(client, app, signed_in, clock):
    raw = fixture_bank.item("economy-basic")
    raw.update(
        id="conclusion-html",
        section="conclusion",
        prompt="<script>alert('x')</script> & which partnership?",
        answer="<b>strategic</b>",
        explanation="Both call it a <i>comprehensive</i> strategic partnership.",
    )
    with app.app_context():
        sync_bank(fixture_bank.questions() + [BankQuestion.from_dict(raw)])
        db.session.commit()
    front = _text(client.get("/study/session?section=conclusion"))
    assert "<script>alert" not in front
    assert "&lt;script&gt;alert(" in front
    back = _show_answer(client, front)
    assert "<script>alert" not in back and "<b>strategic</b>" not in back
    assert "&lt;b&gt;strategic&lt;/b&gt;" in back
    assert "&lt;i&gt;comprehensive&lt;/i&gt;" in back


@pytest.mark.parametrize(
    ("uid", "front_has", "front_lacks", "back_has"),
    [
        (
            "economy-cloze",
            ["[…]", "[direction]"],
            ["pipeline", "east"],
            ["Gas flows through the pipeline to the east."],
        ),
        (
            "history-order",
            ["Put these in order:", "1689", "2001"],
            [],
            ["1689 → 1858 → 1960 → 2001"],
        ),
        ("economy-match", ["Gas", "Balloon", "Tanker"], [], ["Gas → Pipeline"]),
        ("economy-numeric", ["A number, in litres."], ["1,000", "1000"], ["1,000 litres"]),
        ("history-tf", ["True or false?"], [], ["True"]),
        ("history-short", [], ["Amur"], ["Amur", "Also accepted: Heilongjiang"]),
        (
            "history-multi",
            ["Recall the answers"],
            ["Ussuri"],
            ['Ussuri <span class="tag-key">(correct)</span>'],
        ),
    ],
)
def test_every_kind_has_a_front_and_a_back(
    client, bank, signed_in, clock, uid, front_has, front_lacks, back_has
):
    front = _text(client.get(f"/study/session?card={bank[uid]}")).split("<template")[0]
    for text in front_has:
        assert text in front
    for text in front_lacks:
        assert text not in front
    back = _text(client.get(f"/study/session?card={bank[uid]}&back=1"))
    for text in back_has:
        assert text in back


def test_unknown_section_is_a_clear_error(client, signed_in):
    response = client.get("/study/session?section=atlantis")
    assert response.status_code == 400
    assert "Unknown section" in response.get_data(as_text=True)
    assert "atlantis" in response.get_data(as_text=True)


def test_a_question_not_published_cannot_be_shown_or_rated(client, app, bank, signed_in):
    response = client.get("/study/session?card=999999")
    assert response.status_code == 404
    back = _show_answer(client, _text(client.get("/study/session")))
    action = html.unescape(ACTION_RE.search(back).group(1))
    response = client.post(
        action.replace(f"/{bank['history-single']}", "/999999"),
        data={"csrf_token": csrf_from(back), "reps": "0", "rating": "3"},
    )
    assert response.status_code == 404
    assert _reviews(app) == []


def test_done_page_when_the_chosen_sections_are_finished(client, signed_in, clock):
    for _ in HISTORY:
        _study_one(client, 4, "/study/session?section=history")
    done = _text(client.get("/study/session?section=history"))
    assert "Done for now" in done
    assert "Next card due: " in done and "2026-03-10 09:00 UTC" in done
    # other sections still have cards
    assert _prompt(_text(client.get("/study/session"))) == "How many litres in a cubic metre?"


COUNTS_RE = re.compile(
    r'<span class="count-due">(\d+) due</span> · <span class="count-new">(\d+) new left today'
)


def _counts(page: str) -> tuple[int, int]:
    found = COUNTS_RE.search(page)
    assert found, "no counters on the card page"
    return int(found.group(1)), int(found.group(2))


def test_one_rating_lowers_exactly_the_counter_its_card_came_from(
    client, app, signed_in, bank, clock
):
    """A card a quiz made due counts as due: rating it must not use a new card's slot too."""
    from webapp.study import service

    post_form(client, "/study/settings", {"new_per_day": "2"})  # fewer new than unseen
    with app.app_context():
        # a quiz answer got history-single wrong a minute ago: due, never rated
        service.note_quiz_result(signed_in, bank["history-single"], False, clock.now)
        db.session.commit()
    clock.advance(minutes=1)
    front = _text(client.get("/study/session"))
    assert _counts(front) == (1, 2)
    assert _rate(client, _show_answer(client, front), 4).status_code == 302  # the due card
    front = _text(client.get("/study/session"))
    assert _counts(front) == (0, 2)  # only "due" dropped
    assert _rate(client, _show_answer(client, front), 4).status_code == 302  # a new card
    assert _counts(_text(client.get("/study/session"))) == (0, 1)  # only "new" dropped
