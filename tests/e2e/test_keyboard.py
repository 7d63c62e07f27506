"""The quiz with the keyboard: focus on the question, number keys, Enter goes on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


class CountingKeyboard:
    """The page's keyboard, counting every key press."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.presses += 1
        self.page.keyboard.press(key)


def _start(page, base: str, section: str) -> None:
    page.goto(f"{base}/quiz/{section}")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/items/1$"))


def test_a_single_choice_question_takes_three_key_presses(live_server, page):
    live_server.only("history-single")
    _start(page, live_server.url, "history")
    # Focus is already on the question: the first option, inside the answer form.
    assert page.evaluate("document.activeElement.name") == "choice"
    options = page.locator("form.answer-form .choice-text").all_inner_texts()
    keys = CountingKeyboard(page)
    keys.press(str(options.index("Amur") + 1))  # pick
    expect(page.get_by_label("Amur", exact=True)).to_be_checked()
    keys.press("Enter")  # check
    expect(page.locator(".feedback .verdict")).to_have_text("Right!")
    # Focus is on the way on, which names the verdict for a screen reader.
    link = page.locator("[data-next]")
    expect(link).to_be_focused()
    assert link.get_attribute("aria-describedby") == "verdict"
    keys.press("Enter")  # go on
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    assert keys.presses <= 3


def test_a_wrong_pick_is_marked_in_place_and_the_key_shown(live_server, page):
    live_server.only("history-single")
    _start(page, live_server.url, "history")
    options = page.locator("form.answer-form .choice-text").all_inner_texts()
    page.keyboard.press(str(options.index("Volga") + 1))
    page.keyboard.press("Enter")
    marked = page.locator(".feedback .marked-row")
    expect(marked.filter(has_text="Volga")).to_contain_text("Your choice: wrong")
    expect(marked.filter(has_text="Amur")).to_contain_text("Right answer, not chosen")
    expect(marked.filter(has_text="Danube")).not_to_contain_text("Your choice")


def test_an_unreadable_answer_puts_focus_on_the_error(live_server, page):
    live_server.only("history-single")
    _start(page, live_server.url, "history")
    page.keyboard.press("Enter")  # nothing picked: the form comes back with an error
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
