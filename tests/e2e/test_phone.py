"""The quiz pages on a phone screen and in dark mode, in chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.webapp import fixture_bank

from .pages import answer_with_mouse, go_on, item_on_screen, right_answer

pytestmark = pytest.mark.browser

OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
BACKGROUND_LUMINANCE_JS = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def _fits(page: Page, where: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px on a phone"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_fits_a_phone_screen_in_light_and_dark_mode(browser, live_server, scheme):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, color_scheme=scheme
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/")
    luminance = page.evaluate(BACKGROUND_LUMINANCE_JS)
    assert (luminance < 0.3) if scheme == "dark" else (luminance > 0.7), luminance
    _fits(page, "the home page")
    page.get_by_role("link", name="Quiz on the whole article").click()
    page.get_by_role("button", name="Start the quiz").click()
    for _ in fixture_bank.ITEMS:
        expect(page.locator("form.answer-form")).to_be_visible()
        item = item_on_screen(page)
        _fits(page, f"the {item['kind']} question")
        answer_with_mouse(page, item, right_answer(item))
        expect(page.locator(".feedback .verdict")).to_have_text("Right!")
        _fits(page, f"the {item['kind']} feedback")
        if not go_on(page):
            break
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    _fits(page, "the results page")
