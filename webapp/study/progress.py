"""Study progress for the dashboard, computed in SQL with a fixed number of queries.

Definitions (UTC days):
  due today      cards whose due date falls before tomorrow, overdue ones included
  reviewed today ratings given since midnight
  streak         consecutive days with at least one rating, ending today or yesterday
                 (a streak is not broken until a whole day passes without studying)
  retention      over the last 30 days, the share of ratings of cards in review state (not
                 new, not in (re)learning) that were not Again: Anki's "true retention",
                 the figure FSRS aims at 90%; None without such ratings
  forecast       cards falling due on each of the next seven days, today (with overdue
                 cards) first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func

from ..extensions import db
from ..models import Question, Status
from ..models.study import ReviewLog, StudyCard
from .scheduling import Rating, State
from .service import start_of_day

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
    """Progress figures for one student at ``now``: five queries, whatever the history."""
    today = start_of_day(now)
    tomorrow = today + timedelta(days=1)
    published = (StudyCard.question_id == Question.id,
                 Question.status == Status.PUBLISHED.value)

    reviewed_today = db.session.scalar(
        db.select(func.count(ReviewLog.id))
        .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= today)) or 0

    day = _utc_day(ReviewLog.reviewed_at)
    days = {_as_date(d) for d in db.session.scalars(
        db.select(day).where(ReviewLog.user_id == user_id).group_by(day))}
    streak = _streak(days, today.date())

    total, kept = db.session.execute(
        db.select(func.count(ReviewLog.id),
                  func.sum(case((ReviewLog.rating != int(Rating.Again), 1), else_=0)))
        .where(ReviewLog.user_id == user_id,
               ReviewLog.state_before == int(State.Review),
               ReviewLog.reviewed_at >= now - timedelta(days=RETENTION_DAYS))).one()
    retention = (kept or 0) / total if total else None

    # Overdue cards are counted on today: clamp their due date up to today's midnight.
    due_day = _utc_day(case((StudyCard.due < today, today), else_=StudyCard.due))
    end = today + timedelta(days=FORECAST_DAYS)
    counts = {_as_date(d): n for d, n in db.session.execute(
        db.select(due_day, func.count(StudyCard.id))
        .where(StudyCard.user_id == user_id, StudyCard.due < end, *published)
        .group_by(due_day))}
    forecast = [(today.date() + timedelta(days=i),
                 counts.get(today.date() + timedelta(days=i), 0))
                for i in range(FORECAST_DAYS)]
    due_today = sum(n for d, n in counts.items() if d < tomorrow.date())

    return Progress(due_today=due_today, reviewed_today=reviewed_today, streak=streak,
                    retention=retention, retention_reviews=total or 0, forecast=forecast)


def _streak(days: set[date], today: date) -> int:
    """Consecutive days in ``days`` ending today, or yesterday if today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
