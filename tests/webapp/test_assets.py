"""Static files are linked by content, so a student's browser fetches each one once."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
YEAR = "max-age=31536000"


def _links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="(/static/[^"#]+)', html))


def test_pages_link_css_scripts_and_icons_by_their_content(client, bank):
    html = client.get("/").get_data(as_text=True)
    links = _links(html)
    css = next(u for u in links if u.startswith("/static/css/site.css"))
    digest = hashlib.sha256((STATIC / "css/site.css").read_bytes()).hexdigest()[:12]
    assert css == f"/static/css/site.css?v={digest}"
    assert any(u.startswith("/static/img/icons.svg?v=") for u in links), links
    # every linked file exists and comes back with a year's lifetime
    for url in links:
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url
        assert YEAR in response.headers["Cache-Control"], (url, response.headers)


def test_a_file_asked_for_without_its_digest_is_checked_each_time(client):
    response = client.get("/static/css/site.css")
    response.close()
    assert response.status_code == 200
    assert YEAR not in response.headers.get("Cache-Control", "")


def test_the_page_preloads_the_font_file_its_text_needs(client, bank):
    """The preload is the file holding Basic Latin, under the URL the CSS asks for (another
    URL would download it twice), and it is there and kept a year."""
    html = client.get("/").get_data(as_text=True)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font"', html)
    css = (STATIC / "css/site.css").read_text(encoding="utf-8")
    first_face = re.search(r"@font-face\s*\{(.*?)\}", css, re.S).group(1)
    assert "unicode-range: U+0020-007E," in first_face
    needed = re.search(r'url\("\.\./(fonts/[^"]+)"\)', first_face).group(1)
    assert preloads == [f"/static/{needed}"]
    response = client.get(preloads[0])
    body = response.get_data()
    response.close()
    assert response.status_code == 200
    assert body == (STATIC / needed).read_bytes()
    assert YEAR in response.headers["Cache-Control"]


def test_every_template_links_static_files_through_asset():
    """A plain url_for('static', ...) would bring back the revalidation on every page."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"url_for\(\s*['\"]static['\"]", path.read_text(encoding="utf-8"))
    ]
    assert found == []
