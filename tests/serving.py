"""Start and stop servers for the tests and the benchmarks: one copy of that logic.

``Gunicorn`` runs ``webapp:create_app()`` on a free loopback port; ``wait_until_up`` and
``stop`` also serve ``make serve``. ``scratch_database`` and ``prepare`` give a server a
throw-away database: SQLite, a file in a temporary directory; PostgreSQL, a fresh schema
in the given database (dropped afterwards), so a run never touches existing data.

Tests import it as ``tests.serving``; the benchmarks (``python bench/x.py``) put the
repository root on ``sys.path`` and import it the same way.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
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
    collects its output, which is otherwise dropped.
    """

    def __init__(
        self,
        url: str,
        *,
        workers: int = 3,
        port: int | None = None,
        log: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.url = url
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
