"""An instructor writes and publishes a question in chromium; a student then meets it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_instructor_creates_and_publishes_a_question_that_a_student_then_meets(
    browser, page, live_server
):
    base = live_server.url
    # The fixture bank has no conclusion question: the new one opens that section's quiz.
    uid = f"conclusion-e2e-{uuid.uuid4().hex[:6]}"
    # Question text is user input: markup in it must reach the student as plain text.
    prompt = f"Is <b>{uid}</b> & its markup shown as typed?"
    explanation = "The site escapes question text before showing it."

    log_in(page, base, live_server.create_user("instructor"))
    page.get_by_role("link", name="Instructor").click()
    page.get_by_role("link", name="New question").click()
    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Id", exact=True).fill(uid)
    page.get_by_label("Section").select_option(value="conclusion")
    page.get_by_role("checkbox", name=re.compile(r"^Paragraph 1\b")).check()
    page.get_by_label("Prompt").fill(prompt)
    page.get_by_label("True", exact=True).check()
    page.get_by_label("Explanation").fill(explanation)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Created {uid} as a draft")).to_be_visible()

    student = browser.new_context()
    student.set_default_timeout(15_000)
    try:
        student_page = student.new_page()
        student_page.goto(base + "/")
        quiz_link = student_page.get_by_role(
            "link", name=re.compile(r"^Quiz on this section\W*Conclusion$")
        )
        expect(quiz_link).to_have_count(0)  # a draft is not shown to students

        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text(f"{uid} is now published")).to_be_visible()

        student_page.reload()
        quiz_link.click()
        student_page.get_by_role("button", name="Start the quiz").click()
        expect(student_page.locator("legend.prompt")).to_have_text(prompt)
        expect(student_page.locator("legend.prompt b")).to_have_count(0)
        student_page.get_by_label("True", exact=True).check()
        student_page.get_by_role("button", name="Check my answer").click()
        expect(student_page.locator(".feedback .verdict")).to_have_text("Right!")
        expect(student_page.locator(".feedback")).to_contain_text(explanation)
    finally:
        student.close()
