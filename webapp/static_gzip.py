"""Text static files gzip-compressed, when the app serves them itself (make run, benchmarks).

In production nginx serves static/ and compresses it (deploy/nginx-quiz.conf); without it
the app's own static view answers, and this wraps it: a stylesheet, script or SVG goes out
gzip-compressed to a client whose ``Accept-Encoding`` takes gzip, from bytes compressed
once per file version and kept in memory (one entry per file of static/). Fonts and images
are compressed already and go out as they are. A request with a ``Range`` header gets the
file as it is (ranges then count the file's bytes); every text file's answer carries
``Vary: Accept-Encoding``, so a cache keeps the two apart. The compressed answer has its own
ETag (the file's digest), so ``If-None-Match`` is answered with a 304 as before.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import mimetypes
import os
from dataclasses import dataclass

from flask import Flask, Response, request, send_file
from werkzeug.security import safe_join

TEXT_TYPES = ("text/css", "text/javascript", "image/svg+xml", "text/plain")


@dataclass(frozen=True)
class _Compressed:
    version: tuple[int, int]  # the file's mtime (ns) and size when it was compressed
    etag: str
    body: bytes


def is_text(filename: str) -> bool:
    """Whether a static file is text that gzip shrinks (not a font or image, compressed already)."""
    return mimetypes.guess_type(filename)[0] in TEXT_TYPES


def register(app: Flask) -> None:
    """Wrap the app's static view so that text files go out gzip-compressed when accepted."""
    folder = app.static_folder or "static"
    cache: dict[str, _Compressed] = {}

    def compressed(path: str, filename: str) -> Response:
        stat = os.stat(path)
        version = (stat.st_mtime_ns, stat.st_size)
        found = cache.get(filename)
        if found is None or found.version != version:
            with open(path, "rb") as file:
                data = file.read()
            etag = hashlib.sha256(data).hexdigest()[:16] + "-gzip"
            # mtime=0: the same file gives the same bytes in every worker
            found = _Compressed(version, etag, gzip.compress(data, compresslevel=9, mtime=0))
            cache[filename] = found
        response = send_file(
            io.BytesIO(found.body),
            mimetype=mimetypes.guess_type(filename)[0],
            etag=found.etag,
            last_modified=stat.st_mtime,
            max_age=app.get_send_file_max_age(filename),
            conditional=True,
        )
        if response.status_code == 200:
            response.headers["Content-Encoding"] = "gzip"
        return response

    def static(filename: str) -> Response:
        """Flask's static view, gzip-compressed for a text file when the client takes it."""
        if not is_text(filename):
            return app.send_static_file(filename)
        path = safe_join(folder, filename)
        wants_gzip = request.accept_encodings["gzip"] > 0 and "Range" not in request.headers
        if wants_gzip and path is not None and os.path.isfile(path):
            response = compressed(path, filename)
        else:
            response = app.send_static_file(filename)  # Flask's own static view
        response.vary.add("Accept-Encoding")
        return response

    app.view_functions["static"] = static
