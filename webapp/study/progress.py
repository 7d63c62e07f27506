"""Study progress for the dashboard: two queries, whatever the size of the bank or history.

Reviews are read from ``StudyDay`` (one row per student and UTC day, counted as each rating
is logged), so the streak and retention cost a row per day studied, not one per review;
the forecast groups the student's cards due within the week by day (GROUP BY).

Definitions (UTC days):
  due today      cards whose due date falls before tomorrow, overdue ones included
  reviewed today ratings given since midnight
  streak         consecutive days with at least one rating, ending today or yesterday
                 (a streak is not broken until a whole day passes without studying)
  retention      over the last 30 days (today and the 29 before), the share of ratings of
                 cards in review state (not new, not in (re)learning) that were not Again:
                 Anki's "true retention", the figure FSRS aims at 90%; None without any
  forecast       cards falling due on each of the next seven days, today (with overdue
                 cards) first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func

from ..extensions import db
from ..models import Question, Status
from ..models.study import StudyCard, StudyDay

RETENTION_DAYS = 30
FORECAST_DAYS = 7


@dataclass(frozen=True)
class Progress:
    """The figures the dashboard shows."""

    due_today: int
    reviewed_today: int
    streak: int
    retention: float | None
    retention_reviews: int
    forecast: list[tuple[date, int]]

    @property
    def forecast_max(self) -> int:
        return max((n for _, n in self.forecast), default=0)


def _utc_day(column: Any) -> Any:
    """SQL for the UTC calendar day of a timestamp column, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)  # SQLite stores UTC wall-clock text


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def study_progress(user_id: int, now: datetime) -> Progress:
    """Progress figures for one student at ``now``: two queries, whatever the history."""
    # Progress is kept per UTC day (one StudyDay row each), whatever the student's zone.
    utc_now = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    today = datetime.combine(utc_now.date(), time(0), tzinfo=UTC)
    first_retention_day = today.date() - timedelta(days=RETENTION_DAYS - 1)

    # 1. Reviews per UTC day (one StudyDay row each): reviewed today, streak, retention.
    per_day = db.session.execute(
        db.select(StudyDay.day, StudyDay.reviews, StudyDay.known, StudyDay.kept).where(
            StudyDay.user_id == user_id
        )
    ).all()
    reviewed_today = sum(n for d, n, _, _ in per_day if d == today.date())
    streak = _streak({d for d, n, _, _ in per_day if n}, today.date())
    recent = [(known, kept) for d, _, known, kept in per_day if d >= first_retention_day]
    retention_reviews = sum(known for known, _ in recent)
    kept = sum(k for _, k in recent)
    retention = kept / retention_reviews if retention_reviews else None

    # 2. Cards due per UTC day over the coming week; overdue ones count on today.
    due_day = _utc_day(case((StudyCard.due < today, today), else_=StudyCard.due))
    end = today + timedelta(days=FORECAST_DAYS)
    counts = {
        _as_date(d): n
        for d, n in db.session.execute(
            db.select(due_day, func.count(StudyCard.id))
            .join(StudyCard.question)
            .where(
                StudyCard.user_id == user_id,
                StudyCard.due < end,
                Question.status == Status.PUBLISHED.value,
            )
            .group_by(due_day)
        )
    }
    forecast = [
        (today.date() + timedelta(days=i), counts.get(today.date() + timedelta(days=i), 0))
        for i in range(FORECAST_DAYS)
    ]

    return Progress(
        due_today=forecast[0][1],
        reviewed_today=reviewed_today,
        streak=streak,
        retention=retention,
        retention_reviews=retention_reviews,
        forecast=forecast,
    )


def _streak(days: set[date], today: date) -> int:
    """Consecutive days in ``days`` ending today, or yesterday if today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
