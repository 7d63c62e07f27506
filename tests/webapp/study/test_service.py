"""The study queue, ratings and the quiz link against the database, with a frozen clock."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Question, Status
from webapp.models.study import ReviewLog, StudyCard, StudyDay
from webapp.study import scheduling, service
from webapp.study.scheduling import Rating, State

from .conftest import ECONOMY, HISTORY, NOW, user


def _fresh_card(user_id: int, question_id: int) -> StudyCard:
    db.session.expire_all()  # read what the database holds, not the session's copy
    return service.card_for(user_id, question_id)


def test_state_survives_a_round_trip_through_the_database(ctx, student, bank):
    qid = bank["history-single"]
    expected = scheduling.new_card_state(NOW)
    at = NOW
    for rating in (Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Hard, Rating.Good):
        assert service.record_rating(student, qid, rating, expected.reps, at, fuzz=False)
        expected, _ = scheduling.review(expected, rating, at)
        stored = _fresh_card(student, qid).card_state()
        assert stored == expected
        assert stored.due.tzinfo == UTC and stored.last_review.tzinfo == UTC
        at = stored.due + timedelta(hours=1)
    assert (stored.state, stored.reps, stored.lapses) == (State.Review, 6, 1)
    logs = db.session.scalars(db.select(ReviewLog).order_by(ReviewLog.review_number)).all()
    assert [(log.review_number, log.rating) for log in logs] == [
        (1, 3),
        (2, 3),
        (3, 3),
        (4, 1),
        (5, 2),
        (6, 3),
    ]
    assert logs[3].state_before == int(State.Review)
    assert logs[3].state_after == int(State.Relearning)


def test_a_rating_for_a_step_already_taken_records_nothing(ctx, student, bank):
    qid = bank["history-single"]
    assert service.record_rating(student, qid, Rating.Good, 0, NOW, fuzz=False)
    assert not service.record_rating(student, qid, Rating.Again, 0, NOW, fuzz=False)
    assert not service.record_rating(student, qid, Rating.Good, 5, NOW, fuzz=False)
    assert db.session.scalar(db.select(db.func.count(ReviewLog.id))) == 1
    assert _fresh_card(student, qid).reps == 1
    assert db.session.scalar(db.select(StudyDay.reviews)) == 1  # the repeats count nothing


def test_a_racing_rating_undoes_only_itself_not_the_rest_of_the_request(ctx, student, bank):
    qid = bank["history-single"]
    assert service.record_rating(student, qid, Rating.Good, 0, NOW, fuzz=False)
    # The racing request read the card before the first one committed: reps was 0.
    db.session.execute(db.update(StudyCard).values(reps=0))
    db.session.commit()
    service.set_new_per_day(user(student), 7)  # something else this request writes
    assert not service.record_rating(student, qid, Rating.Again, 0, NOW, fuzz=False)
    db.session.expire_all()
    assert service.new_per_day(user(student)) == 7
    assert db.session.scalar(db.select(db.func.count(ReviewLog.id))) == 1
    assert db.session.scalar(db.select(StudyDay.reviews)) == 1


def test_the_database_keeps_one_review_per_step(ctx, student, bank):
    """The last line of defence against two simultaneous POSTs: the unique key."""
    qid = bank["history-single"]
    service.record_rating(student, qid, Rating.Good, 0, NOW, fuzz=False)
    card = service.card_for(student, qid)
    _, review = scheduling.review(scheduling.new_card_state(NOW), Rating.Good, NOW)
    db.session.add(ReviewLog.from_review(card, review, card.card_state()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_reviews_are_counted_per_study_day_for_progress(ctx, student, bank):
    at = NOW.replace(hour=23, minute=59)
    for uid, rating in (("history-single", Rating.Easy), ("history-tf", Rating.Again)):
        assert service.record_rating(student, bank[uid], rating, 0, at, fuzz=False)
    later = at + timedelta(days=9)  # next day onwards; both cards due again
    service.record_rating(student, bank["history-single"], Rating.Good, 1, later, fuzz=False)
    service.record_rating(student, bank["history-tf"], Rating.Again, 1, later, fuzz=False)
    days = db.session.execute(
        db.select(StudyDay.day, StudyDay.reviews, StudyDay.known, StudyDay.kept).order_by(
            StudyDay.day
        )
    ).all()
    # first ratings are of new cards (not known); the second day's: one card in review
    # kept (Good), the other still learning (Again on a learning card is no lapse)
    assert [tuple(d) for d in days] == [(at.date(), 2, 0, 0), (later.date(), 2, 1, 1)]


def test_changing_zone_counts_the_days_again_from_the_review_log(ctx, student, bank):
    # 23:59 and 00:30 UTC are one study day in UTC (it turns over at 4 a.m.)...
    at = NOW.replace(hour=23, minute=59)
    assert service.record_rating(student, bank["history-single"], Rating.Good, 0, at, fuzz=False)
    late = at + timedelta(minutes=31)
    assert service.record_rating(student, bank["history-tf"], Rating.Good, 0, late, fuzz=False)
    assert db.session.execute(db.select(StudyDay.day, StudyDay.reviews)).all() == [(at.date(), 2)]
    # ...and in Tokyo (UTC+9) they are 08:59 and 09:30 the next morning: one day, named
    # by the next date.
    from zoneinfo import ZoneInfo

    assert service.recount_days(student, ZoneInfo("Asia/Tokyo")) == 1
    days = db.session.execute(db.select(StudyDay.day, StudyDay.reviews)).all()
    assert days == [(at.date() + timedelta(days=1), 2)]
    # In Dubai (UTC+4) they are 03:59 and 04:30: 4 a.m. falls between them, two days.
    assert service.recount_days(student, ZoneInfo("Asia/Dubai")) == 2
    days = db.session.execute(
        db.select(StudyDay.day, StudyDay.reviews).order_by(StudyDay.day)
    ).all()
    assert days == [(at.date(), 1), (at.date() + timedelta(days=1), 1)]


def test_due_cards_come_first_then_new_ones_in_article_order(ctx, student, bank):
    # the last card in article order, studied earlier, is due now: it comes before new ones
    last = bank["economy-basic"]
    service.record_rating(student, last, Rating.Easy, 0, NOW - timedelta(days=9), fuzz=False)
    first = service.next_card(user(student), [], NOW)
    assert first.question.id == last and first.reps == 1
    service.record_rating(student, last, Rating.Good, 1, NOW, fuzz=False)
    order = []
    at = NOW
    while (nxt := service.next_card(user(student), [], at)) is not None:
        order.append(nxt.question.uid)
        service.record_rating(student, nxt.question.id, Rating.Easy, nxt.reps, at, fuzz=False)
    assert order == HISTORY + ECONOMY[:-1]


def test_new_card_limit_counts_first_ratings_of_the_study_day(ctx, student, bank):
    service.set_new_per_day(user(student), 2)
    db.session.commit()
    assert service.queue_counts(user(student), [], NOW) == service.QueueCounts(due=0, new=2)
    for _ in range(2):
        nxt = service.next_card(user(student), [], NOW)
        service.record_rating(student, nxt.question.id, Rating.Easy, 0, NOW, fuzz=False)
    assert service.next_card(user(student), [], NOW) is None
    assert service.queue_counts(user(student), [], NOW).new == 0
    # The study day turns over at 4 a.m. in the student's zone (UTC when none is stored).
    tomorrow = NOW.replace(hour=4, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert service.next_card(user(student), [], tomorrow - timedelta(seconds=1)) is None
    assert service.next_card(user(student), [], tomorrow).card is None  # a new card again


def test_limit_zero_still_shows_due_reviews(ctx, student, bank):
    qid = bank["economy-cloze"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    service.set_new_per_day(user(student), 0)
    db.session.commit()
    later = NOW + timedelta(days=30)
    assert service.next_card(user(student), [], later).question.id == qid
    service.record_rating(student, qid, Rating.Good, 1, later, fuzz=False)
    assert service.next_card(user(student), [], later) is None


def test_a_learning_card_due_soon_is_shown_when_nothing_else_is_left(ctx, student, bank):
    qid = bank["history-single"]
    service.set_new_per_day(user(student), 1)
    db.session.commit()
    service.record_rating(student, qid, Rating.Again, 0, NOW, fuzz=False)  # due in 1m
    nxt = service.next_card(user(student), ["history"], NOW)
    assert nxt.question.id == qid and nxt.card.state == int(State.Learning)


def test_retired_questions_leave_the_queue(ctx, student, bank):
    qid = bank["history-single"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    db.session.get(Question, qid).status = Status.RETIRED.value
    db.session.commit()
    later = NOW + timedelta(days=30)
    assert service.queue_counts(user(student), ["history"], later).due == 0
    assert service.next_card(user(student), ["history"], later).question.uid == HISTORY[1]


def test_each_student_has_their_own_cards(ctx, student, bank, make_user):
    other = make_user("other@example.com")
    qid = bank["history-single"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    assert service.next_card(user(other), ["history"], NOW).question.id == qid
    assert service.record_rating(other, qid, Rating.Again, 0, NOW, fuzz=False)
    assert _fresh_card(student, qid).reps == 1


# --- the quiz link -----------------------------------------------------------------------


def test_wrong_quiz_answer_makes_a_scheduled_card_due(ctx, student, bank):
    qid = bank["economy-numeric"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    before = _fresh_card(student, qid).card_state()
    quiz_time = NOW + timedelta(days=2)
    assert service.next_card(user(student), ["economy-energy"], quiz_time).question.id != qid
    service.note_quiz_result(student, qid, False, quiz_time)
    db.session.commit()
    after = _fresh_card(student, qid).card_state()
    assert after.due == quiz_time
    assert (after.stability, after.difficulty, after.reps) == (
        before.stability,
        before.difficulty,
        before.reps,
    )
    assert service.next_card(user(student), ["economy-energy"], quiz_time).question.id == qid


def test_wrong_quiz_answer_makes_an_unstudied_question_due_despite_the_limit(ctx, student, bank):
    qid = bank["history-order"]
    service.set_new_per_day(user(student), 0)
    service.note_quiz_result(student, qid, False, NOW)
    db.session.commit()
    nxt = service.next_card(user(student), [], NOW)
    assert nxt.question.id == qid and nxt.reps == 0
    assert service.queue_counts(user(student), [], NOW) == service.QueueCounts(due=1, new=0)
    # its first rating schedules it as FSRS schedules any new card
    assert service.record_rating(student, qid, Rating.Good, 0, NOW, fuzz=False)
    assert _fresh_card(student, qid).due == NOW + timedelta(minutes=10)


def test_right_quiz_answer_changes_nothing(ctx, student, bank):
    qid = bank["economy-numeric"]
    service.note_quiz_result(student, qid, True, NOW)
    db.session.commit()
    assert service.card_for(student, qid) is None
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    due = _fresh_card(student, qid).due
    service.note_quiz_result(student, qid, True, NOW + timedelta(days=1))
    db.session.commit()
    assert _fresh_card(student, qid).due == due


def test_wrong_quiz_answer_leaves_an_overdue_card_as_it_was(ctx, student, bank):
    qid = bank["economy-numeric"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    due = _fresh_card(student, qid).due
    service.note_quiz_result(student, qid, False, due + timedelta(days=3))
    db.session.commit()
    assert _fresh_card(student, qid).due == due


def test_quiz_link_survives_a_card_created_meanwhile(ctx, student, bank):
    """The quiz's link is one upsert, not a check then an insert: a card a study rating
    created meanwhile is made due in the same statement, and nothing else the caller
    wrote is undone (no IntegrityError to catch, no answer to lose)."""
    qid = bank["history-tf"]
    service.record_rating(student, qid, Rating.Easy, 0, NOW, fuzz=False)
    user(student).settings = {"marker": "the caller's pending change"}
    quiz_time = NOW + timedelta(days=1)
    service.note_quiz_result(student, qid, False, quiz_time)
    db.session.commit()
    db.session.expire_all()
    assert user(student).settings == {"marker": "the caller's pending change"}
    card = service.card_for(student, qid)
    assert card.due == quiz_time
    assert card.reps == 1 and card.stability is not None  # FSRS's memory state untouched
    assert db.session.scalar(db.select(db.func.count(StudyCard.id))) == 1


def test_new_cards_follow_the_article_not_the_order_questions_were_added(ctx, student, bank):
    """A history question added after the economy ones still comes first; the sections
    chosen are taken in the article's order, whatever order they are given in; a draft
    and a retired question are never new cards."""
    late = Question(uid="history-late", section="history", kind="single_choice")
    late.add_revision(dict(db.session.get(Question, bank["history-single"]).current_revision.data))
    db.session.add(late)
    db.session.get(Question, bank["history-tf"]).status = Status.RETIRED.value
    db.session.get(Question, bank["economy-match"]).status = Status.DRAFT.value
    db.session.commit()
    service.set_new_per_day(user(student), 100)
    order = []
    at = NOW
    while (nxt := service.next_card(user(student), ["economy-energy", "history"], at)) is not None:
        assert nxt.reps == 0  # all new: Easy sends each far into the future
        order.append(nxt.question.uid)
        service.record_rating(student, nxt.question.id, Rating.Easy, nxt.reps, at, fuzz=False)
    history = [uid for uid in HISTORY if uid != "history-tf"]
    assert order == [*history, "history-late", *(u for u in ECONOMY if u != "economy-match")]
