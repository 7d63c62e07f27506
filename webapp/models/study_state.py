"""A student's memory state of one card, and what one rating did: plain, frozen data.

The scheduler (``webapp/study/scheduling.py``, the one module that calls ``fsrs``) turns
one into the next; the models (``study.py``) store them. Here, beside the models, so that
``webapp/models`` needs nothing from a feature package. ``State`` and ``Rating`` are
fsrs's own enums, imported for their values only.

All datetimes are UTC-aware; naive ones read from SQLite are taken as UTC (``utc``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Rating, State

__all__ = ["CardState", "Rating", "Review", "State", "utc"]


@dataclass(frozen=True)
class CardState:
    """One student's memory state for one question."""

    state: State = State.Learning
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """True until the card's first rating."""
        return self.reps == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (ISO datetimes, state as its number)."""
        return {
            "state": int(self.state),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat() if self.due else None,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        """Inverse of ``to_dict``."""
        return cls(
            state=State(int(data["state"])),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=_parse(data.get("due")),
            last_review=_parse(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


@dataclass(frozen=True)
class Review:
    """What one rating did to a card, as the review log stores it."""

    rating: Rating
    reviewed_at: datetime
    state_before: State
    state_after: State
    # Whole days since the previous rating (None for a new card), as FSRS counts them.
    elapsed_days: int | None
    # Time until the card is next due.
    interval: timedelta
    # The rating's ordinal for this card: 1 for its first rating, and so on.
    review_number: int


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive one (as SQLite returns) is read as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _parse(value: str | None) -> datetime | None:
    return utc(datetime.fromisoformat(value)) if value else None
