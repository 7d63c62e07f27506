"""Count every student's study days again from the review log, 4 a.m. to 4 a.m. local

Revision ID: 0006_study_days
Revises: 0005_typed_review
Create Date: 2026-11-29

``study_day`` rows written before the study day turned over at 4 a.m. in the student's zone
were keyed by the UTC date: a review at 01:00 counted on the wrong day, and a student west
or east of UTC had their evening split across two. The review log holds every rating with
its time, so the days are rebuilt from it. Data only; the schema does not change.

The rule is copied here (not imported from the app) so the migration means the same thing
whatever the app becomes: the study day holding a moment is named by the local date of
the last 4 a.m. at or before it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

revision = "0006_study_days"
down_revision = "0005_typed_review"
branch_labels = None
depends_on = None

DAY_STARTS = time(4)
REVIEW_STATE = 2  # fsrs State.Review
AGAIN = 1  # fsrs Rating.Again

user = sa.table("user", sa.column("id", sa.Integer), sa.column("settings", sa.JSON))
review_log = sa.table(
    "review_log",
    sa.column("user_id", sa.Integer),
    sa.column("reviewed_at", sa.DateTime(timezone=True)),
    sa.column("state_before", sa.Integer),
    sa.column("rating", sa.Integer),
)
study_day = sa.table(
    "study_day",
    sa.column("user_id", sa.Integer),
    sa.column("day", sa.Date),
    sa.column("reviews", sa.Integer),
    sa.column("known", sa.Integer),
    sa.column("kept", sa.Integer),
)


def _zone(settings) -> tzinfo:
    name = (settings or {}).get("time_zone") if isinstance(settings, dict) else None
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _day(moment: datetime, zone):
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    if local.time() < DAY_STARTS:
        local -= timedelta(days=1)
    return local.date()


def upgrade() -> None:
    bind = op.get_bind()
    zones = {
        uid: _zone(settings)
        for uid, settings in bind.execute(sa.select(user.c.id, user.c.settings))
    }
    days: dict[tuple[int, object], list[int]] = {}
    rows = bind.execute(
        sa.select(
            review_log.c.user_id,
            review_log.c.reviewed_at,
            review_log.c.state_before,
            review_log.c.rating,
        )
    )
    for user_id, reviewed_at, state_before, rating in rows:
        key = (user_id, _day(reviewed_at, zones.get(user_id, UTC)))
        counts = days.setdefault(key, [0, 0, 0])
        known = state_before == REVIEW_STATE
        counts[0] += 1
        counts[1] += int(known)
        counts[2] += int(known and rating != AGAIN)
    bind.execute(sa.delete(study_day))
    if days:
        bind.execute(
            sa.insert(study_day),
            [
                {"user_id": uid, "day": day, "reviews": r, "known": k, "kept": kept}
                for (uid, day), (r, k, kept) in sorted(
                    days.items(), key=lambda kv: (kv[0][0], kv[0][1])
                )
            ],
        )


def downgrade() -> None:
    # The old keys (UTC dates) are not worth restoring: 0005's code reads these rows as well.
    pass
