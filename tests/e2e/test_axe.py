"""axe-core over every student page and every kind: desktop and phone, light and dark.

No violation of any impact is allowed. The pages come from the same tour as
`make screenshots` (tests/e2e/tour.py).
"""

from __future__ import annotations

import pytest

from .tour import VARIANTS, build_tour

pytestmark = pytest.mark.browser


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # pragma: no cover - a dev dependency
        pytest.fail("axe-playwright-python is not installed (pip install -r requirements-dev.txt)")
    return Axe()


def violations_on(browser, base: str, tour, variant) -> list[str]:
    """Every axe violation on the tour's pages in one variant, as readable lines."""
    axe = _axe()
    found = []
    for who, pages in (("guest", tour.guest), ("student", tour.student)):
        context = browser.new_context(
            viewport=variant.viewport,
            color_scheme=variant.color_scheme,
            is_mobile=variant.mobile,
            has_touch=variant.mobile,
            storage_state=tour.storage_state if who == "student" else None,
        )
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            results = axe.run(page)
            for v in results.response["violations"]:
                targets = [n["target"] for n in v["nodes"]][:3]
                found.append(f"{variant.name} {name} ({path}): {v['impact']} {v['id']} {targets}")
        context.close()
    return found


def test_no_axe_violation_on_any_student_page(live_server, browser):
    tour = build_tour(browser, live_server.url, live_server.outbox)
    assert len(tour.student) >= 20  # every kind's question and feedback, and the pages
    found = []
    for variant in VARIANTS:
        found += violations_on(browser, live_server.url, tour, variant)
    assert not found, "\n".join(found)
