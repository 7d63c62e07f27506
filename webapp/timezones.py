"""Each student's time zone: taken from the browser, stored in their settings, used for
every time shown and for the study day (which turns over at 4 a.m. local, as Anki's does)."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

TIME_ZONE_SETTING = "time_zone"
DAY_STARTS = time(4)  # the study day turns over at 4 a.m. local time
MAX_ZONE_NAME = 64


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted."""
    return tuple(sorted(available_timezones()))


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zone_names())


def valid_zone(name: str | None) -> str | None:
    """``name`` if it is a known IANA time zone, else None (a set lookup: every time a page
    shows asks)."""
    if not name or len(name) > MAX_ZONE_NAME or name not in _known_zones():
        return None
    return name


def zone_of(user: Any) -> tzinfo:
    """The user's zone (UTC for a guest or a user who never sent one)."""
    settings = getattr(user, "settings", None) or {}
    name = valid_zone(settings.get(TIME_ZONE_SETTING))
    try:
        return ZoneInfo(name) if name else UTC
    except ZoneInfoNotFoundError:
        return UTC


def zone_name(user: Any) -> str:
    """The user's zone as a name ("UTC" when none is stored)."""
    settings = getattr(user, "settings", None) or {}
    return valid_zone(settings.get(TIME_ZONE_SETTING)) or "UTC"


def zone_chosen(user: Any) -> bool:
    """Whether the user has a time zone stored."""
    return valid_zone((getattr(user, "settings", None) or {}).get(TIME_ZONE_SETTING)) is not None


def set_zone(user: Any, name: str | None) -> bool:
    """Store a valid zone in the user's settings (the caller commits); False if invalid."""
    found = valid_zone(name)
    if found is None:
        return False
    user.settings = {**(user.settings or {}), TIME_ZONE_SETTING: found}
    return True


def study_day_start(now: datetime, zone: tzinfo = UTC) -> datetime:
    """The moment (UTC) the study day holding ``now`` began: the last 4 a.m. in ``zone``."""
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    start = datetime.combine(local.date(), DAY_STARTS, tzinfo=zone)
    if local < start:
        start = datetime.combine(local.date() - timedelta(days=1), DAY_STARTS, tzinfo=zone)
    return start.astimezone(UTC)


def study_day(now: datetime, zone: tzinfo = UTC) -> date:
    """The study day holding ``now``, named by its local date: 02:00 on the 3rd is the 2nd."""
    return study_day_start(now, zone).astimezone(zone).date()


def study_days_start(first: date, zone: tzinfo = UTC) -> datetime:
    """The moment (UTC) the study day ``first`` began in ``zone`` (4 a.m. local that date)."""
    return datetime.combine(first, DAY_STARTS, tzinfo=zone).astimezone(UTC)


def local_time(value: datetime | None, zone: tzinfo, fmt: str = "%d %b %Y %H:%M") -> str:
    """A stored UTC time as the user reads it, in their zone."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime(fmt)
