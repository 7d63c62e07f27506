"""deploy/: gunicorn behind deploy/'s nginx site serves a normal visitor in under a second
while 50 slow clients hold connections open; the site, unit and gunicorn settings agree.

Needs nginx and openssl (``apt-get install nginx``; .ci/run installs it): skipped locally
when missing, a failure under ``CI=true``. Without nginx the same attack stops the site;
that figure is in bench/RESULTS.md ("Slow clients", bench/bench_slow_clients.py).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests import serving
from webapp.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GZIP = {"Accept-Encoding": "gzip"}


def _need(tool: str, found: str | None) -> None:
    if found:
        return
    reason = f"{tool} is not installed (apt-get install {tool}); the deployment test needs it"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (mandatory under CI=true; .ci/run installs it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def behind_nginx(tmp_path):
    """gunicorn with deploy/gunicorn.conf.py (production mode, 3 gthread workers) behind nginx."""
    _need("nginx", serving.nginx_binary())
    _need("openssl", shutil.which("openssl"))
    url = f"sqlite:///{tmp_path / 'quiz.sqlite'}"
    serving.prepare(url, load_bank=False)
    log = tmp_path / "gunicorn.log"
    env = {"APP_ENV": "production", "FLASK_TRUSTED_PROXIES": "1"}
    args = ["-c", str(DEPLOY / "gunicorn.conf.py")]
    with (
        serving.Gunicorn(url, workers=3, log=log, env=env, args=args) as app_server,
        serving.Nginx(f"127.0.0.1:{app_server.port}", tmp_path / "nginx") as nginx,
    ):
        yield nginx, app_server, log


def test_fifty_slow_clients_do_not_stop_a_normal_visitor_behind_nginx(behind_nginx):
    nginx, _, _ = behind_nginx
    with serving.SlowClients(nginx.base, count=50, every=2.0) as slow:
        time.sleep(3)  # every slow client is connected and has sent a few header lines
        assert slow.opened == 50
        timings = [serving.timed_get(nginx.base + "/") for _ in range(5)]
        assert len(slow.socks) == 50  # still held open: nginx, not gunicorn, waits for them
    for seconds, status in timings:
        assert status == 200
        assert seconds < 1.0, timings


def test_nginx_serves_static_files_and_the_app_sees_the_client(behind_nginx):
    nginx, _, log = behind_nginx
    seconds, status = serving.timed_get(nginx.base + "/static/css/site.css")
    assert status == 200
    serving.timed_get(nginx.base + "/healthz")
    text = log.read_text()
    assert '"/healthz"' in text  # the app logs each request it serves...
    assert "/static/css/site.css" not in text  # ...and never saw the stylesheet


def _get(url: str, **headers: str) -> tuple[int, Any, bytes]:
    """(status, headers, body as sent: not decompressed) of one GET through nginx."""
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30, context=serving._insecure_tls()) as response:
        return response.status, response.headers, response.read()


def test_nginx_gzips_static_text_not_pages_and_keeps_the_app_cache_lifetimes(behind_nginx):
    nginx, _, _ = behind_nginx
    css = (ROOT / "static/css/site.css").read_bytes()
    status, headers, body = _get(nginx.base + "/static/css/site.css?v=1", **GZIP)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == css
    assert "Accept-Encoding" in headers["Vary"]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"  # assets.py's year
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    # without the digest in the URL, and from a client that takes no gzip: revalidated, as is
    status, headers, body = _get(nginx.base + "/static/css/site.css")
    assert (status, body, headers["Content-Encoding"]) == (200, css, None)
    assert headers["Cache-Control"] == "no-cache"
    # a font: named by its content, kept a year, and never gzipped (woff2 is compressed)
    font = next((ROOT / "static/fonts").glob("inter-basic-*.woff2"))
    status, headers, body = _get(f"{nginx.base}/static/fonts/{font.name}", **GZIP)
    assert (status, body, headers["Content-Encoding"]) == (200, font.read_bytes(), None)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]  # the server's HSTS kept
    # the app's pages, through the proxy: never compressed, as they carry the CSRF token
    # (BREACH reads secrets from compressed sizes)
    status, headers, body = _get(nginx.base + "/login", **GZIP)
    assert (status, headers["Content-Encoding"]) == (200, None)
    assert b"<!doctype html>" in body


def test_nginx_refuses_a_body_over_the_app_limit(behind_nginx):
    import urllib.error
    import urllib.request

    nginx, _, _ = behind_nginx
    body = b"x" * (Config.MAX_CONTENT_LENGTH + 1)
    request = urllib.request.Request(nginx.base + "/login", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30, context=serving._insecure_tls())
    refused.value.close()
    assert refused.value.code == 413


def test_the_site_limits_match_the_app_and_the_unit_holds():
    sys.path.insert(0, str(DEPLOY))
    from render import render

    site = render(server_name="quiz.example.org", app_root="/srv/quiz", cert="c", key="k")
    assert f"client_max_body_size {Config.MAX_CONTENT_LENGTH};" in site
    for line in (
        "proxy_request_buffering on;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "listen 443 ssl;",
        "alias /srv/quiz/static/;",
    ):
        assert line in site
    unit = (DEPLOY / "quiz.service").read_text()
    for line in (
        "Restart=on-failure",
        "KillMode=mixed",
        "gunicorn -c /srv/quiz/deploy/gunicorn.conf.py",
    ):
        assert line in unit
    assert "reuse_port = True" in (DEPLOY / "gunicorn.conf.py").read_text()


def test_a_restart_after_the_master_is_killed_binds_at_once(tmp_path):
    """kill -9 of the master leaves workers on the port; SO_REUSEPORT lets a new one bind."""
    import signal

    url = f"sqlite:///{tmp_path / 'quiz.sqlite'}"
    serving.prepare(url, load_bank=False)
    args = ["-c", str(DEPLOY / "gunicorn.conf.py")]
    first = serving.Gunicorn(url, workers=2, args=args).start()
    orphans = first.worker_pids()
    try:
        assert first.proc is not None
        os.kill(first.proc.pid, signal.SIGKILL)  # the master only: its workers live on
        first.proc.wait()
        with serving.Gunicorn(url, workers=2, port=first.port, args=args) as second:
            # Bound and serving. An orphan still on the port may take a connection and then
            # leave (it sees its master gone), so they go before the new server is asked.
            _kill_all(orphans)
            assert second.proc is not None and second.proc.poll() is None
            assert [serving.timed_get(second.base + "/healthz")[1] for _ in range(5)] == [200] * 5
    finally:
        _kill_all(orphans)


def _kill_all(pids: list[int]) -> None:
    """SIGKILL each process and wait until none of its threads can hold the port.

    A gthread worker has several threads. Its leader may show as a zombie while the others
    are still exiting, and those others share the file table that holds the listening
    socket. So a process counts as gone only when every thread has left or is a zombie.
    CI once asked the new server while such a worker still held the socket, and the
    connection was reset.
    """
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + 10
    for pid in pids:
        while time.monotonic() < deadline and not _threads_gone(pid):
            time.sleep(0.02)
        assert _threads_gone(pid), f"process {pid} still holds threads 10 s after SIGKILL"


def _threads_gone(pid: int) -> bool:
    """True when every thread of ``pid`` has exited (a zombie has closed its files)."""
    try:
        tids = [t.name for t in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return True
    for tid in tids:
        try:
            stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue  # this thread left between the listing and the read
        if stat.rsplit(") ", 1)[-1][:1] not in ("Z", "X"):
            return False
    return True


@pytest.mark.parametrize("conf", ["deploy/gunicorn.conf.py", "bench/gunicorn_defer_accept.py"])
def test_a_worker_builds_the_typed_answer_terms_before_its_first_request(conf, monkeypatch):
    # Otherwise the first typed answer a worker grades reads the whole shipped bank first
    # (about 0.4 s of CPU): gunicorn's post_worker_init builds them instead.
    import runpy

    from questions import vocabulary

    hooks = runpy.run_path(str(ROOT / conf))
    vocabulary._shipped.cache_clear()
    monkeypatch.setattr(vocabulary, "_override", [])
    assert vocabulary._shipped.cache_info().currsize == 0
    hooks["post_worker_init"](None)
    assert vocabulary._shipped.cache_info().currsize == 1
    assert vocabulary.default().is_term(("siberia",))
