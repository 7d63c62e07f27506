"""In a real browser the strict Content-Security-Policy blocks nothing the site needs:
no CSP violation and no script error on any page a student visits."""

import re

import pytest

from .pages import sign_up

pytestmark = pytest.mark.browser

# Error pages visited on purpose (404, 422) log their status; that is no fault.
EXPECTED = ("Failed to load resource: the server responded with a status of", "favicon.ico")


def test_pages_load_with_no_csp_violation_or_script_error(live_server, browser):
    page = browser.new_context().new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # Runs before the page's own scripts, outside its CSP: reports what the policy blocks.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective))"
    )
    # Sign-up's pages: the form, "check your email", the mailed link's page; then logged in.
    sign_up(page, live_server.url, live_server.outbox, "csp@example.com", "correct horse battery")
    page.wait_for_url(f"{live_server.url}/")
    visited = []
    for path in ("/", "/quiz/history", "/dashboard", "/login", "/no-such-page"):
        page.goto(f"{live_server.url}{path}")
        visited.append(path)
    page.goto(f"{live_server.url}/quiz/history")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/items/1$"))
    page.get_by_role("button", name="Check my answer").click()  # empty: the 422 page
    page.wait_for_load_state()
    visited.append(page.url)
    # The stylesheet applied (style-src 'self' let it through).
    assert page.evaluate("getComputedStyle(document.querySelector('.button')).display") != "inline"
    real = [p for p in problems if not any(e in p for e in EXPECTED)]
    assert real == [], (visited, real)
