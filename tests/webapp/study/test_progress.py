"""Progress figures on a hand-made history, frozen at NOW (Monday 2 March, 09:00 UTC).

Days are study days: from 4 a.m. to 4 a.m. in the student's zone (UTC unless given)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from webapp.extensions import db
from webapp.models import Question, Status, User
from webapp.models.study import ReviewLog, StudyCard, StudyDay
from webapp.study.progress import study_progress
from webapp.study.scheduling import State
from webapp.study.service import count_in_day
from webapp.timezones import set_zone

from ..helpers import count_queries, csrf_from
from .conftest import NOW
from .test_views import ACTION_RE, SHOW_RE

REVIEW, LEARNING = int(State.Review), int(State.Learning)


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time in March 2026 (day 0 is 28 February, negative days go further back)."""
    return datetime(2026, 3, 1, hour, minute, tzinfo=NOW.tzinfo) + timedelta(days=day - 1)


class History:
    """Builds cards and review logs for one student by hand."""

    def __init__(self, user_id: int, question_ids: list[int], zone: tzinfo = UTC) -> None:
        self.user_id = user_id
        self.zone = zone
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
        count_in_day(self.user_id, when, state_before=state_before, rating=rating, zone=self.zone)


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
    h.card(_at(3, 2, 30))  # 02:30 on Tuesday: still Monday's study day
    h.card(_at(3, 4, 30))  # tomorrow, just after the day turns at 4 a.m.
    h.card(_at(5, 8))  # Thursday
    h.card(_at(5, 20))  # Thursday
    h.card(_at(8, 23, 59))  # Sunday, the seventh day
    h.card(_at(9, 4, 0))  # Monday next week: beyond the forecast
    retired = h.card(_at(2, 10))  # a retired question's card counts nowhere
    db.session.get(Question, retired.question_id).status = Status.RETIRED.value
    # reviews: today (2), yesterday, Saturday, Friday, then a gap on Thursday, Wednesday
    h.review(_at(2, 4, 5))
    h.review(_at(2, 3, 55))  # before 4 a.m.: Sunday's study day
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
    assert p.due_today == 3
    assert p.reviewed_today == 2
    assert p.streak == 4  # Monday, Sunday, Saturday, Friday; not Wednesday (gap)
    # reviews of cards in review, last 30 days: Good, Good, Again, Good, Good, Easy, Hard
    assert p.retention_reviews == 7
    assert p.retention == pytest.approx(6 / 7)
    assert p.forecast == [
        (date(2026, 3, 2), 3),
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


def test_a_review_at_two_in_the_morning_counts_on_the_day_before(history, student):
    history.review(_at(3, 2, 0))  # Tuesday 02:00: still Monday's study day
    db.session.commit()
    p = study_progress(student, _at(3, 3, 59))
    assert p.reviewed_today == 3 and p.streak == 4
    p = study_progress(student, _at(3, 4, 0))  # Tuesday's study day begins
    assert p.reviewed_today == 0 and p.streak == 4


def test_retention_counts_the_last_thirty_study_days(history, student):
    history.review(datetime(2026, 2, 1, 4, 0, tzinfo=NOW.tzinfo))  # day 30: in
    history.review(datetime(2026, 2, 1, 3, 59, tzinfo=NOW.tzinfo), rating=1)  # day 31: out
    db.session.commit()
    p = study_progress(student, NOW)
    assert p.retention_reviews == 8
    assert p.retention == pytest.approx(7 / 8)


TOKYO, BOGOTA = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Bogota")  # UTC+9, UTC-5


def test_each_student_counts_by_the_study_days_of_their_own_zone(ctx, bank, make_user):
    """The same ratings at the same moments, by a student in UTC+9 and one in UTC-5."""
    students = {name: make_user(f"{name}@example.com") for name in ("tokyo", "bogota")}
    questions = _questions(4)
    figures = {}
    for name, zone in (("tokyo", TOKYO), ("bogota", BOGOTA)):
        h = History(students[name], list(questions), zone)
        h.card(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # Tokyo: 05:00 on the 3rd
        h.review(datetime(2026, 3, 1, 17, 0, tzinfo=UTC))  # Tokyo 2nd 02:00, Bogota 1st 12:00
        h.review(datetime(2026, 3, 1, 20, 0, tzinfo=UTC))  # Tokyo 2nd 05:00, Bogota 1st 15:00
        h.review(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))  # Tokyo 2nd 17:30, Bogota 2nd 03:30
        db.session.commit()
        figures[name] = study_progress(h.user_id, NOW, zone)  # Tokyo 18:00, Bogota 04:00
    tokyo, bogota = figures["tokyo"], figures["bogota"]
    # Tokyo: 02:00 on the 2nd counts on the 1st; the other two are today's
    assert (tokyo.reviewed_today, tokyo.streak) == (2, 2)
    # Bogota: all three fell on the 1st (03:30 is before its day turned at 4 a.m.)
    assert (bogota.reviewed_today, bogota.streak) == (0, 1)
    # the card due at 20:00 UTC: tomorrow in Tokyo (05:00 on the 3rd), today in Bogota
    assert tokyo.forecast[:2] == [(date(2026, 3, 2), 0), (date(2026, 3, 3), 1)]
    assert bogota.forecast[:2] == [(date(2026, 3, 2), 1), (date(2026, 3, 3), 0)]


def test_a_rating_on_the_site_counts_on_the_students_study_day(client, auth, app, bank, clock):
    """Rated at 02:00 in Tokyo on the 2nd: Sunday's study day; at 05:00, a new day."""
    student_id = auth.login_as()
    with app.app_context():
        set_zone(db.session.get(User, student_id), "Asia/Tokyo")
        db.session.commit()
    clock.now = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)  # 02:00 on 2 March in Tokyo
    front = client.get("/study/session").get_data(as_text=True)
    back = client.get(html.unescape(SHOW_RE.search(front).group(1))).get_data(as_text=True)
    action = html.unescape(ACTION_RE.search(back).group(1))
    data = {"csrf_token": csrf_from(back), "reps": "0", "rating": "3"}
    assert client.post(action, data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(StudyDay.day)) == date(2026, 3, 1)
    page = client.get("/study/").get_data(as_text=True)
    assert re.search(r"<span>Reviewed today</span><strong>1</strong>", page)
    clock.now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 05:00 in Tokyo: a new study day
    page = client.get("/study/").get_data(as_text=True)
    assert re.search(r"<span>Reviewed today</span><strong>0</strong>", page)
    assert re.search(r"<span>Streak</span><strong>1 day</strong>", page)


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
    assert re.search(r"<span>Due today</span><strong>3</strong>", page)
    assert re.search(r"<span>Reviewed today</span><strong>2</strong>", page)
    assert re.search(r"<span>Streak</span><strong>4 days</strong>", page)
    assert re.search(r"<span>Retention, 30 days</span><strong>86%</strong>", page)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', page)
    assert rows[:3] == [("Today", "3"), ("Tomorrow", "1"), ("Wed 04 Mar", "0")]
    assert len(rows) == 7


def test_dashboard_shows_the_study_figures_and_forecast(client, auth, history, clock):
    auth.login("student@example.com")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Flashcard study" in page
    assert re.search(r"<span>Due today</span><strong>3</strong>", page)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', page)
    assert ("Thu 05 Mar", "2") in rows
