"""Page weight and load time of the student pages in chromium, on the tour of make screenshots.

    .venv/bin/python bench/bench_weight.py [--no-write]

For each page of tests/e2e/tour.py (desktop, light): the bytes the browser transferred
(HTML, CSS, JavaScript, font, icons; as sent, so css, js and svg gzipped by the app) with
a fresh cache and after another page of the site (what a student pays per page once the
static files are cached), and the time to the load event, median of 3. Records them in
bench/RESULTS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _results import command_line, stamp, write_block  # noqa: E402

_TRANSFERRED = (
    "(() => { const n = performance.getEntriesByType('navigation')[0];"
    " const r = performance.getEntriesByType('resource');"
    " return [n.transferSize + r.reduce((s, e) => s + e.transferSize, 0),"
    " n.loadEventEnd - n.startTime]; })()"
)


def measure(browser, base: str, path: str, state) -> tuple[int, int, float]:
    """Bytes with a cold cache, bytes after another page of the site, load ms (cold)."""
    cold: list[int] = []
    warm: list[int] = []
    times = []
    for _ in range(3):
        context = browser.new_context(storage_state=state)
        page = context.new_page()
        page.goto(f"{base}{path}", wait_until="networkidle")
        total, load = page.evaluate(_TRANSFERRED)
        times.append(load)
        cold.append(total)
        context.close()
        # warm: the student came from another page of the site (its files are cached)
        context = browser.new_context(storage_state=state)
        page = context.new_page()
        page.goto(f"{base}/account" if state else f"{base}/login", wait_until="networkidle")
        page.goto(f"{base}{path}", wait_until="networkidle")
        warm.append(page.evaluate(_TRANSFERRED)[0])
        context.close()
    return int(statistics.median(cold)), int(statistics.median(warm)), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path
    from tests.e2e.tour import build_tour
    from tests.serving import Gunicorn
    from tests.webapp import fixture_bank
    from webapp import create_app
    from webapp.bank_sync import sync_bank
    from webapp.extensions import db

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'weight.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "weight"})
        with app.app_context():
            upgrade()
            sync_bank(fixture_bank.questions())
            db.session.commit()
        outbox = Path(tmp) / "outbox"  # the tour signs up through the emailed link
        env = {"APP_ENV": "production", "MAIL_OUTBOX_DIR": str(outbox)}
        server = Gunicorn(url, workers=2, env=env)
        with server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            tour = build_tour(browser, server.base, outbox)
            pages = {**tour.guest, **tour.student}
            for name, path in pages.items():
                state = tour.storage_state if name in tour.student else None
                rows.append((name, *measure(browser, server.base, path, state)))
            browser.close()
    lines = [
        "## Page weight and load time in chromium (`bench/bench_weight.py`)",
        "",
        f"`{command_line()}`, {stamp()}: bytes transferred with a cold cache (the font,",
        "the icon sprite, site.css and the page's script included; gunicorn without nginx,",
        "so css, js and svg gzipped by the app and the HTML not), bytes when the student",
        "comes from another page of the site (static files are linked by digest and cached",
        "a year, so only what the page adds), and time to the load event with a cold cache;",
        "median of 3.",
        "",
        "| page | cold KB | after another page, KB | load ms (cold) |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {name} | {cold / 1024:.0f} | {warm / 1024:.1f} | {ms:.0f} |"
            for name, cold, warm, ms in rows
        ),
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_block("bench_weight", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
