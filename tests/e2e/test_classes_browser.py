"""Classes in chromium: an instructor creates a class and an assignment, a student joins by
the link and does it, the instructor reads the score in the gradebook and downloads the CSV.

The new pages then go through axe (desktop and phone, light and dark, no violation) and
are saved as screenshots in ``test-artifacts/classes/``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .pages import answer_with_mouse, item_on_screen, right_answer
from .test_instructor import log_in
from .tour import VARIANTS

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "classes"


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def _create_class_and_assignment(page: Page, base: str) -> str:
    """Through the instructor's pages; the class's join link."""
    page.get_by_role("link", name="Instructor").click()
    page.get_by_role("navigation", name="Instructor").get_by_role("link", name="Classes").click()
    page.get_by_role("link", name="Create a class").click()
    page.get_by_label("Class name").fill("Year 12 politics")
    page.get_by_label("Term (optional)").fill("Spring 2027")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_text("Year 12 politics is created")).to_be_visible()
    link = page.locator("code.join-link").inner_text().strip()
    page.get_by_role("navigation", name="Class").get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill("Week 1 quiz")
    page.get_by_label("A fixed list of questions (ids below)").check()
    page.get_by_label("Question ids").fill("history-single\nhistory-tf")
    now = datetime.now(UTC)
    # Europe/London in winter is UTC; in summer an hour more: either way open and due later
    page.get_by_label("Opens", exact=True).fill(_local(now - timedelta(hours=2)))
    page.get_by_label("Due", exact=True).fill(_local(now + timedelta(days=7)))
    page.get_by_label("Attempts allowed").select_option("2")
    page.get_by_label("After the attempt is finished").check()
    page.get_by_role("button", name="Create the assignment").click()
    expect(page.get_by_text("Week 1 quiz is set.")).to_be_visible()
    return link


def _do_the_assignment(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Join Year 12 politics?")).to_be_visible()
    page.get_by_label("Your name, as your instructor will see it").fill("Ana Lima")
    page.get_by_role("button", name="Join the class").click()
    expect(page.get_by_text("You joined Year 12 politics.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Start\W+Week 1 quiz$")).click()
    item = item_on_screen(page)
    answer_with_mouse(page, item, right_answer(item))
    # answers are shown after the attempt: the first one is only saved
    expect(page.get_by_text("Your answer is saved")).to_be_visible()
    expect(page.get_by_text(item["explanation"])).to_have_count(0)
    page.get_by_role("link", name="Next question").click()
    item = item_on_screen(page)
    answer_with_mouse(page, item, right_answer(item))
    # the last answer ends the attempt: now the feedback shows
    expect(page.get_by_text(item["explanation"])).to_be_visible()
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    page.goto(link.split("/join/")[0] + "/assignments")
    expect(page.get_by_text("Done · 100%")).to_be_visible()


def test_a_class_from_creation_to_the_gradebook_csv(browser, live_server):
    base = live_server.url
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    student = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    for context in (teacher, student):
        context.set_default_timeout(15_000)
    try:
        page = teacher.new_page()
        log_in(page, base, live_server.create_user("instructor"))
        link = _create_class_and_assignment(page, base)
        assert link.startswith(base + "/join/")

        student_page = student.new_page()
        student_email = live_server.create_user("student")
        log_in(student_page, base, student_email)
        _do_the_assignment(student_page, link)

        page.get_by_role("navigation", name="Class").get_by_role(
            "link", name="Gradebook", exact=True
        ).click()
        row = page.get_by_role("row", name="Ana Lima")
        expect(row).to_contain_text("2")
        expect(page.get_by_role("columnheader", name="Week 1 quiz 2 pts")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the gradebook (CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows == [
            ["Student name", "Email", "Week 1 quiz [2 pts]"],
            ["Ana Lima", student_email, "2"],
        ]
        newcomer = browser.new_context()
        log_in(newcomer.new_page(), base, live_server.create_user("student"))
        _axe_and_screenshots(browser, base, teacher, student, page.url, newcomer, link)
        newcomer.close()
    finally:
        teacher.close()
        student.close()


def _axe_and_screenshots(
    browser, base: str, teacher, student, gradebook_url: str, newcomer, link: str
) -> None:
    """Every new page in the four variants: no axe violation, and a screenshot of each."""
    from axe_playwright_python.sync_playwright import Axe

    class_url = gradebook_url.removesuffix("/gradebook").removeprefix(base)
    pages = {
        "teacher": {
            "classes": "/instructor/classes/",
            "class-new": "/instructor/classes/new",
            "class": class_url,
            "assignment-new": f"{class_url}/assignments/new",
            "gradebook": f"{class_url}/gradebook",
        },
        "student": {"assignments": "/assignments", "join-code": "/join", "home": "/"},
        # a student who has not joined yet: the confirmation page
        "newcomer": {"join-confirm": link.removeprefix(base)},
    }
    # the results page and the student page are linked from the gradebook
    probe = teacher.new_page()
    probe.goto(base + gradebook_url.removeprefix(base))
    pages["teacher"]["assignment"] = probe.get_by_role("link", name="Week 1 quiz").get_attribute(
        "href"
    )
    pages["teacher"]["class-student"] = probe.get_by_role("link", name="Ana Lima").get_attribute(
        "href"
    )
    probe.close()
    axe = Axe()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    for who, source in (("teacher", teacher), ("student", student), ("newcomer", newcomer)):
        state = source.storage_state()
        for variant in VARIANTS:
            context = browser.new_context(
                viewport=variant.viewport,
                color_scheme=variant.color_scheme,
                is_mobile=variant.mobile,
                has_touch=variant.mobile,
                storage_state=state,
            )
            page = context.new_page()
            for name, path in pages[who].items():
                response = page.goto(base + path)
                assert response is not None and response.status == 200, (name, path)
                page.screenshot(path=str(SHOTS / f"{name}--{variant.name}.png"), full_page=True)
                for v in axe.run(page).response["violations"]:
                    targets = [n["target"] for n in v["nodes"]][:3]
                    found.append(f"{variant.name} {name}: {v['impact']} {v['id']} {targets}")
                if not variant.mobile:
                    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
            context.close()
    assert not found, "\n".join(found)
