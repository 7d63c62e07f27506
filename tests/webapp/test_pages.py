"""Every page: one layout, no CDN, no inline script/style/handlers, labelled inputs."""

import re

import pytest

from .helpers import answer_all, start_quiz

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _pages(client, app, auth):
    pages = {
        url: client.get(url)
        for url in ("/", "/login", "/register", "/quiz/history", "/quiz/mixed", "/no-such-page")
    }
    attempt_id = start_quiz(client, "all", size=20)
    for position in range(1, 10):
        url = f"/attempts/{attempt_id}/items/{position}"
        pages[url] = client.get(url)
    answer_all(client, app, attempt_id)
    pages["review"] = client.get(f"/attempts/{attempt_id}")
    auth.login_as("student")
    pages["/dashboard"] = client.get("/dashboard")
    for url in ("/study/", "/study/settings", "/study/session"):
        pages[url] = client.get(url)
    show_answer = re.search(r'id="show-answer" href="([^"]+)"', pages["/study/session"].text)
    pages["study card back"] = client.get(show_answer.group(1).replace("&amp;", "&"))
    pages["/logout"] = client.get("/logout")
    return {url: r.get_data(as_text=True) for url, r in pages.items()}


@pytest.fixture
def pages(client, app, auth, bank):
    return _pages(client, app, auth)


def test_pages_share_the_layout_and_load_nothing_from_elsewhere(pages):
    for url, html in pages.items():
        assert html.startswith("<!doctype html>"), url
        assert '<html lang="en">' in html, url
        assert 'name="viewport"' in html, url
        assert "/static/css/site.css" in html, url
        for ref in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert ref.startswith(("/", "#", "?")) or ref == "", (url, ref)


def test_pages_have_no_inline_script_style_or_event_handlers(pages):
    for url, html in pages.items():
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert "style=" not in html, url
        assert "<style" not in html, url
        assert not INLINE_HANDLER.search(html), url


def test_every_form_control_has_a_label(pages):
    for url, html in pages.items():
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(?:hidden|submit)"', tag):
                continue
            control_id = re.search(r'\bid="([^"]+)"', tag)
            labelled = (
                control_id and f'for="{control_id.group(1)}"' in html
            ) or "aria-label=" in tag
            # Radios and checkboxes sit inside their <label>.
            wrapped = re.search(r"<label[^>]*>\s*" + re.escape(tag), html)
            assert labelled or wrapped, (url, tag)


def test_no_attribute_is_repeated_in_a_tag(pages):
    for url, html in pages.items():
        for tag in re.findall(r"<[a-z]+\b[^>]*>", html):
            names = re.findall(r"\s([a-z-]+)=", tag)
            assert len(names) == len(set(names)), (url, tag)


NAV = re.compile(r'<ul class="nav-links">(.*?)</ul>', re.S)


def _nav(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    nav = NAV.search(response.get_data(as_text=True)).group(1)
    links = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"( aria-current="page")?', nav)
    current = [href for href, mark in links if mark]
    token = re.search(r'name="csrf_token" value="([^"]+)"', nav)
    return [href for href, _ in links], current, token.group(1) if token else None


def test_the_navigation_fits_the_visitor_and_marks_the_page(client, app, auth, make_user):
    """The main navigation is drawn once per page, role and sign-in state and reused: what
    each visitor sees, the page marked as current and the log-out token stay theirs."""
    links, current, token = _nav(client, "/article")
    assert links == ["/study/", "/article", "/anki", "/login", "/register"]
    assert current == ["/article"] and token is None
    assert _nav(client, "/anki")[1] == ["/anki"]
    assert _nav(client, "/")[1] == []  # the home page is not in the list

    auth.login_as("student")
    links, current, token = _nav(client, "/article")
    assert links == ["/study/", "/dashboard", "/assignments", "/account", "/article", "/anki"]
    assert current == ["/article"] and token
    assert _nav(client, "/dashboard")[1] == ["/dashboard"]
    assert _nav(client, "/study/")[1] == ["/study/"]

    other = app.test_client()
    type(auth)(other, make_user).login_as("instructor")
    links, current, other_token = _nav(other, "/article")
    assert links == ["/study/", "/dashboard", "/instructor/", "/account", "/article", "/anki"]
    assert other_token and other_token != token  # each session its own token

    # the navigation's log-out form works: its token is this session's
    response = client.post("/logout", data={"csrf_token": _nav(client, "/study/")[2]})
    assert response.status_code == 302
    assert _nav(client, "/article")[0][-2:] == ["/login", "/register"]
    assert _nav(other, "/article")[0][-1] == "/anki"  # the instructor is still signed in
