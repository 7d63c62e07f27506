"""A throw-away database and a gunicorn server for the benchmarks and the load test.

SQLite: a file in a temporary directory. PostgreSQL: a fresh schema in the given database
(dropped afterwards), so a run never touches existing data.
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
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@contextmanager
def scratch_database(database_url: str | None):
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


def app_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "PYTHONPATH": str(ROOT)})
    return env


def prepare(url: str, *, load_bank: bool = True) -> None:
    """Create the schema with the migrations and load the real bank."""
    env = app_env(url)
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    if load_bank:
        subprocess.run([*flask, "bank", "load"], cwd=ROOT, env=env, check=True, capture_output=True)


class Gunicorn:
    """``gunicorn -w N 'webapp:create_app()'`` on a loopback port, its workers visible."""

    def __init__(
        self, url: str, *, workers: int = 3, port: int | None = None, log: Path | None = None
    ) -> None:
        self.url = url
        self.workers = workers
        self.port = port or free_port()
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Gunicorn:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "webapp:create_app()",
            ],
            cwd=ROOT,
            env=app_env(self.url),
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz in time")

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
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
