"""Opening and due times: entered and shown in the class's time zone, stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..timezones import valid_zone


class NoSuchLocalTime(ValueError):
    """A wall-clock time that the zone skips (clocks go forward at a daylight-saving change)."""


def class_zone(name: str | None) -> ZoneInfo:
    """The class's zone (UTC when the stored name is unknown)."""
    return ZoneInfo(valid_zone(name) or "UTC")


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A naive wall-clock time in ``zone_name`` as an aware UTC time.

    A time that happens twice (clocks go back) is taken as its first occurrence;
    one that never happens (clocks go forward) raises ``NoSuchLocalTime``.
    """
    zone = class_zone(zone_name)
    naive = local.replace(tzinfo=None, second=0, microsecond=0)
    aware = naive.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise NoSuchLocalTime(
            f"{naive:%d %b %Y %H:%M} does not exist in {zone.key}: the clocks skip that hour "
            "(daylight saving). Choose a time outside it."
        )
    return aware.astimezone(UTC)


def to_local(value: datetime, zone_name: str) -> datetime:
    """A stored UTC time as a naive wall-clock time in ``zone_name`` (for a form field)."""
    return value.astimezone(class_zone(zone_name)).replace(tzinfo=None)


def show(value: datetime | None, zone_name: str, fmt: str = "%a %d %b %Y %H:%M") -> str:
    """A stored UTC time as the class reads it, with the zone's abbreviation."""
    if value is None:
        return ""
    local = value.astimezone(class_zone(zone_name))
    return f"{local.strftime(fmt)} {local.tzname()}"
