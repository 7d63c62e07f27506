"""The home page leads to today's work; the results grid links to each answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_home_shows_cards_due_and_progress_per_section(live_server, page):
    email = live_server.create_user()
    _log_in(page, live_server.url, email)
    today = page.get_by_role("region", name="Today")
    expect(today).to_contain_text("new")  # every published card is new for a new student
    expect(today.get_by_role("link", name="Study now")).to_have_attribute("href", "/study/session")
    # Answer one question of a section, then the section's card shows its mastery.
    live_server.only("history-tf")
    page.goto(f"{live_server.url}/quiz/history")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    page.goto(f"{live_server.url}/")
    card = page.locator(".cards.sections .card", has_text="Brief Historical")
    expect(card.locator("meter")).to_have_attribute("value", "1.0")
    expect(card).to_contain_text("1 mastered")
    # The whole card is the link: a click on its title starts the section's quiz.
    box = card.locator("h3").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/quiz/history$"))


def test_the_results_grid_links_to_each_answer_and_retries_the_missed(live_server, page):
    _log_in(page, live_server.url, live_server.create_user())
    page.goto(f"{live_server.url}/quiz/history")
    page.get_by_role("button", name="Start the quiz").click()
    # Answer the first question wrong whatever it is, then end the quiz early.
    form = page.locator("form.answer-form")
    if form.locator("input[type=text]").count():
        form.locator("input[type=text]").first.fill("nothing like it")
    elif form.locator("input[name=choice]").count():
        form.locator("input[name=choice]").last.check()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("button", name="End the quiz now").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"You ended the quiz with \d+ questions? left"))
    ).to_be_visible()
    cells = page.locator(".result-grid a")
    assert cells.count() == 5
    cells.nth(2).click()
    expect(page).to_have_url(re.compile(r"#q-3$"))
    target = page.locator("#q-3")
    expect(target).to_be_focused()
    expect(target.locator("details")).to_have_attribute("open", "")
    page.get_by_role("button", name=re.compile(r"Retry the \d+ I missed")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/items/1$"))
