"""Putting items in order: drag and drop, the move buttons with keys, and no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.webapp import fixture_bank

from .pages import order_on_screen

pytestmark = pytest.mark.browser

ITEMS = fixture_bank.item("history-order")["items"]


def _start(page, base: str) -> None:
    page.goto(f"{base}/quiz/history")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/items/1$"))


def _check_right(page) -> None:
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback .verdict")).to_have_text("Right!")
    expect(page.locator(".feedback .marked-row.is-right")).to_have_count(len(ITEMS))


def test_items_are_put_in_order_by_dragging_them(live_server, page):
    live_server.only("history-order")
    _start(page, live_server.url)
    for n, text in enumerate(ITEMS):
        if order_on_screen(page).index(text) == n:
            continue
        source = page.locator("[data-sortable-item]", has_text=text)
        target = page.locator("[data-sortable-item]").nth(n)
        box = target.bounding_box()
        source.drag_to(target, target_position={"x": 10, "y": 4})  # the top half: before it
        assert box is not None
        assert order_on_screen(page).index(text) == n, order_on_screen(page)
    _check_right(page)


def test_items_are_put_in_order_with_the_keyboard(live_server, page):
    live_server.only("history-order")
    _start(page, live_server.url)
    for n, text in enumerate(ITEMS):
        while order_on_screen(page).index(text) > n:
            page.get_by_role("button", name=f"Move up: {text}", exact=True).focus()
            page.keyboard.press("Enter")
            # Focus stays with the item, and a screen reader hears where it went.
            assert page.evaluate("document.activeElement.getAttribute('aria-label')").endswith(text)
    status = page.locator("[data-sortable-status]").inner_text()
    assert re.search(r"position \d of 4", status)
    _check_right(page)


def test_items_are_put_in_order_without_javascript(live_server, browser):
    live_server.only("history-order")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _start(page, live_server.url)
    for n, text in enumerate(ITEMS, start=1):
        page.get_by_label(text, exact=True).select_option(str(n))
    _check_right(page)
    context.close()
