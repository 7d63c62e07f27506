"""The database-outage page (503) passes axe in every variant: desktop and phone, light
and dark. The page is drawn by an app whose database is unreachable, and served at a
path of the live server (so its stylesheet and icons load as on any page)."""

from __future__ import annotations

import pytest

from webapp import create_app

from .test_axe import _axe
from .tour import VARIANTS

pytestmark = pytest.mark.browser


def _outage_page(tmp_path) -> str:
    app = create_app(
        {
            "SECRET_KEY": "axe-outage",
            "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-directory/quiz.sqlite",
            "BANK_DIR": str(tmp_path),
        }
    )
    response = app.test_client().get("/")
    assert response.status_code == 503
    return response.get_data(as_text=True)


def test_no_axe_violation_on_the_database_outage_page(live_server, browser, tmp_path):
    html = _outage_page(tmp_path)
    axe = _axe()
    found = []
    for variant in VARIANTS:
        context = browser.new_context(
            viewport=variant.viewport,
            color_scheme=variant.color_scheme,
            is_mobile=variant.mobile,
            has_touch=variant.mobile,
        )
        page = context.new_page()
        url = f"{live_server.url}/outage-for-axe"
        page.route(
            url, lambda route: route.fulfill(status=503, body=html, content_type="text/html")
        )
        page.goto(url)
        assert page.get_by_role("heading", name="We are back in a moment").is_visible()
        for v in axe.run(page).response["violations"]:
            found.append(f"{variant.name}: {v['impact']} {v['id']}")
        context.close()
    assert not found, "\n".join(found)
