"""FSRS behaviours the study feature relies on, with a frozen clock and no fuzz."""

from datetime import UTC, datetime, timedelta

import pytest

from webapp.study.scheduling import (
    RATINGS,
    CardState,
    Rating,
    State,
    format_interval,
    mark_due,
    new_card_state,
    preview_intervals,
    review,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _graduated(now: datetime = NOW) -> CardState:
    """A card taken through both learning steps with Good: in review, due in days."""
    card = new_card_state(now)
    card, _ = review(card, Rating.Good, now)
    card, _ = review(card, Rating.Good, card.due)
    assert card.state is State.Review
    return card


def test_new_card_is_new_and_due_now():
    card = new_card_state(NOW)
    assert card.is_new and card.due == NOW and card.state is State.Learning


@pytest.mark.parametrize("card_factory", [new_card_state, _graduated])
def test_good_schedules_later_than_again(card_factory):
    card = card_factory(NOW)
    at = card.due
    after_again, _ = review(card, Rating.Again, at)
    after_good, _ = review(card, Rating.Good, at)
    assert after_good.due > after_again.due


def test_ratings_order_the_next_interval():
    card = _graduated()
    intervals = preview_intervals(card, card.due)
    assert intervals[Rating.Again] < intervals[Rating.Hard] <= intervals[Rating.Good]
    assert intervals[Rating.Good] < intervals[Rating.Easy]


def test_intervals_grow_with_successive_good_ratings():
    card = new_card_state(NOW)
    at = NOW
    intervals = []
    for _ in range(6):
        card, log = review(card, Rating.Good, at)
        intervals.append(log.interval)
        at = card.due  # studied exactly when due
    # learning steps (10 minutes), then days that keep growing
    assert intervals[0] == timedelta(minutes=10)
    assert all(later > earlier for earlier, later in zip(intervals, intervals[1:], strict=False))
    assert intervals[-1] > timedelta(days=30)
    assert card.reps == 6 and card.lapses == 0


def test_a_lapse_sends_a_review_card_to_relearning_as_fsrs_says():
    card = _graduated()
    for _ in range(2):
        card, _ = review(card, Rating.Good, card.due)
    at = card.due
    lapsed, log = review(card, Rating.Again, at)
    assert lapsed.state is State.Relearning and lapsed.step == 0
    assert lapsed.due == at + timedelta(minutes=10)  # the one relearning step
    assert lapsed.stability < card.stability
    assert lapsed.lapses == card.lapses + 1
    assert log.state_before is State.Review and log.state_after is State.Relearning
    # Good after the relearning step brings it back to review, sooner than before the lapse
    back, _ = review(lapsed, Rating.Good, lapsed.due)
    assert back.state is State.Review
    assert back.due - lapsed.due < card.due - card.last_review


def test_again_in_learning_does_not_count_as_a_lapse():
    card, _ = review(new_card_state(NOW), Rating.Again, NOW)
    assert card.lapses == 0 and card.due == NOW + timedelta(minutes=1)


def test_preview_matches_the_review_it_announces():
    card = _graduated()
    at = card.due + timedelta(days=1)
    preview = preview_intervals(card, at)
    for rating in RATINGS:
        after, log = review(card, rating, at)
        assert after.due - at == preview[rating] == log.interval


def test_review_log_numbers_each_rating_and_counts_elapsed_days():
    card = _graduated()
    at = card.due + timedelta(hours=5)
    _, log = review(card, Rating.Good, at)
    assert log.review_number == 3
    assert log.elapsed_days == (at - card.last_review).days
    assert log.reviewed_at == at and log.rating is Rating.Good


def test_review_does_not_change_the_card_it_was_given():
    card = new_card_state(NOW)
    review(card, Rating.Easy, NOW)
    assert card == new_card_state(NOW)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        review(new_card_state(NOW), Rating.Good, datetime(2026, 3, 2, 9, 0))


@pytest.mark.parametrize("rating", [0, 5])
def test_unknown_rating_is_refused(rating):
    with pytest.raises(ValueError):
        review(new_card_state(NOW), rating, NOW)


def test_mark_due_makes_a_scheduled_card_due_now_and_keeps_its_memory():
    card = _graduated()
    assert card.due > NOW + timedelta(days=1)
    later = NOW + timedelta(hours=2)
    marked = mark_due(card, later)
    assert marked.due == later
    assert (marked.stability, marked.difficulty, marked.reps, marked.state) == (
        card.stability,
        card.difficulty,
        card.reps,
        card.state,
    )


def test_mark_due_keeps_an_earlier_due_date():
    card = new_card_state(NOW)
    assert mark_due(card, NOW + timedelta(days=3)).due == NOW


def test_fuzz_keeps_long_intervals_near_the_plain_ones():
    card = _graduated()
    for _ in range(3):
        card, _ = review(card, Rating.Good, card.due)
    plain = preview_intervals(card, card.due)[Rating.Good]
    for _ in range(20):
        _, log = review(card, Rating.Good, card.due, fuzz=True)
        assert abs(log.interval - plain) <= plain * 0.2


def test_state_round_trips_through_a_dict():
    card = _graduated()
    assert CardState.from_dict(card.to_dict()) == card


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=20), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=61), "2mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_format_interval(interval, label):
    assert format_interval(interval) == label
