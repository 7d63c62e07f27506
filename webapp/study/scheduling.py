"""Spaced-repetition scheduling: the one module of the app that calls ``fsrs``.

Everything else (models, views, the quiz link) works with ``CardState``, ``Review`` and
the enums re-exported here, so the scheduler can be tuned or replaced in one place. The
state types themselves live in ``webapp/models/study_state.py``, beside the models that
store them, so that the models import nothing from this feature package.

A card's memory state is FSRS's (state, step, stability, difficulty, due, last review);
we add ``reps`` (how many ratings it has had, also the idempotency key of the next
rating) and ``lapses`` (how many times a card in review was forgotten). A card with
``reps == 0`` is new.

All datetimes are UTC-aware; naive ones are refused, as fsrs itself refuses them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fsrs import Card, Scheduler

from ..models.study_state import CardState, Rating, Review, State, utc

__all__ = [
    "RATINGS",
    "CardState",
    "Rating",
    "Review",
    "State",
    "format_interval",
    "mark_due",
    "new_card_state",
    "preview_intervals",
    "review",
    "utc",
]

RATINGS: tuple[Rating, ...] = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)

# FSRS's defaults, spelled out so a reader sees the policy: aim at 90% recall, learning
# steps of 1 and 10 minutes, one relearning step of 10 minutes, at most ten years.
DESIRED_RETENTION = 0.9
LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
MAXIMUM_INTERVAL_DAYS = 3650

_SCHEDULERS = {
    fuzz: Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=fuzz,
    )
    for fuzz in (False, True)
}


def new_card_state(now: datetime) -> CardState:
    """A card never studied, due from ``now``."""
    return CardState(due=utc(now))


def review(
    card: CardState, rating: Rating | int, now: datetime, *, fuzz: bool = False
) -> tuple[CardState, Review]:
    """Rate ``card`` at ``now``; return its new state and the review to log.

    ``fuzz`` spreads review intervals of three days and more by a day or so, as Anki does,
    so that cards learnt together do not stay due together; tests keep it off.

    Raises:
        ValueError: ``now`` is naive, or ``rating`` is not 1-4.
    """
    rating = Rating(int(rating))
    now = _require_utc(now)
    before = _to_fsrs(card, now=now)
    after, _log = _SCHEDULERS[fuzz].review_card(before, rating, now)
    lapsed = card.state is State.Review and rating is Rating.Again
    new_state = CardState(
        state=State(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        reps=card.reps + 1,
        lapses=card.lapses + (1 if lapsed else 0),
    )
    log = Review(
        rating=rating,
        reviewed_at=now,
        state_before=card.state,
        state_after=new_state.state,
        elapsed_days=(now - card.last_review).days if card.last_review else None,
        interval=after.due - now,
        review_number=card.reps + 1,
    )
    return new_state, log


def preview_intervals(card: CardState, now: datetime) -> dict[Rating, timedelta]:
    """The time until ``card`` would next be due after each rating, for the button labels.

    Computed without fuzz: a fuzzed review may land a day or two either side of a long
    interval, so the label is the scheduler's intent, not a promise to the minute.
    """
    return {r: review(card, r, now)[1].interval for r in RATINGS}


def mark_due(card: CardState, now: datetime) -> CardState:
    """Make ``card`` due at ``now`` (for a question just answered wrong in a quiz).

    Only the due date moves; FSRS's memory state is untouched and no review is logged. The
    quiz is evidence that the card needs studying now, but the student's own rating in
    study is what FSRS learns from: rated Again there, the card lapses as FSRS says (its
    retrievability computed from the real time since the last rating); rated Good, it
    grows as usual. Logging a made-up Again here would count one mistake twice and spoil
    the retention figures. A card already overdue keeps its earlier due date.
    """
    now = _require_utc(now)
    due = card.due or now
    return replace(card, due=min(due, now))


def format_interval(interval: timedelta) -> str:
    """A short label for an interval: "<1m", "10m", "3h", "4d", "2mo", "1.5y"."""
    seconds = interval.total_seconds()
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"


def _require_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"datetime must be timezone-aware (UTC), got naive {value!r}")
    return value.astimezone(UTC)


def _to_fsrs(card: CardState, *, now: datetime) -> Card:
    # card_id is only copied into fsrs's own log, which we do not keep; a fixed id also
    # spares fsrs's 1 ms sleep that makes generated ids unique.
    return Card(
        card_id=1,
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due) if card.due else now,
        last_review=utc(card.last_review) if card.last_review else None,
    )
