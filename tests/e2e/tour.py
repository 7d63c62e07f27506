"""A tour of every student page, for screenshots (`make screenshots`) and the axe test.

``build_tour`` plays a student once (register, take a quiz on every kind with some answers
wrong, leave another quiz open, study a card) and returns the pages to visit with that
student's cookies; ``VARIANTS`` are the four ways to look at them (desktop and phone,
light and dark). Run as a module it starts its own server and saves every page of every
variant to ``test-artifacts/screens/``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.pages import go_on, item_on_screen, right_answer, sign_up, signup_link

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-artifacts" / "screens"
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Variant:
    name: str
    viewport: dict[str, int]
    color_scheme: str
    mobile: bool = False


VARIANTS = (
    Variant("desktop-light", {"width": 1280, "height": 860}, "light"),
    Variant("desktop-dark", {"width": 1280, "height": 860}, "dark"),
    Variant("phone-light", {"width": 390, "height": 844}, "light", mobile=True),
    Variant("phone-dark", {"width": 390, "height": 844}, "dark", mobile=True),
)


@dataclass
class Tour:
    """Page name -> path, for a guest and for the signed-in student (its cookies)."""

    guest: dict[str, str]
    student: dict[str, str]
    storage_state: Any


def _wrong(item: dict[str, Any]) -> dict[str, Any]:
    """A wrong (or partly wrong) answer of each kind, so the feedback shows every mark."""
    kind = item["kind"]
    right = right_answer(item)
    if kind in ("single_choice", "true_false"):
        others = [o["text"] for o in item.get("options", [])] or ["True", "False"]
        return {"tick": [t for t in others if t not in right["tick"]][:1]}
    if kind == "multiple_select":
        wrong = [o["text"] for o in item["options"] if not o.get("correct")][:1]
        return {"tick": right["tick"][:1] + wrong}
    if "type" in right:
        return {"type": "1999" if kind == "numeric" else "Volga"}
    if kind == "cloze":
        return {"blanks": [right["blanks"][0], "wrong"] + right["blanks"][2:]}
    return {}  # ordering and matching: answered by _fill below in a wrong order


def _fill(page, item: dict[str, Any], answer: dict[str, Any]) -> None:
    form = page.locator("form.answer-form")
    for label in answer.get("tick", []):
        form.get_by_label(label, exact=True).check()
    if "type" in answer:
        form.locator("#answer").fill(answer["type"])
    for n, text in enumerate(answer.get("blanks", []), start=1):
        form.get_by_label(re.compile(rf"^Blank {n}\b")).fill(text)
    if item["kind"] == "ordering":
        form.locator("[data-move='1']").first.click()  # the first two swapped: partly right
    if item["kind"] == "matching":
        selects = form.locator("select")
        count = selects.count()
        for i in range(count):
            # Positions 1..n in the shown order, or the first choices: usually partly wrong.
            selects.nth(i).select_option(index=((i + 1) % count) + 1)
    page.get_by_role("button", name="Check my answer").click()


def _all_questions(page) -> None:
    """Choose the largest size offered: the whole pool."""
    size = page.get_by_label("Number of questions")
    size.select_option(size.locator("option").last.get_attribute("value"))


def build_tour(browser, base: str, outbox: Path) -> Tour:
    """Play a student once (signing up through the mail in ``outbox``); return the pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    guest = {
        "home-guest": "/",
        "login": "/login",
        "register": "/register",
        "reset": "/reset",
        "404": "/no-such-page",
    }
    # A sign-up link left unused: its page ("Finish signing up") is a guest page too.
    page.goto(f"{base}/register")
    page.get_by_label("Email").fill("screens-unused@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    guest["sign-up-link"] = signup_link(outbox, "screens-unused@example.com", base)
    email = f"screens-{re.sub(r'[^0-9]', '', str(id(page)))[:8]}@example.com"
    sign_up(page, base, outbox, email, PASSWORD)

    student: dict[str, str] = {}
    # A quiz over the whole article: every kind, the odd ones answered wrong.
    page.goto(f"{base}/quiz/all")
    student["quiz-start"] = "/quiz/all"
    _all_questions(page)
    page.get_by_role("button", name="Start the quiz").click()
    position = 1
    while "/items/" in page.url:
        item = item_on_screen(page)
        path = page.url.removeprefix(base)
        student[f"question-{item['kind']}"] = path
        answer = right_answer(item) if position % 3 == 0 else _wrong(item)
        if item["kind"] in ("ordering", "matching") and position % 3 != 0:
            _fill(page, item, {})
        else:
            _fill(page, item, answer)
        student[f"feedback-{item['kind']}"] = path
        position += 1
        go_on(page)
    student["results"] = page.url.removeprefix(base)
    # A second quiz left open: its questions show the answer forms, and home offers it.
    page.goto(f"{base}/quiz/all")
    _all_questions(page)
    page.get_by_role("button", name="Start the quiz").click()
    first = page.url.removeprefix(base)
    items = first.rsplit("/", 1)[0]
    for n in range(1, 10):
        page.goto(f"{base}{items}/{n}")
        if page.locator("form.answer-form").count() == 0:
            break
        item = item_on_screen(page)
        student[f"question-{item['kind']}"] = f"{items}/{n}"
    student.update(
        {
            "home": "/",
            "study": "/study/",
            "study-card": "/study/session",
            "study-settings": "/study/settings",
            "quiz-mixed": "/quiz/mixed",
            "account": "/account",
            "dashboard": "/dashboard",
            "anki": "/export",
            "assignments": "/assignments",
            "join-a-class": "/join",
        }
    )
    state = context.storage_state()
    context.close()
    return Tour(guest=guest, student=student, storage_state=state)


def shoot(browser, base: str, tour: Tour, directory: Path = SCREENS) -> list[Path]:
    """Save every page of the tour in every variant; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    for variant in VARIANTS:
        for who, pages in (("guest", tour.guest), ("student", tour.student)):
            context = browser.new_context(
                viewport=variant.viewport,
                color_scheme=variant.color_scheme,
                is_mobile=variant.mobile,
                has_touch=variant.mobile,
                storage_state=tour.storage_state if who == "student" else None,
            )
            page = context.new_page()
            for name, path in pages.items():
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                # A feedback page focuses "Next question" at its foot, which scrolls; a
                # full-page shot of a scrolled page draws the sticky quiz bar mid-page.
                page.evaluate("window.scrollTo(0, 0)")
                out = directory / f"{name}--{variant.name}.png"
                page.screenshot(path=str(out), full_page=True)
                saved.append(out)
            context.close()
    return saved


def main() -> int:
    """Start a server on a scratch database with the fixture bank; shoot every page."""
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path
    from tests.serving import Gunicorn
    from tests.webapp import fixture_bank
    from webapp import create_app
    from webapp.bank_sync import sync_bank
    from webapp.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'screens.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "screens"})
        with app.app_context():
            upgrade()
            sync_bank(fixture_bank.questions())
            db.session.commit()
        outbox = Path(tmp) / "outbox"
        server = Gunicorn(
            url,
            workers=2,
            log=Path(tmp) / "gunicorn.log",
            env={"APP_ENV": "production", "MAIL_OUTBOX_DIR": str(outbox)},
        )
        with server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            tour = build_tour(browser, server.base, outbox)
            saved = shoot(browser, server.base, tour)
            browser.close()
    print(f"{len(saved)} screenshots in {SCREENS.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
