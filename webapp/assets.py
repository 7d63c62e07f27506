"""Static files under URLs that name their content, so a browser keeps them for a year.

Pages link their CSS, scripts and icon sprite with ``asset("css/site.css")``: the URL
carries a digest of the file (``/static/css/site.css?v=3f2a…``), and a request with a ``v``
is answered with a year's ``Cache-Control``. A changed file gets a new URL, so a student
never runs old CSS with a new page; an unchanged one is not asked for again, so every page
after the first costs its HTML alone. Fonts are linked from the CSS by their file name (a
new font version gets a new file name, as ``make vendor`` writes them) and kept a year too.

Digests and URLs are worked out once per file per process (per call in debug mode, so an
edited file shows at once).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request, url_for

ONE_YEAR = 365 * 24 * 3600
NAMED_BY_CONTENT = ("fonts/",)  # linked by file name from the CSS


def register(app: Flask) -> None:
    """Add ``asset()`` to the templates and long cache lifetimes to versioned files."""
    static = Path(app.static_folder or "static")
    urls: dict[tuple[str, str], str] = {}

    def digest(filename: str) -> str:
        try:
            return hashlib.sha256((static / filename).read_bytes()).hexdigest()[:12]
        except OSError:  # a missing file: the link still renders, and 404s as before
            return "0"

    def asset(filename: str) -> str:
        key = (request.script_root, filename)
        found = None if app.debug else urls.get(key)
        if found is None:
            if filename.startswith(NAMED_BY_CONTENT):
                found = url_for("static", filename=filename)
            else:
                found = url_for("static", filename=filename, v=digest(filename))
            urls[key] = found
        return found

    app.add_template_global(asset, "asset")
    default_max_age = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        if request.args.get("v") or (filename or "").startswith(NAMED_BY_CONTENT):
            return ONE_YEAR
        return default_max_age(filename)

    # Flask's documented hook for static files' lifetime, set on this app alone.
    app.get_send_file_max_age = max_age  # type: ignore[method-assign]
