"""A real browser takes a quiz without JavaScript and with the keyboard only."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_guest_takes_a_whole_quiz_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("Quiz on this section")).first.click()
    page.get_by_label("Number of questions").select_option("5")
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(5):
        assert re.search(r"/attempts/\d+/items/\d+$", page.url)
        form = page.locator("form.answer-form")
        if form.locator("input[type=radio]").count():
            form.locator("input[type=radio]").first.check()
        elif form.locator("input[type=checkbox]").count():
            form.locator("input[type=checkbox]").first.check()
        elif form.locator("select").count():
            selects = form.locator("select")
            for i in range(selects.count()):
                selects.nth(i).select_option(index=i + 1)  # positions 1..n, once each
        else:
            form.locator("input[type=text]").first.fill("Amur")
        page.get_by_role("button", name="Check my answer").click()
        assert page.locator(".feedback").is_visible()
        assert "Source:" in page.locator(".feedback").inner_text()
        nxt = page.get_by_role("link", name=re.compile("Next question|See your results"))
        nxt.first.click()
    assert page.get_by_role("heading", name="Your results").is_visible()
    assert "Your score is not saved." in page.content()
    context.close()


def _focus(page):
    return page.evaluate(
        "[document.activeElement.tagName, document.activeElement.type || '',"
        " document.activeElement.textContent.trim(),"
        " document.activeElement.closest('form.answer-form') !== null]"
    )


def _tab_until(page, predicate, *, limit=20):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(_focus(page)):
            return _focus(page)
    raise AssertionError("the keyboard never reached the control")


@pytest.mark.parametrize(
    ("uid", "typed", "keys", "verdict"),
    [
        ("history-tf", "", ["Space"], "Right!"),  # radio: the first option, True
        ("history-short", "Amur", [], "Right!"),  # typed
        ("history-order", "", ["Enter"], None),  # focus on a move button: Enter moves an item
    ],
)
def test_a_question_is_answered_with_the_keyboard_only(
    live_server, browser, uid, typed, keys, verdict
):
    live_server.only(uid)
    page = browser.new_page()
    page.goto(f"{live_server.url}/quiz/history")
    _tab_until(page, lambda f: f[2] == "Start the quiz")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/items/1$"))
    # Focus lands on the question's first field by itself; Tab only if it did not.
    in_form = lambda f: f[3] and (f[0] in ("INPUT", "SELECT") or f[1] == "button")  # noqa: E731
    if not in_form(_focus(page)):
        _tab_until(page, in_form)
    if typed:
        page.keyboard.type(typed)
    for key in keys:
        page.keyboard.press(key)
    _tab_until(page, lambda f: f[2] == "Check my answer")
    page.keyboard.press("Enter")
    page.wait_for_selector(".feedback")
    assert "could not be read" not in page.content()
    shown = page.locator(".verdict").inner_text().strip()
    if verdict:
        assert shown == verdict
    else:
        assert shown in ("Right!", "Not right.") or shown.startswith("Partly right")
