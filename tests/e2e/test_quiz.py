"""A student in chromium: register, answer every kind, see feedback, score and dashboard."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.webapp import fixture_bank

from .conftest import PASSWORD
from .pages import (
    answer_with_keyboard,
    answer_with_mouse,
    go_on,
    item_on_screen,
    right_answer,
    sign_up,
    tab_to,
    tab_to_button,
    tab_to_link,
    wrong_answer,
)

pytestmark = pytest.mark.browser
KINDS = {i["kind"] for i in fixture_bank.ITEMS}
TOTAL = len(fixture_bank.ITEMS)


def register(page: Page, live_server) -> str:  # noqa: ANN001
    """Sign up through the form and the mailed link as a new student; returns the email."""
    email = f"student-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    sign_up(page, live_server.url, live_server.outbox, email, PASSWORD)
    return email


def test_new_student_answers_every_kind_and_finds_the_score_on_the_dashboard(page, live_server):
    register(page, live_server)
    page.get_by_role("link", name="Quiz on the whole article").click()
    page.get_by_role("button", name="Start the quiz").click()

    seen, wrong_prompt = [], None
    while True:
        expect(page.locator("form.answer-form")).to_be_visible()
        item = item_on_screen(page)
        seen.append(item["kind"])
        miss = item["kind"] == "true_false"  # one deliberate mistake, to see that feedback too
        answer_with_mouse(page, item, wrong_answer(item) if miss else right_answer(item))
        feedback = page.locator(".feedback")
        expect(feedback).to_contain_text(item["explanation"])
        if miss:
            wrong_prompt = item["prompt"]
            expect(feedback.locator(".verdict")).to_have_text("Not right.")
            expect(feedback).to_contain_text("The right answer")
            expect(feedback).to_contain_text("True" if item["answer"] else "False")
        else:
            expect(feedback.locator(".verdict")).to_have_text("Right!")
        if not go_on(page):
            break

    assert sorted(seen) == sorted(KINDS), "the quiz did not show every kind once"
    right = TOTAL - 1
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(".score-big")).to_have_text(f"{round(100 * right / TOTAL)}%")
    expect(page.get_by_text(f"{right} of {TOTAL} right")).to_be_visible()

    page.get_by_role("link", name="Your dashboard").click()
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()

    def stat(label: str):
        return page.locator(".stat", has_text=label).locator("strong")

    expect(stat("Quizzes finished")).to_have_text("1")
    expect(stat("Best score")).to_have_text(f"{round(100 * right / TOTAL)}%")
    expect(stat("Answers given")).to_have_text(str(TOTAL))
    missed = page.get_by_role("heading", name="Most often missed")
    expect(missed).to_be_visible()
    expect(page.get_by_role("cell", name=wrong_prompt)).to_be_visible()


def test_a_quiz_can_be_completed_with_the_keyboard_only(page, live_server):
    page.goto(live_server.url + "/")
    tab_to_link(page, "Quiz on the whole article")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()
    tab_to_button(page, "Start the quiz")
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none", "keyboard focus is not visible on the start button"
    page.keyboard.press("Enter")

    seen = []
    for _ in range(TOTAL):
        expect(page.locator("form.answer-form")).to_be_visible()
        item = item_on_screen(page)
        seen.append(item["kind"])
        answer_with_keyboard(page, item, right_answer(item))
        expect(page.locator(".feedback .verdict")).to_have_text("Right!")
        name = "Next question" if len(seen) < TOTAL else "See your results"
        tab_to(page, f"el => el.tagName === 'A' && el.innerText.trim() === {name!r}", name)
        page.keyboard.press("Enter")

    assert sorted(seen) == sorted(KINDS)
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(".score-big")).to_have_text("100%")
    expect(page.get_by_text(f"{TOTAL} of {TOTAL} right")).to_be_visible()
