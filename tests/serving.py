"""Start and stop servers for the tests and the benchmarks: one copy of that logic.

``Gunicorn`` runs ``webapp:create_app()`` on a free loopback port; ``wait_until_up`` and
``stop`` also serve ``make serve``. ``scratch_database`` and ``prepare`` give a server a
throw-away database: SQLite, a file in a temporary directory; PostgreSQL, a fresh schema
in the given database (dropped afterwards), so a run never touches existing data.

Tests import it as ``tests.serving``; the benchmarks (``python bench/x.py``) put the
repository root on ``sys.path`` and import it the same way.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@contextmanager
def scratch_database(database_url: str | None) -> Iterator[str]:
    """Yield a SQLAlchemy URL of an empty database; clean it up afterwards."""
    if not database_url or database_url.startswith("sqlite"):
        tmp = tempfile.mkdtemp(prefix="quiz-bench-")
        try:
            yield f"sqlite:///{tmp}/bench.sqlite"
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    base = _sqlalchemy_url(database_url)
    schema = f"bench_{secrets.token_hex(6)}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# Load tests send every simulated student from 127.0.0.1: lift the per-address rate limits
# (webapp/ratelimit.py), which would otherwise see one very busy visitor.
UNLIMITED_RATES = {
    "FLASK_RATE_LIMITS": json.dumps(
        {name: [10**9, 60, name] for name in ("register", "guest_quiz", "answer")}
    )
}


def app_env(url: str, **extra: str) -> dict[str, str]:
    """This environment for a server on ``url``, with a fresh key and none of our FLASK_*."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLASK_") and k not in ("SECRET_KEY", "DATABASE_URL")
    }
    env.update({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def prepare(url: str, *, load_bank: bool = True) -> None:
    """Create the schema with the migrations and load the real bank."""
    env = app_env(url)
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    if load_bank:
        subprocess.run([*flask, "bank", "load"], cwd=ROOT, env=env, check=True, capture_output=True)


def _log_text(log: Path | None) -> str:
    return ":\n" + log.read_text(errors="replace") if log and log.exists() else ""


def wait_until_up(
    proc: subprocess.Popen,
    base: str,
    *,
    timeout: float,
    log: Path | None = None,
    name: str = "the server",
    ready: Callable[[], bool] = lambda: True,
) -> None:
    """Wait until ``base``/healthz answers 200 and ``ready()``; raise if ``proc`` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}" + _log_text(log))
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200 and ready():
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within {timeout}s" + _log_text(log))


def stop(proc: subprocess.Popen, *, timeout: float = 30) -> None:
    """SIGTERM to the process group (as a terminal's Ctrl-C reaches all), then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Gunicorn:
    """``gunicorn -w N 'webapp:create_app()'`` on a loopback port, its workers visible.

    ``env`` adds to the server's environment (``APP_ENV=production``, say); ``log``
    collects its output, which is otherwise dropped; ``args`` go to gunicorn before the
    app (``["-c", "deploy/gunicorn.conf.py"]``: the options given here still win).
    """

    def __init__(
        self,
        url: str,
        *,
        workers: int = 3,
        port: int | None = None,
        log: Path | None = None,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
    ) -> None:
        self.url = url
        self.args = list(args or [])
        self.workers = workers
        self.port = port or free_port()
        self.log = log
        self.env = app_env(url, **(env or {}))
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Gunicorn:
        """Start the server; return once /healthz answers and every worker is up."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--no-control-socket",  # gunicorn 27: else a socket in $HOME shared between servers
            "--error-logfile",
            "-",
            *self.args,
            "webapp:create_app()",
        ]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if self.log:
                out.close()  # the child holds its own copy
        try:
            wait_until_up(
                self.proc,
                self.base,
                timeout=timeout,
                log=self.log,
                name="gunicorn",
                ready=lambda: len(self.worker_pids()) >= self.workers,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def worker_pids(self) -> list[int]:
        """The current worker processes (children of the master)."""
        if self.proc is None:
            return []
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def kill_one_worker(self) -> int | None:
        """SIGKILL one worker, as a crash would; the master starts a new one."""
        pids = self.worker_pids()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


NGINX_MAIN = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def nginx_binary() -> str | None:
    """Debian's nginx, if installed (``apt-get install nginx``)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


class Nginx:
    """deploy/'s nginx site, rendered for a temp dir and free loopback ports, in front of
    ``upstream``; runs in the foreground (``daemon off``) with its own prefix, touching
    nothing under /etc but reading ``/etc/nginx/mime.types``."""

    def __init__(self, upstream: str, prefix: Path) -> None:
        self.upstream = upstream
        self.prefix = prefix
        self.https_port = free_port()
        self.http_port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def _certificate(self) -> tuple[Path, Path]:
        cert, key = self.prefix / "cert.pem", self.prefix / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
        )
        return cert, key

    def start(self, timeout: float = 20) -> Nginx:
        sys.path.insert(0, str(ROOT / "deploy"))
        from render import render  # deploy/render.py

        self.prefix.mkdir(parents=True, exist_ok=True)
        cert, key = self._certificate()
        site = render(
            server_name="127.0.0.1",
            app_root=str(ROOT),
            cert=str(cert),
            key=str(key),
            upstream=self.upstream,
            http_port=self.http_port,
            https_port=self.https_port,
        )
        for port in (self.http_port, self.https_port):  # loopback only, never every address
            site = site.replace(f"listen {port}", f"listen 127.0.0.1:{port}")
        (self.prefix / "site.conf").write_text(site)
        # As root, nginx's workers would run as nobody, who may not read the checkout.
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_MAIN.format(prefix=self.prefix, user=user))
        binary = nginx_binary()
        assert binary, "nginx is not installed"
        log = self.prefix / "nginx.out"
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [
                    binary,
                    "-p",
                    str(self.prefix),
                    "-c",
                    str(conf),
                    "-e",
                    str(self.prefix / "error.log"),
                ]
                + ["-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"nginx exited with {self.proc.returncode}"
                    + _log_text(log)
                    + _log_text(self.prefix / "error.log")
                )
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.https_port)) == 0:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout}s" + _log_text(log))

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, timeout=10)

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SlowClients:
    """``count`` connections that each send a request's headers one line every ``every``
    seconds and never finish (the slow-client attack of issue 17), from a background thread.

    ``base`` is ``http://host:port`` or ``https://host:port`` (TLS, certificate unchecked).
    """

    def __init__(self, base: str, count: int = 50, every: float = 2.0) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.tls = parts.scheme == "https"
        self.count = count
        self.every = every
        self.socks: list[socket.socket] = []
        self.opened = 0  # set once all are open (or failed to open)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _open(self) -> socket.socket | None:
        try:
            raw = socket.create_connection((self.host, self.port), timeout=5)
        except OSError:
            return None
        try:
            sock = _insecure_tls().wrap_socket(raw, server_hostname=self.host) if self.tls else raw
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {self.host}\r\n".encode())
            return sock
        except OSError:
            raw.close()
            return None

    def _run(self) -> None:
        # Open all at once: a sync gunicorn accepts a few and the rest queue in its backlog.
        for _ in range(self.count):
            sock = self._open()
            if sock is not None:
                self.socks.append(sock)
        self.opened = len(self.socks)
        n = 0
        while not self._stop.wait(self.every):
            n += 1
            for sock in list(self.socks):
                try:
                    sock.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                except OSError:
                    self.socks.remove(sock)  # the server gave up on it: that is its defence
                    sock.close()

    def start(self, timeout: float = 30) -> SlowClients:
        """Open the connections; return once all are open and have sent a header line."""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.opened and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        for sock in self.socks:
            sock.close()

    def __enter__(self) -> SlowClients:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_TLS: list[ssl.SSLContext] = []


def _insecure_tls() -> ssl.SSLContext:
    """TLS that accepts the test's self-signed certificate (one context, made once)."""
    if not _TLS:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        _TLS.append(context)
    return _TLS[0]


def timed_get(url: str, timeout: float = 30) -> tuple[float, int]:
    """(seconds, status) of one GET of ``url`` by a normal visitor; status 0 on a timeout."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=_insecure_tls()) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        exc.close()
    except OSError:
        status = 0
    return time.perf_counter() - started, status
