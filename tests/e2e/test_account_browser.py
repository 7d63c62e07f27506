"""Password reset end to end in chromium, through the server's captured outbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .pages import sign_up

pytestmark = pytest.mark.browser


def test_a_forgotten_password_is_reset_through_the_mailed_link(live_server, page):
    email = live_server.create_user()
    page.goto(f"{live_server.url}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_text("a reset link is on its way")).to_be_visible()
    [message] = live_server.mails()
    assert f"To: {email}" in message
    link = re.search(r"https?://\S+/reset/\S+", message).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a fresh password 42")
    page.get_by_label("Repeat the new password").fill("a fresh password 42")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    # The link worked once.
    page.goto(link)
    expect(page.get_by_text("expired or already used")).to_be_visible()


def test_the_browser_time_zone_is_taken_at_sign_up(live_server, browser):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    sign_up(page, live_server.url, live_server.outbox, "tokyo@example.com", "correct horse battery")
    page.goto(f"{live_server.url}/account")
    expect(page.locator("select#tz-time_zone")).to_have_value("Asia/Tokyo")
    context.close()
