"""Real services started by the fault tests: a private redis-server and a
Celery worker, each on its own port / process and always stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import service_required

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for a subprocess that must share it (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_required("PostgreSQL (a subprocess must share the test database)")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def subprocess_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DB_CONN_MAX_AGE="0", **overrides)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A throw-away redis-server on 127.0.0.1:port (never the machine's own Redis)."""

    def __init__(self, port: int | None = None):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            service_required("redis-server")
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "RedisServer":
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ping, 10, what=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections but nothing answers (a hung Redis)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def llen(self, key: str) -> int:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=0).llen(key)


@contextlib.contextmanager
def celery_redis(url: str):
    """Point the Celery app of this process at ``url`` for both the broker and
    the result backend, as REDIS_URL does in production, and really publish."""
    from portal.celery import app

    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)

    def reset_pools():
        # The broker pools and the result backend are built lazily from the URLs
        # (the backend once per thread).
        app._pool = None
        app.amqp._producer_pool = None
        app._backend_cache = None
        app._local = threading.local()

    app.conf.broker_url = url
    app.conf.result_backend = url
    app.conf.task_always_eager = False
    reset_pools()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
        reset_pools()


class ProcessGroup:
    """A subprocess in a session of its own, logging to a file; stopping it stops
    its children too (and nothing else)."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def spawn(self, args: list[str], ready, what: str):
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_until(lambda: ready() or self.process.poll() is not None, 60, what=what)
        assert self.process.poll() is None, self.log.read_text()
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)  # its own session: the process and its children only
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(5)


class Worker(ProcessGroup):
    """``celery -A portal worker`` in a subprocess on the test database."""

    def __init__(self, broker_url: str, database_url: str, media_root: str, var_dir: str):
        self.env = subprocess_env(
            REDIS_URL=broker_url,
            DATABASE_URL=database_url,
            MEDIA_ROOT=media_root,
            PORTAL_VAR_DIR=var_dir,
            CELERY_TASK_ALWAYS_EAGER="0",
        )
        self.log = Path(var_dir) / "worker.log"

    def start(self) -> "Worker":
        args = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
                "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "INFO"]
        return self.spawn(args, lambda: b"ready." in self.log.read_bytes(), "worker")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_child(self) -> int:
        """SIGKILL the pool process running the task (the main worker survives)."""
        pids = wait_until(self.children, 10, interval=0.05, what="a worker pool process")
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]


class WebServer(ProcessGroup):
    """The portal under gunicorn, configured only through its environment as in
    production (docker-compose.yml): one sync worker on 127.0.0.1:port."""

    def __init__(self, env: dict[str, str], var_dir: str):
        self.port = free_port()
        self.env = subprocess_env(PORTAL_VAR_DIR=var_dir, **env)
        self.log = Path(var_dir) / "web.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def accepts(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def start(self) -> "WebServer":
        args = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", "1", "--timeout", "60"]
        return self.spawn(args, self.accepts, "gunicorn")
