"""Study queue, ratings and the quiz link: the database side of flashcard study.

Days are study days: "today", the daily new-card limit, the streak and the forecast all
roll over at 4 a.m. in the student's time zone (``webapp.timezones``), as Anki's do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import bindparam, exists, func, literal, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from questions import SECTIONS

from .. import aggregates
from ..extensions import db
from ..models import Account, Question, Status, User, UTCDateTime
from ..models.study import ReviewLog, StudyCard, StudyDay
from ..timezones import study_day, study_day_start, zone_of
from . import scheduling
from .scheduling import Rating, State

DEFAULT_NEW_PER_DAY = 20
MAX_NEW_PER_DAY = 500
NEW_PER_DAY_SETTING = "study_new_per_day"
# With nothing else left, a card in (re)learning due within this window is shown early,
# as Anki's "learn ahead limit" does, rather than making the student wait ten minutes.
LEARN_AHEAD = timedelta(minutes=20)


def start_of_day(now: datetime, zone: tzinfo = UTC) -> datetime:
    """The start (UTC) of the study day holding ``now``: 4 a.m. in the student's zone."""
    return study_day_start(scheduling.utc(now), zone)


def new_per_day(user: Account) -> int:
    """The student's daily limit of new cards (a setting, 20 unless changed)."""
    value = (user.settings or {}).get(NEW_PER_DAY_SETTING, DEFAULT_NEW_PER_DAY)
    try:
        return max(0, min(int(value), MAX_NEW_PER_DAY))
    except (TypeError, ValueError):
        return DEFAULT_NEW_PER_DAY


def set_new_per_day(user: User, value: int) -> None:
    """Store the daily new-card limit (the caller commits)."""
    # a new dict, so SQLAlchemy sees the JSON column change
    user.settings = {**(user.settings or {}), NEW_PER_DAY_SETTING: int(value)}


# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextCard:
    """The card to show: its question, and its study row (None for a new card)."""

    question: Question
    card: StudyCard | None

    @property
    def state(self) -> scheduling.CardState | None:
        return self.card.card_state() if self.card else None

    @property
    def reps(self) -> int:
        return self.card.reps if self.card else 0


@dataclass(frozen=True)
class QueueCounts:
    """What is left today in the chosen sections."""

    due: int
    new: int

    @property
    def total(self) -> int:
        return self.due + self.new


def _in_sections(sections: list[str]) -> list[Any]:
    conditions = [
        Question.status == Status.PUBLISHED.value,
        Question.current_revision_id.is_not(None),
    ]
    if sections:
        conditions.append(Question.section.in_(sections))
    return conditions


def _due_cards(user_id: int, sections: list[str], until: datetime):
    return (
        db.select(StudyCard)
        .join(StudyCard.question)
        .where(StudyCard.user_id == user_id, StudyCard.due <= until, *_in_sections(sections))
    )


def _first_unseen(user_id: int, sections: list[str]) -> Any:
    """The first question the student has no card for, in article order (section, then id).

    Read by index, not by sorting the bank: one probe per chosen section walks the
    section's published questions in id order (index ``ix_question_section_status_id``)
    and stops at the first without a card (the ``study_card`` unique key), and the
    probes' winners (one row each) are ordered. The cost is the number of sections plus
    the cards the student already has at the head of each section, not the bank's size.
    One statement, whatever the number of sections.
    """
    rank = {s.slug: s.number for s in SECTIONS}
    chosen = sorted(set(sections) or rank, key=lambda s: (rank.get(s, len(SECTIONS)), s))
    seen = exists().where(StudyCard.user_id == user_id, StudyCard.question_id == Question.id)
    probes = []
    for section in chosen:
        first = (
            db.select(Question.id, literal(rank.get(section, len(SECTIONS))).label("rank"))
            .where(~seen, Question.section == section, *_in_sections([]))
            .order_by(Question.id)
            .limit(1)
            .subquery()
        )
        probes.append(db.select(first.c.id, first.c.rank))
    winners = union_all(*probes).subquery()
    first_id = (
        db.select(winners.c.id).order_by(winners.c.rank, winners.c.id).limit(1).scalar_subquery()
    )
    return db.select(Question).where(Question.id == first_id)


def new_studied_today(user_id: int, now: datetime, zone: tzinfo = UTC) -> int:
    """New cards the student introduced this study day (their first rating).

    A card a quiz made due is shown, and counted, as due: its first rating must not use
    up a new card's slot too, or one rating would lower both counters. A new card's row
    is created by its first rating, at that rating's time (``record_rating``); a quiz's
    card was created earlier, when the answer was stored.
    """
    return (
        db.session.scalar(
            db.select(func.count(ReviewLog.id))
            .join(StudyCard, StudyCard.id == ReviewLog.card_id)
            .where(
                ReviewLog.user_id == user_id,
                ReviewLog.review_number == 1,
                ReviewLog.reviewed_at >= start_of_day(now, zone),
                StudyCard.created_at == ReviewLog.reviewed_at,
            )
        )
        or 0
    )


def new_left_today(user: Account, now: datetime) -> int:
    """How many new cards the daily limit still allows today."""
    return max(0, new_per_day(user) - new_studied_today(user.id, now, zone_of(user)))


def next_card(user: Account, sections: list[str], now: datetime) -> NextCard | None:
    """Due cards first (oldest due first), then new ones in article order, within limit.

    A card a quiz made due counts as due, whatever the limit. With nothing else left, a
    card in (re)learning due within ``LEARN_AHEAD`` is shown early.
    """
    card = db.session.scalar(
        _due_cards(user.id, sections, now).order_by(StudyCard.due, StudyCard.id).limit(1)
    )
    if card is not None:
        return NextCard(card.question, card)
    if new_left_today(user, now) > 0:
        question = db.session.scalar(_first_unseen(user.id, sections))
        if question is not None:
            return NextCard(question, None)
    card = db.session.scalar(
        _due_cards(user.id, sections, now + LEARN_AHEAD)
        .where(StudyCard.state != int(State.Review))
        .order_by(StudyCard.due, StudyCard.id)
        .limit(1)
    )
    return NextCard(card.question, card) if card is not None else None


def queue_counts(user: Account, sections: list[str], now: datetime) -> QueueCounts:
    """Due cards now and new cards still allowed today, in the chosen sections."""
    due = (
        db.session.scalar(
            _due_cards(user.id, sections, now).with_only_columns(func.count(StudyCard.id))
        )
        or 0
    )
    published = aggregates.published_counts()
    chosen = sections or list(published)
    studied = (
        db.session.scalar(
            db.select(func.count(StudyCard.id))
            .join(StudyCard.question)
            .where(StudyCard.user_id == user.id, *_in_sections(sections))
        )
        or 0
    )
    # published (kept per section) minus the student's cards: no anti-join over the bank
    unseen = max(0, sum(published.get(s, 0) for s in set(chosen)) - studied)
    return QueueCounts(due=due, new=min(unseen, new_left_today(user, now)))


def next_due_at(user_id: int, sections: list[str]) -> datetime | None:
    """When the next card in the chosen sections falls due (for the "done" page)."""
    return db.session.scalar(
        db.select(func.min(StudyCard.due))
        .join(StudyCard.question)
        .where(StudyCard.user_id == user_id, *_in_sections(sections))
    )


def study_question(question_id: int) -> Question | None:
    """A published question by id, or None."""
    return db.session.scalar(
        db.select(Question).where(
            Question.id == question_id, Question.status == Status.PUBLISHED.value
        )
    )


_CARD_FOR = db.select(StudyCard).where(
    StudyCard.user_id == bindparam("user_id"), StudyCard.question_id == bindparam("question_id")
)


def card_for(user_id: int, question_id: int) -> StudyCard | None:
    """The student's study row for a question, if any (a statement built once)."""
    return db.session.scalar(_CARD_FOR, {"user_id": user_id, "question_id": question_id})


# --- ratings -----------------------------------------------------------------------------


def record_rating(
    user_id: int,
    question_id: int,
    rating: Rating | int,
    shown_reps: int,
    now: datetime,
    *,
    fuzz: bool = True,
    zone: tzinfo = UTC,
) -> bool:
    """Rate a card and commit; False (nothing recorded) if that step was already rated.

    ``shown_reps`` is the card's rating count when the page was drawn. A reload, a double
    click or a replayed form carries a count the card has moved past and is ignored; two
    truly simultaneous POSTs race to insert the same (card, review_number) and the
    database's unique constraint keeps one. The rating's writes go in a SAVEPOINT, so
    losing that race undoes them and nothing else the request did. ``zone`` is the
    student's, for the study day the rating counts on.
    """
    card = card_for(user_id, question_id)
    if (card is None and shown_reps != 0) or (card is not None and card.reps != shown_reps):
        return False
    try:
        with db.session.begin_nested():
            if card is None:
                # created at the rating's time: how new_studied_today tells a new card
                card = StudyCard(
                    user_id=user_id, question_id=question_id, created_at=scheduling.utc(now)
                )
                card.apply(scheduling.new_card_state(now))
                db.session.add(card)
            after, review = scheduling.review(card.card_state(), rating, now, fuzz=fuzz)
            card.apply(after)
            db.session.add(ReviewLog.from_review(card, review, after))
            count_in_day(
                user_id,
                review.reviewed_at,
                state_before=review.state_before,
                rating=review.rating,
                zone=zone,
            )
        recorded = True
    except IntegrityError:
        # the other request of a double POST committed this step first
        recorded = False
    db.session.commit()
    return recorded


def count_in_day(
    user_id: int,
    reviewed_at: datetime,
    *,
    state_before: State | int,
    rating: Rating | int,
    zone: tzinfo = UTC,
) -> None:
    """Add one review to the student's ``StudyDay`` row (the caller commits).

    The row is the study day holding ``reviewed_at`` in ``zone`` (the student's): a day
    from 4 a.m. to 4 a.m. local, named by its date, so a review at 02:00 counts on the day
    before.

    An atomic upsert, so two ratings of different cards at the same moment both count;
    it runs in the rating's transaction, so a rating refused as a repeat counts nothing.
    """
    known = int(state_before) == int(State.Review)
    kept = known and int(rating) != int(Rating.Again)
    values = {
        "user_id": user_id,
        "day": study_day(scheduling.utc(reviewed_at), zone),
        "reviews": 1,
        "known": int(known),
        "kept": int(kept),
    }
    dialect = db.session.get_bind().dialect.name
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(StudyDay).values(**values)
    elif dialect == "sqlite":
        stmt = sqlite.insert(StudyDay).values(**values)
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"study day counts need SQLite or PostgreSQL, not {dialect}")
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[StudyDay.user_id, StudyDay.day],
            set_={
                "reviews": StudyDay.reviews + 1,
                "known": StudyDay.known + values["known"],
                "kept": StudyDay.kept + values["kept"],
            },
        )
    )


def recount_days(user_id: int, zone: tzinfo = UTC) -> int:
    """Count the student's study days again from their review log, in ``zone`` (the caller
    commits); returns how many days hold reviews.

    ``StudyDay`` rows are keyed by the study day in the student's zone at the time of the
    review: when the zone changes, the days already counted would straddle two boundaries.
    The review log is the record, so the days are rebuilt from it, in one transaction.
    """
    days: dict[Any, list[int]] = {}
    rows = db.session.execute(
        db.select(ReviewLog.reviewed_at, ReviewLog.state_before, ReviewLog.rating)
        .where(ReviewLog.user_id == user_id)
        .execution_options(yield_per=1000)
    )
    for reviewed_at, state_before, rating in rows:
        known = int(state_before) == int(State.Review)
        kept = known and int(rating) != int(Rating.Again)
        counts = days.setdefault(study_day(scheduling.utc(reviewed_at), zone), [0, 0, 0])
        counts[0] += 1
        counts[1] += int(known)
        counts[2] += int(kept)
    db.session.execute(db.delete(StudyDay).where(StudyDay.user_id == user_id))
    if days:
        db.session.execute(
            db.insert(StudyDay),
            [
                {"user_id": user_id, "day": day, "reviews": r, "known": k, "kept": kept}
                for day, (r, k, kept) in sorted(days.items())
            ],
        )
    return len(days)


# A quiz's wrong answer in one statement: a new card due now, or the student's card made due
# now unless it already was (``scheduling.mark_due``, in SQL). A prepared text, as the other
# statements of the answer path are.
_QUIZ_MISS = text(
    """
    INSERT INTO study_card (user_id, question_id, state, step, stability, difficulty, due,
        last_review, reps, lapses, created_at)
    VALUES (:user_id, :question_id, :state, :step, :stability, :difficulty, :due,
        :last_review, :reps, :lapses, :due)
    ON CONFLICT (user_id, question_id) DO UPDATE SET due = CASE
        WHEN study_card.due <= excluded.due THEN study_card.due ELSE excluded.due END
    """
).bindparams(bindparam("due", type_=UTCDateTime()), bindparam("last_review", type_=UTCDateTime()))


def note_quiz_result(user_id: int, question_id: int, correct: bool, now: datetime) -> None:
    """Make a question answered wrong in a quiz due in study now (the caller commits).

    Call it where the quiz stores an answer, in the same transaction. A right answer
    changes nothing: the quiz is not a flashcard review. A wrong one moves the card's due
    date to now (``scheduling.mark_due``), creating the card if the student never studied
    it; its first rating in study then schedules it as FSRS says. One upsert, so a card a
    study rating creates meanwhile is made due, not a reason to lose the answer.
    """
    if correct:
        return
    new = scheduling.new_card_state(now)
    db.session.execute(
        _QUIZ_MISS,
        {
            "user_id": user_id,
            "question_id": question_id,
            "state": int(new.state),
            "step": new.step,
            "stability": new.stability,
            "difficulty": new.difficulty,
            "due": new.due,
            "last_review": new.last_review,
            "reps": new.reps,
            "lapses": new.lapses,
        },
    )


def overview(user: Account, now: datetime) -> tuple[QueueCounts, dict[str, tuple[int, int]]]:
    """What is left today over the whole article, and per section (due, not studied yet)."""
    per_section = section_counts(user, now)
    due = sum(d for d, _ in per_section.values())
    unseen = sum(u for _, u in per_section.values())
    return QueueCounts(due=due, new=min(unseen, new_left_today(user, now))), per_section


def section_counts(user: Account, now: datetime) -> dict[str, tuple[int, int]]:
    """Per section slug: (cards due now, published questions not studied yet); three
    queries, none reading the whole bank."""
    due = dict(
        db.session.execute(
            _due_cards(user.id, [], now)
            .with_only_columns(Question.section, func.count(StudyCard.id))
            .group_by(Question.section)
        ).all()
    )
    # Not studied yet = published (the bank's kept counters) - the student's cards on
    # published questions: the student's rows are read, not the whole bank.
    published = aggregates.published_counts()
    studied = dict(
        db.session.execute(
            db.select(Question.section, func.count(StudyCard.id))
            .join(StudyCard.question)
            .where(StudyCard.user_id == user.id, *_in_sections([]))
            .group_by(Question.section)
        ).all()
    )
    return {
        s.slug: (due.get(s.slug, 0), max(0, published.get(s.slug, 0) - studied.get(s.slug, 0)))
        for s in SECTIONS
    }
