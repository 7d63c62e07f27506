"""Authoring a cloze in chromium: blanks with their variants as rows, the paragraph picker,
the preview's right and wrong feedback, the trap refused at its row, and a student whose
"US" is marked right. Then axe-core on each state of the form, desktop and phone, light
and dark, with screenshots in test-artifacts/authoring/ to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .test_instructor import log_in
from .tour import VARIANTS

pytestmark = pytest.mark.browser

PROMPT = "The pipeline runs from {{c1::Russia}} and the deal was signed in {{c2::America}}."
KEY = "The pipeline runs from Russia and the deal was signed in America."
EXPLANATION = "The article names both countries in its conclusion."
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "authoring"
NEW_CLOZE = "/instructor/questions/new/cloze"


def _blank_rows(page: Page, blank: int, name: str = "accept"):
    return page.locator(f"[data-rows='gaps-{blank - 1}-{name}'] .row-entry input")


def _fill_in_the_form(page: Page) -> None:
    """Section, paragraphs from the picker, the prompt, the blanks shown."""
    page.get_by_label("Section").select_option(value="conclusion")
    # the picker follows the section at once (script): conclusion's paragraphs, ready to tick
    expect(page.locator("[data-section=conclusion]")).to_be_visible()
    expect(page.locator("[data-section=introduction]")).to_be_hidden()
    page.get_by_role("checkbox", name=re.compile(r"^Paragraph 1\b")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Paragraph 2\b")).check()
    page.get_by_label("Prompt").fill(PROMPT)
    page.get_by_label("Explanation").fill(EXPLANATION)
    page.get_by_role("button", name="Update the blanks from the prompt").click()
    expect(page.locator(".blank-title")).to_have_count(2)


def _type_the_trap(page: Page) -> None:
    _blank_rows(page, 2).nth(0).fill("2=US|2=USA")
    page.get_by_role("button", name="Preview").click()


def _right_rows_and_preview(page: Page) -> None:
    rows = _blank_rows(page, 2)
    rows.nth(0).fill("US")
    rows.nth(1).fill("USA")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview")).to_be_visible()


def test_an_instructor_authors_a_cloze_and_a_student_typing_us_is_right(browser, page, live_server):
    base = live_server.url
    log_in(page, base, live_server.create_user("instructor"))
    page.goto(base + NEW_CLOZE)
    # with script the picker follows the section: the button for the script-less is gone
    expect(page.get_by_role("button", name="Show this section's paragraphs")).to_be_hidden()
    _fill_in_the_form(page)
    expect(page.locator(".blank-title").nth(1)).to_contain_text("Blank 2: America")
    # the ticks survive the round trip, on the section chosen
    expect(page.locator("#paragraphs-conclusion-1")).to_be_checked()
    expect(page.locator("#paragraphs-conclusion-2")).to_be_checked()

    # the CSV's syntax in a row: refused, with the message at that row
    _type_the_trap(page)
    trap = _blank_rows(page, 2).nth(0)
    expect(trap).to_have_value("2=US|2=USA")
    expect(trap).to_have_attribute("aria-invalid", "true")
    message = page.locator("#gaps-1-accept-0-error")
    expect(message).to_contain_text("One answer a row: this row holds 2 (“US” and “USA”)")
    expect(trap).to_have_attribute("aria-describedby", "gaps-1-accept-0-error")
    expect(page.locator(".preview")).to_have_count(0)

    # "Add a row" adds one in place (script), with no trip to the server
    url = page.url
    before = _blank_rows(page, 2).count()
    page.get_by_role("button", name="Add a row: blank 2, also right").click()
    expect(_blank_rows(page, 2)).to_have_count(before + 1)
    assert page.url == url
    added = _blank_rows(page, 2).nth(before)
    expect(added).to_be_focused()
    expect(added).to_have_attribute("name", f"gaps-1-accept-{before}")
    added.fill("United States")

    _right_rows_and_preview(page)
    preview = page.locator(".preview")
    expect(preview.locator(".preview-key")).to_have_text(KEY)
    expect(preview.locator(".preview-facts")).to_contain_text(EXPLANATION)
    right = preview.locator("section[aria-labelledby=preview-right]")
    expect(right.locator(".verdict")).to_have_text("Right!")
    expect(right).to_contain_text(EXPLANATION)
    wrong = preview.locator("section[aria-labelledby=preview-wrong]")
    expect(wrong.locator(".verdict")).to_have_text("Partly right (50%).")
    expect(wrong.locator(".gap.is-wrong")).to_contain_text("Russia")  # the key beside it
    expect(wrong.locator(".gap.is-right")).to_contain_text("America")
    expect(wrong).to_contain_text(EXPLANATION)

    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(re.compile(r"Created conclusion-the-pipeline-runs-from-russia"))
    ).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(r"is now published"))).to_be_visible()

    student = browser.new_context()
    student.set_default_timeout(15_000)
    student_page = student.new_page()
    student_page.goto(base + "/quiz/conclusion")
    student_page.get_by_role("button", name="Start the quiz").click()
    student_page.get_by_label("Blank 1").fill("Russia")
    student_page.get_by_label("Blank 2").fill("US")
    student_page.get_by_role("button", name="Check my answer").click()
    expect(student_page.locator(".feedback .verdict")).to_have_text("Right!")


def test_the_picker_and_the_rows_work_without_javascript(browser, live_server):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, base, live_server.create_user("instructor"))
    page.goto(base + NEW_CLOZE)
    page.get_by_label("Section").select_option(value="conclusion")
    # without script the picker still shows the first section: ask for the chosen one
    expect(page.locator("[data-section=introduction]")).to_be_visible()
    page.get_by_role("button", name="Show this section's paragraphs").click()
    expect(page.locator("[data-section=conclusion]")).to_be_visible()
    expect(page.locator("[data-section=introduction]")).to_be_hidden()
    page.get_by_role("checkbox", name=re.compile(r"^Paragraph 2\b")).check()
    page.get_by_label("Prompt").fill(PROMPT)
    page.get_by_label("Explanation").fill(EXPLANATION)
    page.get_by_role("button", name="Update the blanks from the prompt").click()
    before = _blank_rows(page, 2).count()
    page.get_by_role("button", name="Add a row: blank 2, also right").click()  # submits
    expect(_blank_rows(page, 2)).to_have_count(before + 1)
    expect(page.locator("#paragraphs-conclusion-2")).to_be_checked()
    _right_rows_and_preview(page)
    expect(page.locator(".preview .preview-key")).to_have_text(KEY)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_the_authoring_states_pass_axe_and_are_shot(browser, live_server, variant):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(
        viewport=variant.viewport,
        color_scheme=variant.color_scheme,
        is_mobile=variant.mobile,
        has_touch=variant.mobile,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server.url, live_server.create_user("instructor"))
    page.goto(live_server.url + NEW_CLOZE)
    axe = Axe()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}

    def check(state: str) -> None:
        page.screenshot(path=str(SHOTS / f"{variant.name}-{state}.png"), full_page=True)
        for part in ("preview", "blanks", "paragraph-picker"):  # close-ups to look at
            if page.locator(f".{part}").count():
                page.locator(f".{part}").screenshot(
                    path=str(SHOTS / f"{variant.name}-{state}-{part}.png")
                )
        if variant.mobile:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, state
        violations = axe.run(page).response["violations"]
        if violations:
            found[state] = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            ]

    check("new-cloze")
    _fill_in_the_form(page)
    check("blanks")
    _type_the_trap(page)
    check("trap-refused")
    _right_rows_and_preview(page)
    check("preview")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Edit").click()
    check("edit-saved")
    assert found == {}
