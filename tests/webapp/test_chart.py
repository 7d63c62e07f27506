"""The score chart's axis labels are read in the student's zone, not in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from webapp.dashboard.chart import score_chart

KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14, the farthest ahead
PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")  # UTC-11


def _labels(history, zone=UTC) -> list[str]:
    chart = score_chart(history, zone)
    assert chart is not None
    return [label for _, label in chart.x_labels]


HISTORY = [
    (datetime(2026, 11, 27, 12, 0, tzinfo=UTC), 0.5),
    (datetime(2026, 11, 28, 11, 30, tzinfo=UTC), 0.8),
]


def test_labels_are_dates_in_the_students_zone():
    assert _labels(HISTORY) == ["27 Nov", "28 Nov"]
    assert _labels(HISTORY, KIRITIMATI) == ["28 Nov", "29 Nov"]  # 02:00 and 01:30 next day
    assert _labels(HISTORY, PAGO_PAGO) == ["27 Nov", "28 Nov"]  # 01:00 and 00:30


def test_one_local_day_gives_local_times_even_across_a_utc_midnight():
    # 23:00 and 01:00 UTC: two UTC days, but one day (13:00 and 15:00) in Kiritimati
    history = [
        (datetime(2026, 11, 27, 23, 0, tzinfo=UTC), 0.5),
        (datetime(2026, 11, 28, 1, 0, tzinfo=UTC), 0.7),
    ]
    assert _labels(history) == ["27 Nov", "28 Nov"]
    assert _labels(history, KIRITIMATI) == ["28 Nov 13:00", "28 Nov 15:00"]


def test_naive_stored_times_are_read_as_utc():
    history = [(datetime(2026, 11, 28, 11, 0), 0.5), (datetime(2026, 11, 28, 12, 0), 0.6)]
    assert _labels(history, KIRITIMATI) == ["29 Nov 01:00", "29 Nov 02:00"]
