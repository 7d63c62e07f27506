"""In chromium an English page draws its text in Inter from one font file, and a page holding
an accented letter fetches the file that has it (unicode-range does the choosing)."""

import re

import pytest

pytestmark = pytest.mark.browser

_FONTS = (
    "performance.getEntriesByType('resource').map(e => e.name)"
    ".filter(n => n.includes('/static/fonts/')).map(n => n.split('/').pop())"
)


def test_an_english_page_loads_the_first_font_file_alone(live_server, page):
    page.goto(f"{live_server.url}/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('600 17px Inter', 'Russia–China quiz')")
    page.goto(f"{live_server.url}/quiz/all")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/items/1$"))
    page.evaluate("document.fonts.ready")
    fetched = page.evaluate(_FONTS)
    assert len(fetched) == 1 and fetched[0].startswith("inter-basic-"), fetched
    # the heading is drawn with the web font, not a fallback
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert loaded in (['"Inter"'], ["Inter"]), loaded


def test_an_accented_letter_brings_the_file_that_has_it(live_server, page):
    page.goto(f"{live_server.url}/")
    page.evaluate("document.fonts.ready")
    page.evaluate(
        "document.querySelector('main h1').textContent += ' Café Łódź'; document.fonts.ready"
    )
    page.wait_for_function(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/static/fonts/')).length === 3"
    )
    fetched = sorted(page.evaluate(_FONTS))
    assert [re.sub(r"-[0-9a-f]+\.woff2$", "", name) for name in fetched] == [
        "inter-basic",
        "inter-latin",
        "inter-latin-ext",
    ]
