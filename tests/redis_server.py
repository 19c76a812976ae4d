"""A real Redis server of a test's own, on a free port (never the shared server of REDIS_URL), that the
test stops and starts again; and the Celery app pointed at it."""

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kombu import pools

from config.celery import app


@dataclass
class RedisServer:
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pidfile(self) -> Path:
        return self.folder / "redis.pid"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--dir",
                str(self.folder),
            ],
            check=True,
            capture_output=True,
        )
        self._wait(up=True)

    def stop(self) -> None:
        if self.pidfile.exists():
            os.kill(int(self.pidfile.read_text().strip()), signal.SIGTERM)
        self._wait(up=False)

    def _wait(self, *, up: bool) -> None:
        deadline = time.monotonic() + 10
        while self.answers() != up:
            assert time.monotonic() < deadline, f"redis on {self.port} did not {'start' if up else 'stop'}"
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def forget_broker_connections() -> None:
    """The pooled connections point at the server of before: drop them, as Celery does after a fork."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    """Inside the block the Celery app sends to `url` (a test's own Redis), not eagerly, as with REDIS_URL."""
    before = app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager
    app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = url, {}, False
    forget_broker_connections()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = before
        forget_broker_connections()
