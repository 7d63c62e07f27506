"""Progress figures on a hand-made history, frozen at NOW (Monday 2 March, 09:00 UTC)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.models import Question, Status
from webapp.models.study import ReviewLog, StudyCard
from webapp.study.progress import study_progress
from webapp.study.scheduling import State
from webapp.study.service import count_in_day

from ..helpers import count_queries
from .conftest import NOW

REVIEW, LEARNING = int(State.Review), int(State.Learning)


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time in March 2026 (day 0 is 28 February, negative days go further back)."""
    return datetime(2026, 3, 1, hour, minute, tzinfo=NOW.tzinfo) + timedelta(days=day - 1)


class History:
    """Builds cards and review logs for one student by hand."""

    def __init__(self, user_id: int, question_ids: list[int]) -> None:
        self.user_id = user_id
        self.free = list(question_ids)
        self.cards: list[StudyCard] = []

    def card(self, due: datetime) -> StudyCard:
        card = StudyCard(
            user_id=self.user_id,
            question_id=self.free.pop(0),
            state=REVIEW,
            stability=5.0,
            difficulty=5.0,
            due=due,
            reps=0,
        )
        db.session.add(card)
        self.cards.append(card)
        return card

    def review(
        self,
        when: datetime,
        rating: int = 3,
        state_before: int = REVIEW,
        card: StudyCard | None = None,
    ) -> None:
        card = card or self.cards[0]
        card.reps += 1
        db.session.add(
            ReviewLog(
                card=card,
                user_id=self.user_id,
                question_id=card.question_id,
                review_number=card.reps,
                rating=rating,
                reviewed_at=when,
                state_before=state_before,
                state_after=REVIEW,
                elapsed_days=1,
                due_after=card.due,
            )
        )
        # as record_rating does, in the same transaction
        count_in_day(self.user_id, when, state_before=state_before, rating=rating)


def _questions(n: int, prefix: str = "extra") -> list[int]:
    rows = [
        Question(
            uid=f"{prefix}-{i}", section="history", kind="basic", status=Status.PUBLISHED.value
        )
        for i in range(n)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return [r.id for r in rows]


@pytest.fixture
def history(ctx, student, bank) -> History:
    h = History(student, list(bank.values()) + _questions(10))
    # due dates: one overdue and one late today count today; then the week ahead
    h.card(_at(-8))  # overdue since 21 February -> today
    h.card(_at(2, 23, 30))  # today, late
    h.card(_at(3, 0, 30))  # tomorrow, just after midnight
    h.card(_at(5, 8))  # Thursday
    h.card(_at(5, 20))  # Thursday
    h.card(_at(8, 23, 59))  # Sunday, the seventh day
    h.card(_at(9, 0, 0))  # Monday next week: beyond the forecast
    retired = h.card(_at(2, 10))  # a retired question's card counts nowhere
    db.session.get(Question, retired.question_id).status = Status.RETIRED.value
    # reviews: today (2), yesterday, Saturday, Friday, then a gap on Thursday, Wednesday
    h.review(_at(2, 0, 5))
    h.review(_at(2, 8, 59), rating=1)  # Again in review: a lapse
    h.review(_at(1, 23, 59))
    h.review(_at(0, 7))
    h.review(_at(-1, 7), rating=4)
    h.review(_at(-3, 7), rating=2)
    h.review(_at(1, 9), rating=1, state_before=LEARNING)  # learning: not in retention
    h.review(_at(-40), rating=1)  # older than 30 days
    db.session.commit()
    return h


def test_progress_figures_on_a_known_history(history, student):
    p = study_progress(student, NOW)
    assert p.due_today == 2
    assert p.reviewed_today == 2
    assert p.streak == 4  # Monday, Sunday, Saturday, Friday; not Wednesday (gap)
    # reviews of cards in review, last 30 days: Good, Again, Good, Good, Easy, Hard
    assert p.retention_reviews == 6
    assert p.retention == pytest.approx(5 / 6)
    assert p.forecast == [
        (date(2026, 3, 2), 2),
        (date(2026, 3, 3), 1),
        (date(2026, 3, 4), 0),
        (date(2026, 3, 5), 2),
        (date(2026, 3, 6), 0),
        (date(2026, 3, 7), 0),
        (date(2026, 3, 8), 1),
    ]


def test_other_students_do_not_count(history, make_user):
    other = make_user("other@example.com")
    p = study_progress(other, NOW)
    assert (p.due_today, p.reviewed_today, p.streak, p.retention) == (0, 0, 0, None)
    assert [n for _, n in p.forecast] == [0] * 7


@pytest.mark.parametrize(
    ("now", "streak"),
    [
        (_at(3, 8), 4),  # Tuesday before studying: the streak ending yesterday still counts
        (_at(4, 8), 0),  # Wednesday: a whole day without studying ends it
    ],
)
def test_streak_ends_today_or_yesterday(history, student, now, streak):
    assert study_progress(student, now).streak == streak


def test_a_review_just_before_midnight_counts_on_its_utc_day(history, student):
    just_after = _at(3, 0, 1)
    history.review(_at(2, 23, 59))
    db.session.commit()
    p = study_progress(student, just_after)
    assert p.reviewed_today == 0 and p.streak == 4


def test_retention_counts_the_last_thirty_utc_days(history, student):
    history.review(datetime(2026, 2, 1, 0, 0, tzinfo=NOW.tzinfo))  # day 30: in
    history.review(datetime(2026, 1, 31, 23, 59, tzinfo=NOW.tzinfo), rating=1)  # day 31: out
    db.session.commit()
    p = study_progress(student, NOW)
    assert p.retention_reviews == 7
    assert p.retention == pytest.approx(6 / 7)


def test_queries_stay_flat_as_history_grows(history, student):
    db.session.expire_all()
    with count_queries(db.engine) as small:
        study_progress(student, NOW)
    more = History(student, _questions(60, prefix="more"))
    for i in range(60):
        card = more.card(NOW + timedelta(hours=i * 3))
        for day in range(5):
            more.review(NOW - timedelta(days=day * 7 + i % 7), card=card)
    db.session.commit()
    db.session.expire_all()
    with count_queries(db.engine) as large:
        study_progress(student, NOW)
    assert small.count == large.count == 2


def test_study_page_shows_the_figures_and_the_forecast(client, auth, history, clock):
    auth.login("student@example.com")
    page = client.get("/study/").get_data(as_text=True)
    assert re.search(r"<span>Due today</span><strong>2</strong>", page)
    assert re.search(r"<span>Reviewed today</span><strong>2</strong>", page)
    assert re.search(r"<span>Streak</span><strong>4 days</strong>", page)
    assert re.search(r"<span>Retention, 30 days</span><strong>83%</strong>", page)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', page)
    assert rows[:3] == [("Today", "2"), ("Tomorrow", "1"), ("Wed 04 Mar", "0")]
    assert len(rows) == 7


def test_dashboard_shows_the_study_figures_and_forecast(client, auth, history, clock):
    auth.login("student@example.com")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Flashcard study" in page
    assert re.search(r"<span>Due today</span><strong>2</strong>", page)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', page)
    assert ("Thu 05 Mar", "2") in rows
