"""Walk a site's pages through the test client, noting what a strict CSP would block."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit


class PageScan(HTMLParser):
    """Collects what a strict CSP would block, and the links to follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        names = {name.lower(): value for name, value in attrs}
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline handler")
        if "style" in names:
            self.problems.append(f"<{tag} style=...> inline style")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script":
            src = names.get("src")
            if not src:
                self._in_script = True
            elif urlsplit(src).netloc:
                self.problems.append(f"<script src={src}> from another site")
        if tag == "link" and urlsplit(names.get("href") or "").netloc:
            self.problems.append(f"<link href={names['href']}> from another site")
        href = names.get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])
        if tag == "a" and (names.get("href") or "").lower().startswith("javascript:"):
            self.problems.append("javascript: link")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):  # noqa: ANN001
        if self._in_script and data.strip():
            self.problems.append("inline <script> body")


def crawl(
    client, start: list[str], *, limit: int = 120, bodies: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """GET every same-site page reachable from ``start`` (bounded); problems per page.

    ``bodies``, when given, receives each HTML page's text by URL.
    """
    seen: dict[str, list[str]] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith("/static/"):
            continue
        response = client.get(url)
        if "text/html" not in response.content_type:
            seen[url] = []
            continue
        html = response.get_data(as_text=True)
        if bodies is not None:
            bodies[url] = html
        scan = PageScan()
        scan.feed(html)
        seen[url] = scan.problems
        queue.extend(link for link in scan.links if link not in seen)
    return seen
