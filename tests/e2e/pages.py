"""What a student does on the quiz pages, with the mouse or with the keyboard only.

The answers come from the fixture bank (tests/webapp/fixture_bank.py); the question on
screen is recognised by its prompt, as a student would.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.webapp import fixture_bank

CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}")


def _marker(item: dict[str, Any]) -> str:
    """Text that shows the item is on screen (a cloze shows its text up to the first gap)."""
    return item["prompt"].split("{{")[0].strip()


def item_on_screen(page: Page) -> dict[str, Any]:
    """The fixture item whose question the page shows."""
    text = page.locator("form.answer-form").inner_text()
    found = [i for i in fixture_bank.ITEMS if _marker(i) in text]
    assert len(found) == 1, f"cannot tell which question is shown: {text!r}"
    return found[0]


def right_answer(item: dict[str, Any]) -> dict[str, Any]:
    """The right answer, as the student would give it on the page."""
    kind = item["kind"]
    if kind in ("single_choice", "multiple_select"):
        return {"tick": [o["text"] for o in item["options"] if o.get("correct")]}
    if kind == "true_false":
        return {"tick": ["True" if item["answer"] else "False"]}
    if kind in ("short_answer", "basic", "numeric"):
        return {"type": str(item["answer"])}
    if kind == "ordering":
        return {"order": list(item["items"])}
    if kind == "matching":
        return {"select": {p["left"]: p["right"] for p in item["pairs"]}}
    if kind == "cloze":
        return {"blanks": [m.group(1) for m in CLOZE_RE.finditer(item["prompt"])]}
    raise AssertionError(f"unknown kind {kind}")


def wrong_answer(item: dict[str, Any]) -> dict[str, Any]:
    """A wrong answer to a true/false item."""
    assert item["kind"] == "true_false"
    return {"tick": ["False" if item["answer"] else "True"]}


# --- with the mouse -------------------------------------------------------------------


def answer_with_mouse(page: Page, item: dict[str, Any], answer: dict[str, Any]) -> None:
    """Fill the answer form by clicking and typing, then press "Check my answer"."""
    for label in answer.get("tick", []):
        page.get_by_label(label, exact=True).check()
    if "type" in answer:
        page.get_by_label(item["prompt"], exact=True).fill(answer["type"])
    for label, option in answer.get("select", {}).items():
        page.get_by_label(label, exact=True).select_option(label=option)
    for n, text in enumerate(answer.get("blanks", []), start=1):
        page.get_by_label(re.compile(rf"^Blank {n}\b")).fill(text)
    for n, text in enumerate(answer.get("order", [])):
        while order_on_screen(page).index(text) > n:
            page.get_by_role("button", name=f"Move up: {text}", exact=True).click()
    page.get_by_role("button", name="Check my answer").click()


def order_on_screen(page: Page) -> list[str]:
    """The items of a list to put in order, as they stand."""
    return [t.strip() for t in page.locator("[data-sortable-text]").all_inner_texts()]


def go_on(page: Page) -> bool:
    """Follow "Next question"; on the last one follow "See your results" and return False."""
    # First the feedback page: right after "Check my answer" the question may still show,
    # and a busy machine would read "no Next question" from it.
    page.get_by_role("link", name=re.compile(r"^(Next question|See your results)")).first.wait_for()
    next_link = page.get_by_role("link", name="Next question")
    if next_link.count():
        next_link.click()
        return True
    page.get_by_role("link", name="See your results").click()
    return False


# --- with the keyboard only -----------------------------------------------------------

MAX_TABS = 80


def tab_to(page: Page, predicate: str, what: str) -> None:
    """Press Tab until the focused element satisfies the JS ``predicate(el)``."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(({predicate}))(document.activeElement)"):
            return
        seen.append(
            page.evaluate(
                "(el => el.tagName + (el.id ? '#' + el.id : '') + ' ' + "
                "(el.innerText || el.value || '').slice(0, 30))(document.activeElement)"
            )
        )
    raise AssertionError(f"Tab never reached {what}; focus went through {seen}")


def _label_of_focus(page: Page) -> str:
    return page.evaluate(
        "(el => (el.labels && el.labels[0] ? el.labels[0].innerText : '')"
        ".trim())(document.activeElement)"
    )


def tab_to_button(page: Page, name: str) -> None:
    tab_to(
        page,
        f"el => el.tagName === 'BUTTON' && el.innerText.trim() === {name!r}",
        f"the button {name!r}",
    )


def tab_to_link(page: Page, name: str) -> None:
    tab_to(
        page, f"el => el.tagName === 'A' && el.innerText.trim() === {name!r}", f"the link {name!r}"
    )


def answer_with_keyboard(page: Page, item: dict[str, Any], answer: dict[str, Any]) -> None:
    """Fill the answer form with Tab, Space, arrow keys and typing; submit with Enter."""
    kind = item["kind"]
    if kind in ("single_choice", "true_false"):
        # Tab enters the radio group; the arrow keys move through it (and check as they go).
        tab_to(page, "el => el.name === 'choice'", "the options")
        for _ in range(10):
            if _label_of_focus(page) == answer["tick"][0]:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        expect(page.get_by_label(answer["tick"][0], exact=True)).to_be_checked()
    elif kind == "multiple_select":
        # Every checkbox is its own tab stop: Space ticks the right ones.
        boxes = page.locator("input[name=choice]")
        for n in range(boxes.count()):
            tab_to(
                page,
                f"el => el === document.querySelectorAll('input[name=choice]')[{n}]",
                f"checkbox {n}",
            )
            if _label_of_focus(page) in answer["tick"]:
                page.keyboard.press("Space")
        for label in answer["tick"]:
            expect(page.get_by_label(label, exact=True)).to_be_checked()
    elif "type" in answer:
        tab_to(page, "el => el.id === 'answer'", "the answer box")
        page.keyboard.type(answer["type"])
    elif "select" in answer:
        for label, option in answer["select"].items():
            control = page.get_by_label(label, exact=True)
            select_id = control.get_attribute("id")
            tab_to(page, f"el => el.id === {select_id!r}", f"the list for {label!r}")
            options = control.locator("option").all_inner_texts()
            # A closed list moves one option per arrow key, starting from "Choose…".
            for _ in range(options.index(option)):
                page.keyboard.press("ArrowDown")
            expect(control).to_have_value(
                control.locator("option", has_text=option).first.get_attribute("value")
            )
    elif "order" in answer:
        # Each item's "Move up" button, pressed with Enter until the item is in its place;
        # focus stays on the button as the item moves.
        for n, text in enumerate(answer["order"]):
            if order_on_screen(page).index(text) > n:
                tab_to(page, f"el => el.getAttribute('aria-label') === 'Move up: {text}'", text)
            while order_on_screen(page).index(text) > n:
                page.keyboard.press("Enter")
    elif "blanks" in answer:
        for n, text in enumerate(answer["blanks"]):
            tab_to(page, f"el => el.id === 'blank-{n}'", f"blank {n + 1}")
            page.keyboard.type(text)
    tab_to_button(page, "Check my answer")
    page.keyboard.press("Enter")


def signup_link(outbox: Path, email: str, base: str, timeout: float = 10) -> str:
    """The sign-up link mailed to ``email`` (the server's MAIL_OUTBOX_DIR), as a path."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in sorted(outbox.iterdir()) if outbox.exists() else []:
            text = mail.read_text()
            found = re.search(r"https?://\S+(/register/\S+)", text)
            if f"To: {email}\n" in text and found:
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no sign-up mail to {email} in {outbox}")


def sign_up(page: Page, base: str, outbox: Path, email: str, password: str) -> None:
    """Sign up through the form, then open the mailed link and finish, as a student does."""
    page.goto(f"{base}/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(base + signup_link(outbox, email, base))
    page.get_by_role("button", name="Finish signing up").click()
    expect(page.get_by_text("Welcome!")).to_be_visible()
