"""Study progress for the dashboard: two queries, whatever the size of the bank or history.

Reviews are read from ``StudyDay`` (one row per student and study day, counted as each
rating is logged), so the streak and retention cost a row per day studied, not one per
review; the forecast groups the student's cards due within the week by day (GROUP BY).

A study day runs from 4 a.m. to 4 a.m. in the student's time zone (as Anki's does): a
review at 02:00 local counts on the day before. ``count_in_day`` files each review under
the study day of the zone the student had when rating; the figures here read "today" in
the zone they have now.

Definitions (study days):
  due today      cards whose due date falls before tomorrow, overdue ones included
  reviewed today ratings given since the study day began (4 a.m. local)
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
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import bindparam, case, func, select

from ..extensions import db
from ..models import Question, Status
from ..models.study import StudyCard, StudyDay
from ..timezones import study_day, study_days_start

RETENTION_DAYS = 30
FORECAST_DAYS = 7


# Built once with bound parameters: the dashboard asks both on every view.
_PER_DAY = select(StudyDay.day, StudyDay.reviews, StudyDay.known, StudyDay.kept).where(
    StudyDay.user_id == bindparam("user_id")
)
# The index of the study day a card falls due on: the first day whose end (4 a.m. local of
# the next day, "end0" to "end6") is after its due time; overdue cards count on today.
_DAY_INDEX = case(
    *(
        (StudyCard.due < bindparam(f"end{i}", type_=StudyCard.due.type), i)
        for i in range(FORECAST_DAYS - 1)
    ),
    else_=FORECAST_DAYS - 1,
)
_FORECAST = (
    select(_DAY_INDEX, func.count(StudyCard.id))
    .join(StudyCard.question)
    .where(
        StudyCard.user_id == bindparam("user_id"),
        StudyCard.due < bindparam(f"end{FORECAST_DAYS - 1}", type_=StudyCard.due.type),
        Question.status == Status.PUBLISHED.value,
    )
    .group_by(_DAY_INDEX)
)


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


def study_progress(user_id: int, now: datetime, zone: tzinfo = UTC) -> Progress:
    """Progress figures for one student at ``now``, by their study days in ``zone``."""
    today = study_day(now, zone)
    first_retention_day = today - timedelta(days=RETENTION_DAYS - 1)

    # 1. Reviews per study day (one StudyDay row each): reviewed today, streak, retention.
    per_day = db.session.execute(_PER_DAY, {"user_id": user_id}).all()
    reviewed_today = sum(n for d, n, _, _ in per_day if d == today)
    streak = _streak({d for d, n, _, _ in per_day if n}, today)
    recent = [(known, kept) for d, _, known, kept in per_day if d >= first_retention_day]
    retention_reviews = sum(known for known, _ in recent)
    kept = sum(k for _, k in recent)
    retention = kept / retention_reviews if retention_reviews else None

    # 2. Cards due on each study day of the coming week; overdue ones count on today. The
    # days' bounds (4 a.m. local, daylight saving included) are worked out here, so the
    # query only compares timestamps: the same SQL on SQLite and PostgreSQL.
    days = [today + timedelta(days=i) for i in range(FORECAST_DAYS)]
    ends = [study_days_start(d + timedelta(days=1), zone) for d in days]
    bounds = {f"end{i}": end for i, end in enumerate(ends)}
    counts: dict[int, int] = dict(
        db.session.execute(_FORECAST, {"user_id": user_id, **bounds}).all()
    )
    forecast = [(d, counts.get(i, 0)) for i, d in enumerate(days)]

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
