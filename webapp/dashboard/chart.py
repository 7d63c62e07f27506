"""A server-rendered SVG line chart of scores over time (no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

WIDTH, HEIGHT = 600, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 12, 28


@dataclass
class Chart:
    width: int
    height: int
    points: list[tuple[float, float, datetime, float]]  # x, y, when, score
    polyline: str
    gridlines: list[tuple[float, str]]  # y, label
    x_labels: list[tuple[float, str]]


def score_chart(history: list[tuple[datetime, float]], zone: tzinfo = UTC) -> Chart | None:
    """Positions for the chart's points, grid and labels; None without data.

    ``history`` holds stored (UTC) times; the axis labels read them in ``zone``, the
    student's, as every time shown does.
    """
    if not history:
        return None
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n = len(history)
    points = []
    for i, (when, score) in enumerate(history):
        x = PAD_LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = PAD_TOP + inner_h * (1 - max(0.0, min(1.0, score)))
        points.append((round(x, 1), round(y, 1), when, score))
    grid = [
        (round(PAD_TOP + inner_h * (1 - f), 1), f"{int(f * 100)}%") for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    first, last = points[0], points[-1]
    first_at, last_at = _in_zone(first[2], zone), _in_zone(last[2], zone)
    # Two labels reading "28 Nov" and "28 Nov" say nothing: within one day, give the times.
    fmt = "%d %b %H:%M" if first_at.date() == last_at.date() else "%d %b"
    x_labels = [(first[0], first_at.strftime(fmt))]
    if n > 1:
        x_labels.append((last[0], last_at.strftime(fmt)))
    return Chart(
        WIDTH, HEIGHT, points, " ".join(f"{x},{y}" for x, y, _, _ in points), grid, x_labels
    )


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    """A stored time (UTC, aware or naive) as the student reads it."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
