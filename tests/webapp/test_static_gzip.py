"""The app's own static view sends text files gzip-compressed to a client that accepts it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from webapp.static_gzip import is_text

STATIC = Path(__file__).resolve().parents[2] / "static"
TEXT_FILES = ("css/site.css", "js/quiz.js", "img/icons.svg")
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _get(client, url: str, **headers: str):
    response = client.get(url, headers=headers)
    body = response.get_data()
    response.close()
    return response, body


def _font() -> str:
    return next(p.name for p in (STATIC / "fonts").glob("inter-basic-*.woff2"))


@pytest.mark.parametrize("name", TEXT_FILES)
def test_a_text_file_comes_gzipped_to_a_client_that_accepts_it(client, name):
    response, body = _get(client, f"/static/{name}?v=1", **GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (STATIC / name).read_bytes()
    assert len(body) < (STATIC / name).stat().st_size / 2
    assert int(response.headers["Content-Length"]) == len(body)
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=31536000" in response.headers["Cache-Control"]  # assets.py's lifetime


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_a_client_that_does_not_take_gzip_gets_the_file_as_it_is(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    response, body = _get(client, "/static/css/site.css", **headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert body == (STATIC / "css/site.css").read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]


def test_fonts_and_images_are_never_gzipped(client):
    """woff2 is compressed already; gzip would cost time and save nothing."""
    name = f"fonts/{_font()}"
    response, body = _get(client, f"/static/{name}", **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert body == (STATIC / name).read_bytes()
    assert not any(is_text(f"img/x.{ext}") for ext in ("png", "jpg", "webp", "ico", "woff2"))
    assert all(is_text(name) for name in TEXT_FILES)


def test_a_compressed_file_is_revalidated_by_its_own_etag(client):
    first, _ = _get(client, "/static/js/quiz.js", **GZIP)
    plain, _ = _get(client, "/static/js/quiz.js")
    assert first.headers["ETag"] != plain.headers["ETag"]  # two representations, two tags
    again, body = _get(
        client, "/static/js/quiz.js", **GZIP, **{"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert body == b""
    assert "Accept-Encoding" in again.headers["Vary"]
    # the identity tag does not validate the compressed copy: the full file comes back
    other, body = _get(
        client, "/static/js/quiz.js", **GZIP, **{"If-None-Match": plain.headers["ETag"]}
    )
    assert other.status_code == 200
    assert gzip.decompress(body) == (STATIC / "js/quiz.js").read_bytes()


def test_a_range_request_gets_the_bytes_of_the_file_itself(client):
    response, body = _get(client, "/static/css/site.css", **GZIP, Range="bytes=0-99")
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert body == (STATIC / "css/site.css").read_bytes()[:100]


def test_a_missing_text_file_is_still_a_404(client):
    response, _ = _get(client, "/static/css/nothing-here.css", **GZIP)
    assert response.status_code == 404
    response, _ = _get(client, "/static/../webapp/config.py", **GZIP)
    assert response.status_code == 404
